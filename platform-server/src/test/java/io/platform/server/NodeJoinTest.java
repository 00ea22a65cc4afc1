package io.platform.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestCondition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.platform.agent.bootstrap.KubeconfigFiles;
import io.platform.api.pki.ClusterPki;
import io.platform.common.pki.CertificateNames;
import java.io.IOException;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * A second node joins a running control plane (API server and controller manager, started as {@code platform up
 * --components api,controllers}) with {@code platform token create} and {@code platform join}, as with kubeadm: the
 * API server is trusted only through the token's cluster-info signature and the CA hash, the node agent gets its
 * client certificate with the bootstrap token and its serving certificate with its own identity (both through
 * CertificateSigningRequests the real controllers approve and sign), registers its Node as itself, is reached by the
 * API server over TLS, and renews both certificates without a restart. No Docker engine is needed: the node is simply
 * NotReady.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeJoinTest {

    private static final String NODE = "joined-node";
    /** Short certificates for the rotation check: 10 minutes, renewed 24–30 s after they were issued. */
    private static final Map<String, String> SETTINGS = Map.of(
            "platform.controllers.certificates.cluster-signing-duration", "10m",
            "platform.controllers.certificates.signing-backdate", "0s",
            "platform.agent.bootstrap.rotation-threshold", "0.04",
            "platform.agent.bootstrap.rotation-jitter", "0.01",
            "platform.agent.api.certificate-reload-interval", "300ms");

    @TempDir
    static Path controlPlaneDir;
    @TempDir
    static Path nodeDir;

    private static JoinTestCluster cluster;
    private static RunningPlatform platform;
    private static KubernetesClient admin;
    private static JoinCommand.JoinedNode joined;
    private static String joinServer;
    private static String joinToken;
    private static String joinHash;

    @BeforeAll
    static void startControlPlane() {
        cluster = JoinTestCluster.start(controlPlaneDir, nodeDir, NODE, SETTINGS);
        platform = cluster.platform();
        admin = cluster.admin();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void tokenCreatePrintsTheTokenAndTheJoinCommandAndStoresTheBootstrapSecret() throws Exception {
        String printed = cluster.token("create", "--description", "join test");

        List<String> lines = printed.lines().toList();
        assertThat(lines).hasSize(2);
        Matcher join = JoinTestCluster.JOIN_LINE.matcher(lines.get(1));
        assertThat(join.matches()).as(lines.get(1)).isTrue();
        joinServer = join.group(1);
        joinToken = join.group(2);
        joinHash = join.group(3);
        assertThat(lines.getFirst()).isEqualTo(joinToken);
        assertThat(joinServer).isEqualTo(KubeconfigFiles.server(KubeconfigFiles.read(platform.pki().adminKubeconfig())));
        assertThat(joinHash).isEqualTo(CaCertHash.of(cluster.clusterCa()));

        String id = joinToken.substring(0, 6);
        Secret secret = admin.secrets().inNamespace("kube-system").withName("bootstrap-token-" + id).get();
        assertThat(secret.getType()).isEqualTo("bootstrap.kubernetes.io/token");
        assertThat(ClusterInfo.decoded(secret.getData(), "token-secret")).isEqualTo(joinToken.substring(7));
        assertThat(ClusterInfo.decoded(secret.getData(), "auth-extra-groups"))
                .isEqualTo("system:bootstrappers:platform:default-node-token");
        assertThat(ZonedDateTime.parse(ClusterInfo.decoded(secret.getData(), "expiration")).toInstant())
                .isBetween(java.time.Instant.now().plus(Duration.ofHours(23)), java.time.Instant.now().plus(Duration.ofHours(25)));
        assertThat(admin.configMaps().inNamespace("kube-public").withName("cluster-info").get().getData())
                .containsKeys("kubeconfig", "cluster-id", "jws-kubeconfig-" + id);
        assertThat(cluster.token("list")).containsPattern("(?m)^" + Pattern.quote(joinToken)
                + "\\s+2[34]h\\s+\\S+Z\\s+"
                + "authentication,signing\\s+join test\\s+system:bootstrappers:platform:default-node-token$");
    }

    @Test
    @Order(2)
    void joinRefusesAWrongTokenOrCaHashAndADeletedToken() throws Exception {
        String otherSecret = "zzzzzzzzzzzzzzzz".equals(joinToken.substring(7)) ? "yyyyyyyyyyyyyyyy" : "zzzzzzzzzzzzzzzz";

        assertThatThrownBy(() -> cluster.join(joinServer, "--token", "unkno0.0123456789abcdef",
                "--discovery-token-ca-cert-hash", joinHash))
                .isInstanceOf(ClusterInfo.DiscoveryException.class)
                .hasMessageContaining("token id \"unkno0\" is invalid for this cluster or it has expired");
        assertThatThrownBy(() -> cluster.join(joinServer, "--token", joinToken.substring(0, 7) + otherSecret,
                "--discovery-token-ca-cert-hash", joinHash))
                .isInstanceOf(ClusterInfo.DiscoveryException.class)
                .hasMessageContaining("does not match the token");
        String wrongHash = "sha256:" + "0".repeat(64);
        assertThatThrownBy(() -> cluster.join(joinServer, "--token", joinToken, "--discovery-token-ca-cert-hash",
                wrongHash))
                .isInstanceOf(ClusterInfo.DiscoveryException.class)
                .hasMessageContaining("matches none of the --discovery-token-ca-cert-hash values given (" + wrongHash + ")")
                .hasMessageContaining(joinHash);

        Matcher deleted = JoinTestCluster.JOIN_LINE.matcher(cluster.token("create", "--ttl", "1h").lines().toList()
                .get(1));
        assertThat(deleted.matches()).isTrue();
        String deletedId = deleted.group(2).substring(0, 6);
        assertThat(cluster.token("delete", deletedId)).contains("bootstrap token \"" + deletedId + "\" deleted");
        assertThatThrownBy(() -> cluster.join(joinServer, "--token", deleted.group(2),
                "--discovery-token-ca-cert-hash", joinHash))
                .isInstanceOf(ClusterInfo.DiscoveryException.class)
                .hasMessageContaining("token id \"" + deletedId + "\" is invalid for this cluster or it has expired");

        assertThat(nodeDir.resolve("bootstrap.kubeconfig")).doesNotExist();
        assertThat(admin.nodes().withName(NODE).get()).isNull();
    }

    @Test
    @Order(3)
    void aJoinedNodeRegistersAsItselfWithCertificatesTheControllersIssued() throws Exception {
        joined = cluster.join(joinServer, "--token", joinToken, "--discovery-token-ca-cert-hash", joinHash);
        X509Certificate ca = cluster.clusterCa();

        X509Certificate client = cluster.clientCertificate();
        client.verify(ca.getPublicKey());
        assertThat(CertificateNames.commonName(client)).isEqualTo("system:node:" + NODE);
        assertThat(CertificateNames.organizations(client)).containsExactly("system:nodes");
        assertThat(nodeDir.resolve("pki/ca.crt")).content().isEqualTo(Files.readString(platform.pki().caBundle()));
        assertThat(nodeDir.resolve(ClusterPki.CLUSTER_ID_FILE)).content().isEqualToIgnoringNewLines(platform.pki().clusterId());

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(admin.nodes().withName(NODE).get())
                .extracting(Node::getStatus).satisfies(status -> assertThat(status.getAddresses())
                        .anySatisfy(address -> assertThat(address.getAddress()).isEqualTo("127.0.0.1"))));
        // the Node was created by the node itself, with the certificate the bootstrap obtained
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(auditEvents().stream()
                .filter(event -> event.path("verb").asString("").equals("create")
                        && event.path("requestURI").asString("").equals("/api/v1/nodes"))
                .map(event -> event.path("user").path("username").asString("") + " "
                        + event.path("responseStatus").path("code").asInt()))
                .containsExactly("system:node:" + NODE + " 201"));

        String bootstrapUser = "system:bootstrap:" + joinToken.substring(0, 6);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<CertificateSigningRequest> csrs = admin.certificates().v1().certificateSigningRequests().list().getItems();
            assertThat(csrs).anySatisfy(csr -> {
                assertThat(csr.getSpec().getUsername()).isEqualTo(bootstrapUser);
                assertThat(csr.getSpec().getSignerName()).isEqualTo("kubernetes.io/kube-apiserver-client-kubelet");
                assertApprovedAndIssued(csr);
            });
            assertThat(csrs).anySatisfy(csr -> {
                assertThat(csr.getSpec().getUsername()).isEqualTo("system:node:" + NODE);
                assertThat(csr.getSpec().getSignerName()).isEqualTo("kubernetes.io/kubelet-serving");
                assertApprovedAndIssued(csr);
            });
        });

        // the agent serves the CA-signed certificate the approver granted for its Node's addresses (handshakes fail
        // while it still serves its self-signed start-up certificate)
        await().atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(IOException.class).untilAsserted(() -> {
            HttpResponse<String> healthz = cluster.agentHealthz();
            assertThat(healthz.statusCode()).isEqualTo(200);
            X509Certificate served = (X509Certificate) healthz.sslSession().orElseThrow().getPeerCertificates()[0];
            served.verify(ca.getPublicKey());
            assertThat(CertificateNames.commonName(served)).isEqualTo("system:node:" + NODE);
        });

        // the API server reaches the agent over TLS: the answer comes from the agent, not from a failed connection
        admin.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("on-joined-node")
                .endMetadata().withNewSpec().withNodeName(NODE).addNewContainer().withName("app")
                .withImage("busybox:1.35").endContainer().endSpec().build()).create();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThatThrownBy(
                () -> admin.pods().inNamespace("default").withName("on-joined-node").getLog())
                .isInstanceOf(KubernetesClientException.class)
                .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isNotEqualTo(503))
                .hasMessageNotContaining("cannot reach the node agent")
                .hasMessageContaining("/containerLogs/default/on-joined-node/app"));
    }

    @Test
    @Order(4)
    void bothCertificatesAreRenewedWithoutARestart() throws Exception {
        X509Certificate ca = cluster.clusterCa();
        BigInteger firstClient = cluster.clientCertificate().getSerialNumber();
        BigInteger firstServing = cluster.servingCertificate().getSerialNumber();

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(cluster.clientCertificate().getSerialNumber()).isNotEqualTo(firstClient);
            assertThat(cluster.servingCertificate().getSerialNumber()).isNotEqualTo(firstServing);
        });
        X509Certificate renewed = cluster.clientCertificate();
        renewed.verify(ca.getPublicKey());
        assertThat(CertificateNames.commonName(renewed)).isEqualTo("system:node:" + NODE);
        assertThat(joined.agent().isActive()).isTrue();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptionsInstanceOf(IOException.class).untilAsserted(() -> {
            HttpResponse<String> healthz = cluster.agentHealthz();
            assertThat(healthz.statusCode()).isEqualTo(200);
            X509Certificate served = (X509Certificate) healthz.sslSession().orElseThrow().getPeerCertificates()[0];
            assertThat(served.getSerialNumber()).isNotEqualTo(firstServing);
        });
        // the renewals came from CSRs the node made as itself (selfnodeclient), not with the bootstrap token
        assertThat(admin.certificates().v1().certificateSigningRequests().list().getItems())
                .filteredOn(csr -> csr.getSpec().getSignerName().equals("kubernetes.io/kube-apiserver-client-kubelet"))
                .anySatisfy(csr -> {
                    assertThat(csr.getSpec().getUsername()).isEqualTo("system:node:" + NODE);
                    assertApprovedAndIssued(csr);
                });
        Lease lease = admin.resources(Lease.class).inNamespace("kube-node-lease").withName(NODE).get();
        String renewedAt = lease.getSpec().getRenewTime().toString();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(admin.resources(Lease.class)
                .inNamespace("kube-node-lease").withName(NODE).get().getSpec().getRenewTime().toString())
                .isNotEqualTo(renewedAt));
    }

    @Test
    @Order(5)
    void aJoinedNodeStartsAgainWithoutAToken() throws Exception {
        joined.close();
        String bootstrapUser = "system:bootstrap:" + joinToken.substring(0, 6);
        long bootstrapRequests = admin.certificates().v1().certificateSigningRequests().list().getItems().stream()
                .filter(csr -> csr.getSpec().getUsername().equals(bootstrapUser)).count();

        joined = cluster.join(joinServer);

        assertThat(joined.agent().isActive()).isTrue();
        String renewedAt = admin.resources(Lease.class).inNamespace("kube-node-lease").withName(NODE).get()
                .getSpec().getRenewTime().toString();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(admin.resources(Lease.class)
                .inNamespace("kube-node-lease").withName(NODE).get().getSpec().getRenewTime().toString())
                .isNotEqualTo(renewedAt));
        assertThat(admin.certificates().v1().certificateSigningRequests().list().getItems().stream()
                .filter(csr -> csr.getSpec().getUsername().equals(bootstrapUser)).count()).isEqualTo(bootstrapRequests);
    }

    private static void assertApprovedAndIssued(CertificateSigningRequest csr) {
        List<CertificateSigningRequestCondition> conditions = csr.getStatus().getConditions();
        assertThat(conditions).anySatisfy(condition -> {
            assertThat(condition.getType()).isEqualTo("Approved");
            assertThat(condition.getStatus()).isEqualTo("True");
            assertThat(condition.getReason()).isEqualTo("AutoApproved");
        });
        assertThat(csr.getStatus().getCertificate()).isNotBlank();
    }

    private static List<JsonNode> auditEvents() throws IOException {
        ObjectMapper json = JsonMapper.builder().build();
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(controlPlaneDir.resolve("audit.log"))) {
            events.add(json.readTree(line));
        }
        return events;
    }
}
