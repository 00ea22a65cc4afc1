package io.platform.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.platform.agent.bootstrap.KubeconfigFiles;
import io.platform.common.client.KubeconfigClients;
import io.platform.common.pki.PemFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node joined from another data dir stays part of the cluster through {@code certs rotate-ca} and
 * {@code rotate-ca --finish} run while everything runs: it follows the bundle published in cluster-info, so the API
 * server's calls with its node-client certificate of the new CA verify, it requests certificates of the new CA, and
 * after the finish it still reaches the API server (its Lease advances). The finish drops the old CA only once the
 * API server serves the new certificate, so a client reading the new kubeconfig right after it connects.
 */
class JoinedNodeCaRotationTest {

    private static final String NODE = "rotating-node";
    /** The API server reloads its certificates only every 4 s: the finish must wait for it. */
    private static final Map<String, String> SETTINGS = Map.of(
            "platform.api.tls.reload-interval", "4s",
            "platform.agent.trust.sync-interval", "500ms",
            "platform.agent.api.certificate-reload-interval", "300ms",
            "platform.agent.lease-interval", "1s");

    @TempDir
    static Path controlPlaneDir;
    @TempDir
    static Path nodeDir;

    private static JoinTestCluster cluster;
    private static RunningPlatform platform;
    private static KubernetesClient admin;
    private static JoinCommand.JoinedNode joined;

    @BeforeAll
    static void startControlPlaneAndJoin() throws Exception {
        cluster = JoinTestCluster.start(controlPlaneDir, nodeDir, NODE, SETTINGS);
        platform = cluster.platform();
        admin = cluster.admin();
        Matcher join = JoinTestCluster.JOIN_LINE.matcher(cluster.token("create").lines().toList().get(1));
        assertThat(join.matches()).isTrue();
        joined = cluster.join(join.group(1), "--token", join.group(2), "--discovery-token-ca-cert-hash",
                join.group(3));
        admin.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("on-rotating-node")
                .endMetadata().withNewSpec().withNodeName(NODE).addNewContainer().withName("app")
                .withImage("busybox:1.35").endContainer().endSpec().build()).create();
        awaitAgentReachable();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aJoinedNodeFollowsTheCaRotationAndTheFinishWaitsForTheNewServingCertificates() throws Exception {
        X509Certificate oldCa = cluster.clusterCa();

        String rotated = cluster.certs("rotate-ca", "--wait-timeout", "60s");

        assertThat(rotated).contains("Published pki/ca-bundle.crt in kube-public/cluster-info");
        X509Certificate newCa = cluster.clusterCa();
        assertThat(newCa.getSerialNumber()).isNotEqualTo(oldCa.getSerialNumber());
        // the node takes over old + new CA: the API server's new node-client certificate verifies at the agent
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                PemFiles.parseCertificates(PemFiles.read(nodeDir.resolve("pki/ca.crt")), "ca.crt"))
                .containsExactlyInAnyOrder(oldCa, newCa));
        assertThat(KubeconfigFiles.certificateAuthorities(KubeconfigFiles.read(cluster.nodeKubeconfig()), cluster.nodeKubeconfig()))
                .containsExactlyInAnyOrder(oldCa, newCa);
        awaitAgentReachable();
        // and it asked for certificates of the new CA
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            cluster.clientCertificate().verify(newCa.getPublicKey());
            cluster.servingCertificate().verify(newCa.getPublicKey());
        });

        String finished = cluster.certs("rotate-ca", "--finish", "--wait-timeout", "60s");

        assertThat(finished).contains("Waiting (up to 60s) until the API server and the node agents serve");
        // the old CA was dropped only after the API server served the new certificate: a client of the new
        // kubeconfig (trusting only the new CA) connects at once
        try (KubernetesClient fresh = KubeconfigClients.fromFile(platform.pki().adminKubeconfig(),
                config -> config.setRequestRetryBackoffLimit(0))) {
            assertThat(fresh.namespaces().withName("default").get()).isNotNull();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                PemFiles.parseCertificates(PemFiles.read(nodeDir.resolve("pki/ca.crt")), "ca.crt"))
                .containsExactly(newCa));
        awaitAgentReachable();
        String renewedAt = cluster.leaseRenewTime();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(cluster.leaseRenewTime()).isNotEqualTo(renewedAt));
        assertThat(joined.agent().isActive()).isTrue();
    }

    /** The API server reaches the agent: its own healthz call and a pod log request answered by the agent. */
    private static void awaitAgentReachable() {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(IOException.class)
                .untilAsserted(() -> assertThat(cluster.agentHealthz().statusCode()).isEqualTo(200));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThatThrownBy(
                () -> admin.pods().inNamespace("default").withName("on-rotating-node").getLog())
                .isInstanceOf(KubernetesClientException.class)
                .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isNotEqualTo(503))
                .hasMessageNotContaining("cannot reach the node agent")
                .hasMessageContaining("/containerLogs/default/on-rotating-node/app"));
    }
}
