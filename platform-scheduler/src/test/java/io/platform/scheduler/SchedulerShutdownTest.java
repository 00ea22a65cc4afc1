package io.platform.scheduler;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.platform.api.testing.ComponentUnderTest;
import io.platform.api.testing.RunningApiServer;
import io.platform.common.client.KubeconfigClients;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/** Stopping the scheduler application, as {@code platform up} does on Ctrl-C, logs no errors and no stack traces. */
@ExtendWith(OutputCaptureExtension.class)
class SchedulerShutdownTest {

    private static RunningApiServer server;
    private static KubernetesClient admin;

    @BeforeAll
    static void startApiServer() {
        server = RunningApiServer.start("node-a");
        admin = KubeconfigClients.fromFile(server.pki().adminKubeconfig());
    }

    @AfterAll
    static void stopApiServer() {
        admin.close();
        server.close();
    }

    @Test
    void stopsQuietlyWhileRetryingAnUnschedulablePod(CapturedOutput output) {
        ConfigurableApplicationContext scheduler = start();
        // no node at all: the scheduler keeps retrying the pod while it stops
        admin.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("pending").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("busybox:1.35").endContainer().endSpec().build())
                .create();
        await().atMost(Duration.ofSeconds(10)).until(() -> output.getOut().contains("default/pending is unschedulable"));
        int before = output.length();

        scheduler.close();

        ComponentUnderTest.assertQuietFrom(output, before);
    }

    @Test
    void stopsQuietlyRightAfterStarting(CapturedOutput output) {
        ConfigurableApplicationContext scheduler = start();
        int before = output.length();

        scheduler.close();

        ComponentUnderTest.assertQuietFrom(output, before);
    }

    private static ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(SchedulerApplication.class)
                .web(WebApplicationType.NONE)
                .properties(Map.of("platform.scheduler.kubeconfig", server.pki().schedulerKubeconfig().toString(),
                        "spring.main.banner-mode", "off",
                        "spring.autoconfigure.exclude", ComponentUnderTest.WITHOUT_DATABASE))
                .registerShutdownHook(false)
                .run();
    }
}
