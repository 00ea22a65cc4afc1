package io.platform.agent.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.platform.agent.AgentProperties;
import io.platform.agent.testing.TestPki;
import io.platform.api.pki.CertificateAuthority;
import io.platform.api.pki.CertificateRenewal;
import io.platform.api.pki.IssuedCertificate;
import io.platform.api.testing.ComponentUnderTest;
import io.platform.api.testing.RunningApiServer;
import io.platform.common.client.KubeconfigClients;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.Socket;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The agent's API security against a real API server: TLS with the agent's serving certificate, client
 * certificates and bearer tokens authenticated, every call authorized by a SubjectAccessReview on
 * {@code nodes/<subresource>}, rights granted through ClusterRoles, and a renewed serving certificate served
 * without a restart. The endpoints behind the filter are stand-ins (no Docker engine needed); the real container
 * log endpoint is covered by the agent's Docker tests.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeApiSecurityTest {

    private static final String NODE = "secure-node";

    private static RunningApiServer server;
    private static KubernetesClient admin;
    private static ConfigurableApplicationContext agent;

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @EnableConfigurationProperties({AgentProperties.class, AgentApiProperties.class})
    @Import({AgentServerSsl.class, NodeApiAuthenticator.class, NodeApiAuthorizer.class, NodeApiSecurityFilter.class})
    static class SecuredEndpoints {

        @Bean(destroyMethod = "close")
        KubernetesClient kubernetesClient(AgentProperties properties) {
            return KubeconfigClients.fromFile(properties.kubeconfig());
        }

        @Bean
        Clock clock() {
            return Clock.systemUTC();
        }

        @Bean
        ReactorResourceFactory reactorResourceFactory() {
            ReactorResourceFactory factory = new ReactorResourceFactory();
            factory.setUseGlobalResources(false);
            return factory;
        }

        @Bean
        RouterFunction<ServerResponse> endpoints() {
            return RouterFunctions.route(RequestPredicates.all(), request -> ServerResponse.ok()
                    .contentType(MediaType.TEXT_PLAIN).bodyValue("served " + request.method() + " " + request.path()));
        }
    }

    @BeforeAll
    static void start() {
        server = RunningApiServer.start(NODE, Map.of("platform.api.authorization.modes", "Node,RBAC"));
        admin = KubeconfigClients.fromFile(server.pki().adminKubeconfig());
        agent = new SpringApplicationBuilder(SecuredEndpoints.class)
                .web(WebApplicationType.REACTIVE)
                .properties(Map.ofEntries(
                        Map.entry("server.port", 0),
                        Map.entry("spring.main.banner-mode", "off"),
                        Map.entry("spring.autoconfigure.exclude", ComponentUnderTest.WITHOUT_DATABASE),
                        Map.entry("platform.agent.kubeconfig", server.pki().nodeAgentKubeconfig().toString()),
                        Map.entry("platform.agent.node-name", NODE),
                        Map.entry("platform.agent.cluster-id", server.pki().clusterId()),
                        Map.entry("platform.agent.tls-cert", server.pki().nodeAgentCertificate().toString()),
                        Map.entry("platform.agent.tls-key", server.pki().nodeAgentKey().toString()),
                        Map.entry("platform.agent.client-ca", server.pki().caBundle().toString()),
                        Map.entry("platform.agent.api.authorization-denied-cache-ttl", "1s"),
                        Map.entry("platform.agent.api.authentication-failure-cache-ttl", "1s"),
                        Map.entry("platform.agent.api.certificate-reload-interval", "200ms")))
                .run();
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.close();
        }
        if (admin != null) {
            admin.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void refusesCallsWithoutCredentials() throws Exception {
        HttpResponse<String> response = send(anonymous(), "GET", "/containerLogs/default/web/web");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("\"reason\":\"Unauthorized\"");
        assertThat(send(anonymous(), "GET", "/healthz").statusCode()).isEqualTo(401);
    }

    @Test
    void refusesACertificateNoClusterCaSigned() throws Exception {
        TestPki.Issued foreign = TestPki.selfSigned("CN=system:apiserver,O=system:masters");
        HttpClient client = presenting(foreign.key(), foreign.certificate());

        assertThatThrownBy(() -> send(client, "GET", "/healthz")).isInstanceOf(IOException.class);
    }

    @Test
    void forbidsAUserWithoutRightsOnTheNodeUntilAClusterRoleGrantsThem() throws Exception {
        HttpClient alice = withCertificate("alice", List.of("developers"));

        HttpResponse<String> refused = send(alice, "GET", "/containerLogs/default/web/web");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("\"reason\":\"Forbidden\"")
                .contains("Forbidden (user=alice, verb=get, resource=nodes, subresource(s)=[proxy])");

        grant("alice-node-proxy", "User", "alice", List.of("get"), "nodes/proxy");

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(send(alice, "GET", "/containerLogs/default/web/web").statusCode()).isEqualTo(200));
        assertThat(send(alice, "GET", "/containerLogs/default/web/web").body())
                .isEqualTo("served GET /containerLogs/default/web/web");
        HttpResponse<String> stats = send(alice, "GET", "/stats/summary");
        assertThat(stats.statusCode()).isEqualTo(403);
        assertThat(stats.body()).contains("Forbidden (user=alice, verb=get, resource=nodes, subresource(s)=[stats])");
        HttpResponse<String> create = send(alice, "POST", "/run/default/web/web");
        assertThat(create.statusCode()).isEqualTo(403);
        assertThat(create.body()).contains("Forbidden (user=alice, verb=create, resource=nodes, subresource(s)=[proxy])");
    }

    @Test
    void authorizesGroupsFromTheCertificateOrganization() throws Exception {
        grant("log-readers-node-log", "Group", "log-readers", List.of("get"), "nodes/log");
        HttpClient bob = withCertificate("bob", List.of("log-readers"));

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(send(bob, "GET", "/logs/syslog").statusCode()).isEqualTo(200));
        assertThat(send(bob, "GET", "/containerLogs/default/web/web").statusCode()).isEqualTo(403);
    }

    @Test
    void letsTheApiServerIdentityThrough() throws Exception {
        IssuedCertificate apiServer = IssuedCertificate.read(server.pki().apiServerNodeClientCertificate(),
                server.pki().apiServerNodeClientKey());
        HttpClient client = presenting(apiServer);

        assertThat(send(client, "GET", "/containerLogs/default/web/web").statusCode()).isEqualTo(200);
        assertThat(send(client, "GET", "/stats/summary").statusCode()).isEqualTo(200);
    }

    @Test
    void theApiServerLogProxyReachesTheAgentAsSystemApiserver() {
        Node node = admin.nodes().resource(new NodeBuilder().withNewMetadata().withName(NODE).endMetadata().build()).create();
        node.setStatus(new NodeStatusBuilder()
                .addNewAddress("127.0.0.1", "InternalIP")
                .withNewDaemonEndpoints().withNewKubeletEndpoint(port()).endDaemonEndpoints()
                .build());
        admin.nodes().resource(node).updateStatus();
        Pod pod = new PodBuilder().withNewMetadata().withName("web").withNamespace("default").endMetadata()
                .withNewSpec().withNodeName(NODE).addNewContainer().withName("web").withImage("busybox:1.35").endContainer()
                .endSpec().build();
        // the namespace's default ServiceAccount, which admission looks up, appears shortly after the server starts
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                .untilAsserted(() -> assertThat(admin.pods().resource(pod).createOr(NonDeletingOperation::update)).isNotNull());

        assertThat(admin.pods().inNamespace("default").withName("web").getLog())
                .isEqualTo("served GET /containerLogs/default/web/web");
    }

    @Test
    void refusesABearerTokenTheApiServerRejects() throws Exception {
        HttpResponse<String> response = send(anonymous(), "GET", "/containerLogs/default/web/web", "not-a-token");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("\"reason\":\"Unauthorized\"");
    }

    @Test
    void authenticatesAServiceAccountTokenWithATokenReview() throws Exception {
        admin.serviceAccounts().inNamespace("default")
                .resource(new ServiceAccountBuilder().withNewMetadata().withName("node-reader").endMetadata().build())
                .create();
        String token = admin.serviceAccounts().inNamespace("default").withName("node-reader")
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(600L).endSpec().build())
                .getStatus().getToken();

        HttpResponse<String> refused = send(anonymous(), "GET", "/containerLogs/default/web/web", token);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body())
                .contains("Forbidden (user=system:serviceaccount:default:node-reader, verb=get, resource=nodes, subresource(s)=[proxy])");

        grant("node-reader-proxy", "ServiceAccount", "node-reader", List.of("get"), "nodes/proxy");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(send(anonymous(), "GET", "/containerLogs/default/web/web", token).statusCode()).isEqualTo(200));
    }

    @Test
    void servesARenewedCertificateWithoutARestart() throws Exception {
        BigInteger before = servedCertificate().getSerialNumber();
        IssuedCertificate renewed = server.pki().authority().issueServer("system:node:" + NODE, List.of("localhost"),
                List.of("127.0.0.1"));

        renewed.writeTo(server.pki().nodeAgentCertificate(), server.pki().nodeAgentKey());

        assertThat(renewed.certificate().getSerialNumber()).isNotEqualTo(before);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(servedCertificate().getSerialNumber())
                        .isEqualTo(renewed.certificate().getSerialNumber()));
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void trustsTheOldAndTheNewCaDuringARotationAndOnlyTheNewOneAfterIt() throws Exception {
        grant("rotation-node-proxy", "Group", "rotation-group", List.of("get"), "nodes/proxy");
        IssuedCertificate oldCaUser = server.pki().authority().issueClient("rotation-user", List.of("rotation-group"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(send(presenting(oldCaUser), "GET", "/containerLogs/default/web/web").statusCode()).isEqualTo(200));
        CertificateRenewal renewal = new CertificateRenewal(server.dataDir(), Clock.systemUTC());

        renewal.rotateCa(Duration.ofDays(30), false);

        CertificateAuthority newCa = CertificateAuthority.loadOrCreate(server.pki().pkiDir());
        IssuedCertificate newCaUser = newCa.issueClient("rotation-user", List.of("rotation-group"));
        // once the agent reloads the bundle (handshakes fail until then) it trusts both CAs and keeps serving the old
        // CA's certificate until the end
        await().atMost(Duration.ofSeconds(10)).ignoreExceptionsInstanceOf(IOException.class).untilAsserted(() ->
                assertThat(send(presenting(newCaUser), "GET", "/containerLogs/default/web/web").statusCode()).isEqualTo(200));
        assertThat(send(presenting(oldCaUser), "GET", "/containerLogs/default/web/web").statusCode()).isEqualTo(200);
        assertThat(servedCertificate().getIssuerX500Principal()).isNotEqualTo(newCa.certificate().getSubjectX500Principal());

        renewal.finishCaRotation(Duration.ofDays(30));

        // until the agent reloads, it serves the old CA's certificate, which a client of the new bundle refuses
        await().atMost(Duration.ofSeconds(10)).ignoreExceptionsInstanceOf(IOException.class).untilAsserted(() ->
                assertThat(servedCertificate().getIssuerX500Principal()).isEqualTo(newCa.certificate().getSubjectX500Principal()));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThatThrownBy(() -> send(presenting(oldCaUser), "GET", "/containerLogs/default/web/web"))
                        .isInstanceOf(IOException.class));
        assertThat(send(presenting(newCaUser), "GET", "/containerLogs/default/web/web").statusCode()).isEqualTo(200);
    }

    private static void grant(String name, String kind, String subject, List<String> verbs, String resource) {
        admin.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName(name).endMetadata()
                .withRules(new PolicyRuleBuilder().withApiGroups("").withResources(resource).withVerbs(verbs).build())
                .build()).create();
        admin.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata().withName(name)
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", name)
                .addNewSubject().withKind(kind).withName(subject)
                .withApiGroup(kind.equals("ServiceAccount") ? null : "rbac.authorization.k8s.io")
                .withNamespace(kind.equals("ServiceAccount") ? "default" : null).endSubject()
                .build()).create();
    }

    private static X509Certificate servedCertificate() throws Exception {
        HttpResponse<String> response = send(anonymous(), "GET", "/healthz");
        return (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
    }

    private static HttpClient withCertificate(String user, List<String> groups) throws Exception {
        return presenting(server.pki().authority().issueClient(user, groups));
    }

    /**
     * A client presenting {@code key} and {@code certificate} whatever CAs the server names (a JDK client otherwise
     * sends no certificate the server's CAs did not issue, and the call would merely be anonymous), trusting the
     * CAs of the cluster's bundle as it is now.
     */
    private static HttpClient presenting(PrivateKey key, X509Certificate certificate) throws Exception {
        X509KeyManager keys = new X509ExtendedKeyManager() {
            @Override
            public String[] getClientAliases(String keyType, Principal[] issuers) {
                return new String[] {"client"};
            }

            @Override
            public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
                return "client";
            }

            @Override
            public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
                return "client";
            }

            @Override
            public String[] getServerAliases(String keyType, Principal[] issuers) {
                return new String[0];
            }

            @Override
            public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
                return null;
            }

            @Override
            public X509Certificate[] getCertificateChain(String alias) {
                return new X509Certificate[] {certificate};
            }

            @Override
            public PrivateKey getPrivateKey(String alias) {
                return key;
            }
        };
        return client(new KeyManager[] {keys});
    }

    private static HttpClient presenting(IssuedCertificate identity) throws Exception {
        return presenting(identity.privateKey(), identity.certificate());
    }

    /** A fresh client (its own connections) that trusts the cluster's CA bundle and presents no certificate. */
    private static HttpClient anonymous() throws Exception {
        return client(null);
    }

    private static HttpClient client(KeyManager[] keys) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        int i = 0;
        try (InputStream bundle = Files.newInputStream(server.pki().caBundle())) {
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(bundle)) {
                trust.setCertificateEntry("ca-" + i++, certificate);
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys, factory.getTrustManagers(), new SecureRandom());
        return HttpClient.newBuilder().sslContext(context).build();
    }

    private static HttpResponse<String> send(HttpClient client, String method, String path) throws Exception {
        return send(client, method, path, null);
    }

    private static HttpResponse<String> send(HttpClient client, String method, String path, String token)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int port() {
        return ((WebServerApplicationContext) agent).getWebServer().getPort();
    }
}
