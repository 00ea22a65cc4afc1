package io.platform.controllers;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
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

/** Stopping the controller manager application, as {@code platform up} does on Ctrl-C, logs no errors and no stack traces. */
@ExtendWith(OutputCaptureExtension.class)
class ControllerManagerShutdownTest {

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
    void stopsQuietlyWhileARolloutIsUnderWay(CapturedOutput output) {
        ConfigurableApplicationContext controllers = start();
        // pods never become ready here: the Deployment stays mid-rollout while the manager stops
        admin.apps().deployments().inNamespace("default").resource(new DeploymentBuilder()
                .withNewMetadata().withName("busy").withNamespace("default").endMetadata()
                .withNewSpec().withReplicas(3).withNewSelector().addToMatchLabels("app", "busy").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "busy").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("busybox:1.35").endContainer().endSpec()
                .endTemplate().endSpec().build()).create();
        await().atMost(Duration.ofSeconds(10)).until(() -> admin.pods().inNamespace("default").list().getItems().size() == 3);
        int before = output.length();

        controllers.close();

        ComponentUnderTest.assertQuietFrom(output, before);
    }

    @Test
    void stopsQuietlyRightAfterStarting(CapturedOutput output) {
        ConfigurableApplicationContext controllers = start();
        int before = output.length();

        controllers.close();

        ComponentUnderTest.assertQuietFrom(output, before);
    }

    private static ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(ControllerManagerApplication.class)
                .web(WebApplicationType.NONE)
                .properties(Map.of("platform.controllers.kubeconfig", server.pki().controllerManagerKubeconfig().toString(),
                        "spring.main.banner-mode", "off",
                        "spring.autoconfigure.exclude", ComponentUnderTest.WITHOUT_DATABASE))
                .registerShutdownHook(false)
                .run();
    }
}
