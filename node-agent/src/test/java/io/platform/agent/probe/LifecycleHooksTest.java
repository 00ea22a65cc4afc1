package io.platform.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.LifecycleHandlerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.platform.agent.runtime.ContainerInstance;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LifecycleHooksTest {

    private final HealthServer server = new HealthServer();
    private final FakeRuntime runtime = new FakeRuntime();
    private final LifecycleHooks hooks = new LifecycleHooks(runtime, Clock.systemUTC());
    private final ContainerInstance app = FakeRuntime.container("c1", "app", Instant.EPOCH);
    private final Pod pod = new PodBuilder().withNewMetadata().withNamespace("default").withName("web").withUid("u1")
            .endMetadata().withNewSpec().addNewContainer().withName("app").withImage("busybox").addNewPort().withName("http")
            .withContainerPort(server.port()).endPort().endContainer().endSpec().build();

    @AfterEach
    void stop() {
        server.close();
    }

    private String run(LifecycleHandler handler, Duration timeout) throws InterruptedException {
        return hooks.run(handler, pod, FakeRuntime.sandbox(), app, timeout);
    }

    @Test
    void execSucceedsOnExitZero() throws InterruptedException {
        runtime.answer = FakeRuntime.ExecAnswer.exit(0, "");

        assertThat(run(new LifecycleHandlerBuilder().withNewExec().withCommand("sh", "-c", "echo hi > /tmp/x").endExec()
                .build(), Duration.ofSeconds(1))).isNull();
        assertThat(runtime.execs).containsExactly(List.of("sh", "-c", "echo hi > /tmp/x"));
    }

    @Test
    void execFailureInTheKubeletsWords() throws InterruptedException {
        runtime.answer = FakeRuntime.ExecAnswer.exit(3, "bad\n");

        assertThat(run(new LifecycleHandlerBuilder().withNewExec().withCommand("sh", "-c", "exit 3").endExec().build(),
                Duration.ofSeconds(1))).isEqualTo("Exec lifecycle hook ([sh, -c, exit 3]) for Container \"app\" in Pod"
                        + " \"web_default(u1)\" failed - error: command 'sh -c exit 3' exited with 3: , message: \"bad\n\"");
    }

    @Test
    void httpGetFailsOnlyWithoutAResponse() throws IOException, InterruptedException {
        server.status("/hook", 500);
        assertThat(run(new LifecycleHandlerBuilder().withNewHttpGet().withPath("/hook").withPort(new IntOrString("http"))
                .endHttpGet().build(), Duration.ofSeconds(2))).as("the status does not matter, as the kubelet").isNull();
        assertThat(server.hits("/hook")).isEqualTo(1);

        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        assertThat(run(new LifecycleHandlerBuilder().withNewHttpGet().withPath("/hook").withPort(new IntOrString(closed))
                .endHttpGet().build(), Duration.ofSeconds(2)))
                .startsWith("HTTP lifecycle hook (/hook) for Container \"app\" in Pod \"web_default(u1)\" failed - error: Get \"http://127.0.0.1:"
                        + closed + "/hook\": ");
    }

    @Test
    void tcpSocketFailsAtRunTimeAsTheKubeletsDoes() throws IOException, InterruptedException {
        try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            assertThat(run(new LifecycleHandlerBuilder().withNewTcpSocket().withPort(new IntOrString(listener.getLocalPort()))
                    .endTcpSocket().build(), Duration.ofSeconds(1))).startsWith("Cannot run handler: invalid handler");
        }
    }

    @Test
    void sleepWaitsItsSecondsButNotPastTheTimeout() throws InterruptedException {
        long started = System.nanoTime();
        assertThat(run(new LifecycleHandlerBuilder().withNewSleep().withSeconds(1L).endSleep().build(), Duration.ofSeconds(5)))
                .isNull();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));

        started = System.nanoTime();
        assertThat(run(new LifecycleHandlerBuilder().withNewSleep().withSeconds(30L).endSleep().build(), Duration.ofMillis(300)))
                .isEqualTo("Sleep lifecycle hook (30) for Container \"app\" in Pod \"web_default(u1)\" failed - error:"
                        + " container terminated before sleep hook finished");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void anEmptyHandlerCannotRun() throws InterruptedException {
        assertThat(run(new LifecycleHandler(), Duration.ofSeconds(1))).startsWith("Cannot run handler: invalid handler");
    }
}
