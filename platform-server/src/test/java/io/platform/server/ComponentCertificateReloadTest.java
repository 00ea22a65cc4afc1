package io.platform.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.platform.agent.docker.DockerEngines;
import io.platform.api.pki.ClusterPki;
import io.platform.common.client.KubeconfigClients;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * The scheduler and the controller manager keep working through {@code certs rotate-ca} and
 * {@code certs rotate-ca --finish} without a restart, and authenticate with the certificates the rotation wrote: after
 * the finish, an API server started again (so every client has to open new connections) accepts only certificates
 * of the new CA, and records which certificate each request came with.
 */
class ComponentCertificateReloadTest {

    private static final Duration SETTLE = Duration.ofSeconds(90);

    @TempDir
    Path dataDir;

    /** Outside the data dir, where the rotation renews every kubeconfig. */
    @TempDir
    Path saved;

    @Test
    void schedulerAndControllersFollowACaRotationWithoutRestart() throws Exception {
        UpOptions options = UpOptions.parse(List.of("--data-dir", dataDir.toString(), "--api-port",
                Integer.toString(FreePorts.next()), "--components", "api,scheduler,controllers", "--node-name", "node-a",
                "--shutdown-timeout", "2s"));
        PlatformMain main = new PlatformMain(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        ConfigurableApplicationContext restarted = null;
        try (RunningPlatform platform = main.up(options);
                KubernetesClient admin = KubeconfigClients.fromFile(platform.pki().adminKubeconfig())) {
            ClusterPki pki = platform.pki();
            createReadyNode(admin, "node-a");
            deploymentRunsOnNode(admin, "before-rotation");
            Path schedulerBefore = saved.resolve("scheduler-before-rotation.kubeconfig");
            Files.copy(pki.schedulerKubeconfig(), schedulerBefore);
            BigInteger firstSchedulerSerial = clientCertificate(pki.schedulerKubeconfig()).getSerialNumber();

            assertThat(main.run(List.of("certs", "rotate-ca", "--new-keys", "--data-dir", dataDir.toString())))
                    .isEqualTo(PlatformMain.OK);
            deploymentRunsOnNode(admin, "during-rotation");
            assertThat(main.run(List.of("certs", "rotate-ca", "--finish", "--data-dir", dataDir.toString())))
                    .isEqualTo(PlatformMain.OK);
            deploymentRunsOnNode(admin, "after-rotation");

            // A restarted API server: every connection is new, and only the new CA's client certificates pass.
            platform.context(Component.API).orElseThrow().close();
            restarted = PlatformLauncher.application(Component.API, options, pki, DockerEngines.defaultHost())
                    .sources(PeerCertificateRecording.class)
                    .run();
            PeerCertificateRecorder recorder = restarted.getBean(PeerCertificateRecorder.class);
            await().atMost(SETTLE).ignoreExceptions().until(() -> admin.namespaces().list() != null);
            deploymentRunsOnNode(admin, "after-api-restart");

            X509Certificate scheduler = clientCertificate(pki.schedulerKubeconfig());
            X509Certificate controllerManager = clientCertificate(pki.controllerManagerKubeconfig());
            X509Certificate newCa = certificate(Files.readString(pki.caCertificate()));
            assertThat(scheduler.getSerialNumber()).isNotEqualTo(firstSchedulerSerial);
            scheduler.verify(newCa.getPublicKey());
            controllerManager.verify(newCa.getPublicKey());
            assertThat(recorder.serials(ClusterPki.SCHEDULER_USER)).containsExactly(scheduler.getSerialNumber());
            assertThat(recorder.serials(ClusterPki.CONTROLLER_MANAGER_USER))
                    .containsExactly(controllerManager.getSerialNumber());

            // what the scheduler held before the rotation is refused now: it can only be working with the new one
            try (KubernetesClient before = KubeconfigClients.fromFile(schedulerBefore,
                    config -> config.setRequestRetryBackoffLimit(0))) {
                assertThatThrownBy(() -> before.pods().inNamespace("default").list())
                        .isInstanceOf(KubernetesClientException.class);
            }
            assertThat(recorder.serials(ClusterPki.SCHEDULER_USER)).doesNotContain(firstSchedulerSerial);
        } finally {
            if (restarted != null) {
                restarted.close();
            }
        }
    }

    /** A Deployment whose ReplicaSet the controller manager makes and whose pods the scheduler binds to {@code node}. */
    private static void deploymentRunsOnNode(KubernetesClient admin, String name) {
        Deployment deployment = new DeploymentBuilder()
                .withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec()
                .withReplicas(2)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate()
                .withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addToContainers(new ContainerBuilder().withName("main").withImage("busybox:1.35")
                        .withCommand("sleep", "3600")
                        .withResources(new ResourceRequirementsBuilder()
                                .addToRequests("cpu", new Quantity("10m")).build())
                        .build())
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
        admin.apps().deployments().inNamespace("default").resource(deployment).create();
        await().atMost(SETTLE).untilAsserted(() -> {
            List<ReplicaSet> replicaSets = admin.apps().replicaSets().inNamespace("default")
                    .withLabel("app", name).list().getItems();
            assertThat(replicaSets).hasSize(1);
            List<Pod> pods = admin.pods().inNamespace("default").withLabel("app", name).list().getItems();
            assertThat(pods).hasSize(2).allSatisfy(pod -> assertThat(pod.getSpec().getNodeName()).isEqualTo("node-a"));
        });
    }

    private static void createReadyNode(KubernetesClient admin, String name) {
        admin.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
        Map<String, Quantity> resources = Map.of("cpu", new Quantity("4"), "memory", new Quantity("8Gi"), "pods",
                new Quantity("110"));
        admin.nodes().withName(name).editStatus(node -> new NodeBuilder(node).withStatus(new NodeStatusBuilder()
                .withAllocatable(resources)
                .withCapacity(resources)
                .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady").endCondition()
                .build()).build());
    }

    private static X509Certificate clientCertificate(Path kubeconfig) throws CertificateException {
        String data = KubeconfigClients.config(kubeconfig).getClientCertData();
        return certificate(new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8));
    }

    private static X509Certificate certificate(String pem) throws CertificateException {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8)));
    }

    /** Added to the restarted API server: records the client certificate of every request, by user. */
    @Configuration(proxyBeanMethods = false)
    static class PeerCertificateRecording {

        @Bean
        PeerCertificateRecorder peerCertificateRecorder() {
            return new PeerCertificateRecorder();
        }
    }

    static final class PeerCertificateRecorder implements WebFilter, Ordered {

        private final Map<String, Set<BigInteger>> serials = new ConcurrentHashMap<>();

        @Override
        public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
            SslInfo tls = exchange.getRequest().getSslInfo();
            X509Certificate[] certificates = tls == null ? null : tls.getPeerCertificates();
            if (certificates != null && certificates.length > 0) {
                serials.computeIfAbsent(commonName(certificates[0]), user -> ConcurrentHashMap.newKeySet())
                        .add(certificates[0].getSerialNumber());
            }
            return chain.filter(exchange);
        }

        Set<BigInteger> serials(String user) {
            return Set.copyOf(serials.getOrDefault(user, Set.of()));
        }

        private static String commonName(X509Certificate certificate) {
            try {
                return new LdapName(certificate.getSubjectX500Principal().getName()).getRdns().stream()
                        .filter(rdn -> rdn.getType().equalsIgnoreCase("CN"))
                        .map(Rdn::getValue)
                        .map(Object::toString)
                        .findFirst()
                        .orElse("");
            } catch (InvalidNameException e) {
                return "";
            }
        }

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE;
        }
    }
}
