package io.platform.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.platform.agent.runtime.ContainerInstance;
import io.platform.agent.runtime.ContainerRuntime;
import io.platform.agent.testing.AgentCluster;
import io.platform.agent.testing.RequiresDockerEngine;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Probes against a busybox {@code httpd} in a pod the agent runs on the real Docker engine: the
 * served file is removed and restored through CGI scripts in the container, and readiness and
 * liveness follow.
 */
@RequiresDockerEngine
class ProbesDockerTest {

    /** httpd serving /www, with CGI scripts that remove and restore the probed files. */
    private static final String SERVER = """
            mkdir -p /www/cgi-bin
            echo ok > /www/healthz
            echo ok > /www/alive
            cgi() {
              printf '#!/bin/sh\\n%s\\nprintf "Content-Type: text/plain\\\\r\\\\n\\\\r\\\\ndone\\\\n"\\n' "$2" > /www/cgi-bin/$1
              chmod +x /www/cgi-bin/$1
            }
            cgi down 'rm -f /www/healthz'
            cgi up 'echo ok > /www/healthz'
            cgi die 'rm -f /www/alive'
            exec httpd -f -p 8080 -h /www
            """;

    private static AgentCluster cluster;

    @BeforeAll
    static void start() {
        cluster = AgentCluster.start("probes-node", Map.of("platform.agent.runtime", "docker"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void readinessAndLivenessFollowTheServedFile() throws Exception {
        // the pod runs without probes, so only this test's prober acts on its results
        Pod created = cluster.client().pods().inNamespace("default").resource(new PodBuilder().withNewMetadata()
                .withName("httpd").endMetadata().withNewSpec().withNodeName(cluster.nodeName()).addToContainers(new ContainerBuilder().withName("web")
                        .withImage("busybox:1.35").withCommand("sh", "-c", SERVER)
                        .addNewPort().withName("http").withContainerPort(8080).endPort().build())
                .endSpec().build()).create();
        Pod running = await().atMost(Duration.ofSeconds(60)).until(
                () -> cluster.client().pods().inNamespace("default").withName("httpd").get(),
                pod -> pod != null && "Running".equals(pod.getStatus().getPhase()) && pod.getStatus().getPodIP() != null);
        String podIp = running.getStatus().getPodIP();
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                .until(() -> get(plain, podIp, "/healthz") == 200);

        ContainerRuntime runtime = cluster.agent().getBean(ContainerRuntime.class);
        List<ContainerInstance> instances = runtime.podContainers(created.getMetadata().getUid());
        String web = instances.stream().filter(i -> i.name().equals("web") && i.running()).findFirst().orElseThrow().id();
        Probe readiness = new ProbeBuilder().withNewHttpGet().withPath("/healthz").withPort(new IntOrString("http"))
                .endHttpGet().withPeriodSeconds(1).withFailureThreshold(1).build();
        Probe liveness = new ProbeBuilder().withNewHttpGet().withPath("/alive").withPort(new IntOrString(8080))
                .endHttpGet().withPeriodSeconds(1).withFailureThreshold(2).build();
        Probe startup = new ProbeBuilder().withNewHttpGet().withPath("/healthz").withPort(new IntOrString(8080))
                .endHttpGet().withPeriodSeconds(1).withFailureThreshold(30).build();
        Pod probed = new PodBuilder(running).editSpec().editFirstContainer().withReadinessProbe(readiness)
                .withLivenessProbe(liveness).withStartupProbe(startup).endContainer().endSpec().build();
        List<String> changes = new CopyOnWriteArrayList<>();

        try (PodProbes probes = new PodProbes(runtime, Clock.systemUTC(), changes::add)) {
            probes.update(probed, instances);
            await().atMost(Duration.ofSeconds(10)).until(() -> probes.started(web) && probes.ready(web));

            assertThat(get(plain, podIp, "/cgi-bin/down")).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> !probes.ready(web));
            assertThat(probes.failure(web)).isEqualTo("Readiness probe failed: HTTP probe failed with statuscode: 404");
            assertThat(probes.unhealthy(web)).as("liveness probes another file").isNull();

            assertThat(get(plain, podIp, "/cgi-bin/up")).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> probes.ready(web));
            assertThat(changes).contains(created.getMetadata().getUid());

            assertThat(get(plain, podIp, "/cgi-bin/die")).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> probes.unhealthy(web) != null);
            assertThat(probes.unhealthy(web)).isEqualTo("Container web failed liveness probe, will be restarted");
            assertThat(probes.failure(web)).isEqualTo("Liveness probe failed: HTTP probe failed with statuscode: 404");
            assertThat(probes.ready(web)).as("readiness goes on").isTrue();
        }
    }

    private static int get(HttpClient client, String podIp, String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://" + podIp + ":8080" + path))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
