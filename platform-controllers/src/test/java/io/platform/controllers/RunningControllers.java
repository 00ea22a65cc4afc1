package io.platform.controllers;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.platform.api.testing.RunningApiServer;
import io.platform.common.client.KubeconfigClients;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A real API server with the controller manager running against it under its own identity, and an
 * admin client for the test to act as a user (and as the node agent, which does not run here).
 */
public final class RunningControllers implements AutoCloseable {

    private final RunningApiServer server;
    private final KubernetesClient managerClient;
    private final ControllerManager manager;
    private final KubernetesClient admin;

    private RunningControllers(RunningApiServer server, Clock clock) {
        this.server = server;
        this.managerClient = KubeconfigClients.fromFile(server.pki().controllerManagerKubeconfig());
        // signing with the cluster CA, as the launcher configures it; the cleaner looks at requests often
        ControllersProperties.Certificates certificates = new ControllersProperties.Certificates(
                server.pki().caCertificate(), server.pki().caKey(), Duration.ofDays(365),
                Duration.ofMinutes(5), true, Duration.ofHours(1), Duration.ofHours(1), Duration.ofHours(1),
                Duration.ofHours(24), Duration.ofMillis(200));
        this.manager = new ControllerManager(managerClient, new ControllersProperties(server.pki().controllerManagerKubeconfig(), 2, 2, 1,
                Duration.ofMinutes(10), Duration.ofMillis(5), Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofSeconds(5),
                certificates), clock);
        this.admin = KubeconfigClients.fromFile(server.pki().adminKubeconfig());
    }

    public static RunningControllers start() {
        return start(Clock.systemUTC());
    }

    /** As {@link #start()}, the controllers reading time from {@code clock}. */
    public static RunningControllers start(Clock clock) {
        RunningControllers running = new RunningControllers(RunningApiServer.start("node-a"), clock);
        running.manager.start();
        await().atMost(Duration.ofSeconds(15)).until(running.manager::hasSynced);
        return running;
    }

    public KubernetesClient admin() {
        return admin;
    }

    public RunningApiServer server() {
        return server;
    }

    /** Creates a namespace of its own for one test, so tests of a class share the server without seeing each other. */
    public String namespace(String name) {
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
        return name;
    }

    /** Plays the node agent: every pod of the namespace becomes Running and Ready through the status subresource. */
    public void markPodsReady(String namespace) {
        for (Pod pod : pods(namespace)) {
            boolean ready = pod.getStatus() != null && pod.getStatus().getConditions() != null
                    && pod.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
            if (ready) {
                continue;
            }
            Pod running = new PodBuilder(pod).withNewStatus().withPhase("Running")
                    .addNewCondition().withType("Ready").withStatus("True").withLastTransitionTime(Instant.now().toString()).endCondition()
                    .endStatus().build();
            try {
                admin.pods().inNamespace(namespace).resource(running).subresource("status").update();
            } catch (KubernetesClientException e) {
                // changed or deleted by a controller meanwhile: the caller's next poll sees it again
                if (e.getCode() != 409 && e.getCode() != 404) {
                    throw e;
                }
            }
        }
    }

    /** Pods of the namespace that are not being deleted. */
    public List<Pod> pods(String namespace) {
        return admin.pods().inNamespace(namespace).list().getItems().stream()
                .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null).toList();
    }

    @Override
    public void close() {
        manager.close();
        managerClient.close();
        admin.close();
        server.close();
    }
}
