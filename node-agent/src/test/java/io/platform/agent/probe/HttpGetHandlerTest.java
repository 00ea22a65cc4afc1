package io.platform.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HTTPGetActionBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.platform.agent.probe.HandlerResult.Outcome;
import io.platform.common.pki.CertificateSigner;
import io.platform.common.pki.KeyPairs;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpGetHandlerTest {

    private final HealthServer server = new HealthServer();
    private final HttpGetHandler handler = new HttpGetHandler(new FakeRuntime(), Clock.systemUTC());
    private final Container container = new ContainerBuilder().withName("app")
            .addNewPort().withName("http").withContainerPort(server.port()).endPort().build();

    @AfterEach
    void stop() {
        server.close();
    }

    private HTTPGetAction get(String path) {
        return new HTTPGetActionBuilder().withPath(path).withPort(new IntOrString(server.port())).build();
    }

    private HandlerResult probe(HTTPGetAction action) throws InterruptedException {
        return handler.probe(action, container, FakeRuntime.sandbox(), Duration.ofSeconds(2));
    }

    @Test
    void statusesFrom200To399Succeed() throws InterruptedException {
        server.status("/ok", 200);
        server.status("/moved", 399);
        server.status("/bad", 500);
        server.status("/missing", 404);

        assertThat(probe(get("/ok")).outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(probe(get("/moved")).outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(probe(get("/bad"))).isEqualTo(HandlerResult.failure("HTTP probe failed with statuscode: 500"));
        assertThat(probe(get("/missing"))).isEqualTo(HandlerResult.failure("HTTP probe failed with statuscode: 404"));
    }

    @Test
    void namedPortQueryAndHeaders() throws InterruptedException {
        server.status("/healthz", 200);
        HTTPGetAction action = new HTTPGetActionBuilder().withPath("healthz?full=1").withPort(new IntOrString("http"))
                .addNewHttpHeader().withName("X-Probe").withValue("yes").endHttpHeader().build();

        assertThat(probe(action).outcome()).isEqualTo(Outcome.SUCCESS);
        HealthServer.Request request = server.requests.getLast();
        assertThat(request.path()).isEqualTo("/healthz?full=1");
        assertThat(request.headers()).containsEntry("X-probe", List.of("yes"))
                .containsEntry("User-agent", List.of("kube-probe/1.32"))
                .containsEntry("Accept", List.of("*/*"));
    }

    @Test
    void specHeadersReplaceTheDefaults() throws InterruptedException {
        server.status("/", 200);
        HTTPGetAction action = new HTTPGetActionBuilder().withPort(new IntOrString(server.port()))
                .addNewHttpHeader().withName("User-Agent").withValue("mine").endHttpHeader()
                .addNewHttpHeader().withName("Host").withValue("example.test").endHttpHeader().build();

        assertThat(probe(action).outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(server.requests.getLast().headers()).containsEntry("User-agent", List.of("mine"))
                .containsEntry("Host", List.of("example.test"));
    }

    @Test
    void unknownPortNameIsAnError() throws InterruptedException {
        HTTPGetAction action = new HTTPGetActionBuilder().withPort(new IntOrString("metrics")).build();

        assertThat(probe(action)).isEqualTo(HandlerResult.error("couldn't find port: metrics"));
    }

    @Test
    void redirectsOnTheSameHostAreFollowed() throws InterruptedException {
        server.redirect("/old", "/new");
        server.status("/new", 503);

        assertThat(probe(get("/old"))).isEqualTo(HandlerResult.failure("HTTP probe failed with statuscode: 503"));
        assertThat(server.hits("/new")).isEqualTo(1);
    }

    @Test
    void aRedirectToAnotherHostEndsTheProbeWithTheRedirect() throws InterruptedException {
        server.redirect("/away", "http://elsewhere.invalid:1/down");

        assertThat(probe(get("/away"))).isEqualTo(HandlerResult.success("Probe terminated redirects"));
    }

    @Test
    void endlessRedirectsFail() throws InterruptedException {
        server.redirect("/loop", "/loop");

        HandlerResult result = probe(get("/loop"));
        assertThat(result.outcome()).isEqualTo(Outcome.FAILURE);
        assertThat(result.output()).endsWith("stopped after 10 redirects");
        assertThat(server.hits("/loop")).isEqualTo(10);
    }

    @Test
    void noListenerFails() throws IOException, InterruptedException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        HTTPGetAction action = new HTTPGetActionBuilder().withPath("/x").withPort(new IntOrString(closed)).build();

        HandlerResult result = probe(action);
        assertThat(result.outcome()).isEqualTo(Outcome.FAILURE);
        assertThat(result.output()).startsWith("Get \"http://127.0.0.1:" + closed + "/x\": ").containsIgnoringCase("refused");
    }

    @Test
    void aSlowAnswerFailsAtTheTimeout() throws InterruptedException {
        long started = System.nanoTime();
        HandlerResult result = handler.probe(get("/stall"), container, FakeRuntime.sandbox(), Duration.ofSeconds(1));

        assertThat(result).isEqualTo(HandlerResult.failure("Get \"http://127.0.0.1:" + server.port()
                + "/stall\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void httpsDoesNotVerifyTheCertificate() throws Exception {
        // a self-signed certificate for another name, as a pod's own serving certificate often is
        KeyPair keys = KeyPairs.ecP256();
        X509Certificate certificate = CertificateSigner.selfSignedCa(keys, "not-this-host", Instant.now().minusSeconds(60),
                Instant.now().plusSeconds(3600));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", keys.getPrivate(), new char[0], new X509Certificate[] {certificate});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(store, new char[0]);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), null, null);
        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        https.createContext("/secure", exchange -> {
            exchange.sendResponseHeaders(exchange.getRequestURI().getQuery() == null ? 200 : 500, -1);
            exchange.close();
        });
        https.start();
        try {
            HTTPGetAction action = new HTTPGetActionBuilder().withScheme("HTTPS").withPath("/secure")
                    .withPort(new IntOrString(https.getAddress().getPort())).build();
            assertThat(probe(action)).isEqualTo(HandlerResult.success(""));
            HTTPGetAction failing = new HTTPGetActionBuilder(action).withPath("/secure?fail").build();
            assertThat(probe(failing)).isEqualTo(HandlerResult.failure("HTTP probe failed with statuscode: 500"));
        } finally {
            https.stop(0);
        }
    }

    @Test
    void withoutPodAddressItIsAnError() throws InterruptedException {
        HandlerResult result = handler.probe(get("/"), container, null, Duration.ofSeconds(1));

        assertThat(result).isEqualTo(HandlerResult.error("the pod has no IP address yet"));
    }
}
