package io.platform.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.platform.api.pki.CertificateAuthority;
import io.platform.api.pki.IssuedCertificate;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.node.ObjectNode;

/** {@code pods/{name}/log} against a stand-in node agent that, like the real one, demands the API server's client certificate. */
class PodLogProxyTest extends ApiServerTestSupport {

    private DisposableServer agent;
    private final AtomicReference<String> requested = new AtomicReference<>();
    private final AtomicReference<String> caller = new AtomicReference<>();
    private final AtomicReference<BigInteger> callerSerial = new AtomicReference<>();

    @BeforeEach
    void startAgent() throws Exception {
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(DATA_DIR.resolve("pki"));
        IssuedCertificate serving = ca.issueServer("system:node:n1", List.of("localhost"), List.of("127.0.0.1"));
        SslContext ssl = SslContextBuilder.forServer(stream(serving.certificatePem()), stream(serving.privateKeyPem()))
                .trustManager(stream(ca.certificatePem())).clientAuth(ClientAuth.REQUIRE).build();
        agent = HttpServer.create().host("127.0.0.1").port(0).secure(spec -> spec.sslContext(ssl))
                .route(routes -> routes.get("/containerLogs/{namespace}/{pod}/{container}", (request, response) -> {
                    requested.set(request.uri());
                    request.withConnection(connection -> {
                        try {
                            X509Certificate peer = (X509Certificate) connection.channel().pipeline().get(SslHandler.class)
                                    .engine().getSession().getPeerCertificates()[0];
                            caller.set(peer.getSubjectX500Principal().getName());
                            callerSerial.set(peer.getSerialNumber());
                        } catch (Exception e) {
                            caller.set("none");
                        }
                    });
                    if (request.param("container").equals("missing")) {
                        return response.status(404).sendString(Flux.just("container not found"));
                    }
                    return response.header("Content-Type", "text/plain").sendString(Flux.just("line 1\n", "line 2\n"));
                }))
                .bindNow();
    }

    private static ByteArrayInputStream stream(String pem) {
        return new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8));
    }

    @AfterEach
    void stopAgent() {
        agent.disposeNow();
    }

    /** A node whose agent is the stand-in, and a pod {@code p} with containers a and b on it; returns the pods path. */
    private String podOnTheAgent() {
        String node = "n-" + port + "-" + System.nanoTime();
        post("/api/v1/nodes", Map.of("metadata", Map.of("name", node), "status", Map.of(
                "addresses", List.of(Map.of("type", "InternalIP", "address", "127.0.0.1")),
                "daemonEndpoints", Map.of("kubeletEndpoint", Map.of("Port", agent.port())))), 201);
        String ns = newNamespace();
        String pods = "/api/v1/namespaces/" + ns + "/pods";
        post(pods, Map.of("metadata", Map.of("name", "p",
                        "annotations", Map.of("kubectl.kubernetes.io/default-container", "b")),
                "spec", Map.of("nodeName", node, "containers", List.of(
                        Map.of("name", "a", "image", "busybox:1.35"), Map.of("name", "b", "image", "busybox:1.35")))), 201);
        return pods;
    }

    @Test
    void logsAreStreamedFromTheNodeAgentOfThePod() {
        String pods = podOnTheAgent();
        String ns = pods.split("/")[4];

        String body = client().get().uri(pods + "/p/log?follow=true&tailLines=10").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith("text/plain")
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(body).isEqualTo("line 1\nline 2\n");
        assertThat(requested.get()).isEqualTo("/containerLogs/" + ns + "/p/b?follow=true&tailLines=10");
        assertThat(caller.get()).contains("CN=system:apiserver");

        ObjectNode invalid = get(pods + "/p/log?container=c", 400);
        assertThat(invalid.path("message").asString()).isEqualTo("container c is not valid for pod p");
    }

    @Test
    void aRenewedNodeClientCertificateIsPresentedWithoutARestart() throws Exception {
        String pods = podOnTheAgent();
        client().get().uri(pods + "/p/log").exchange().expectStatus().isOk();
        BigInteger before = callerSerial.get();

        CertificateAuthority ca = CertificateAuthority.loadOrCreate(DATA_DIR.resolve("pki"));
        IssuedCertificate renewed = ca.issueClient("system:apiserver", List.of());
        renewed.writeTo(DATA_DIR.resolve("pki/apiserver-node-client.crt"), DATA_DIR.resolve("pki/apiserver-node-client.key"));

        client().get().uri(pods + "/p/log").exchange().expectStatus().isOk();
        assertThat(callerSerial.get()).isNotEqualTo(before).isEqualTo(renewed.certificate().getSerialNumber());
    }
}
