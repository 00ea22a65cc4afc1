package io.platform.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExecHandlerTest {

    private final FakeRuntime runtime = new FakeRuntime();
    private final ExecHandler handler = new ExecHandler(runtime);

    @Test
    void exitZeroSucceedsWithItsOutput() throws InterruptedException {
        runtime.answer = FakeRuntime.ExecAnswer.exit(0, "healthy\n");

        assertThat(handler.probe("c1", List.of("cat", "/tmp/healthy"), Duration.ofSeconds(1)))
                .isEqualTo(HandlerResult.success("healthy\n"));
        assertThat(runtime.execs).containsExactly(List.of("cat", "/tmp/healthy"));
    }

    @Test
    void anotherExitCodeFailsWithStdoutAndStderr() throws InterruptedException {
        runtime.answer = new FakeRuntime.ExecAnswer(1, "", "cat: can't open '/tmp/healthy': No such file or directory\n", false);

        assertThat(handler.probe("c1", List.of("cat", "/tmp/healthy"), Duration.ofSeconds(1)))
                .isEqualTo(HandlerResult.failure("cat: can't open '/tmp/healthy': No such file or directory\n"));
    }

    @Test
    void outputIsCutAt10KiB() throws InterruptedException {
        runtime.answer = FakeRuntime.ExecAnswer.exit(1, "x".repeat(20_000));

        assertThat(handler.probe("c1", List.of("yes"), Duration.ofSeconds(1)).output()).hasSize(10 * 1024);
    }

    @Test
    void pastTheTimeoutTheExecIsEndedAndTheProbeFails() throws InterruptedException {
        runtime.answer = FakeRuntime.ExecAnswer.hanging();

        HandlerResult result = handler.probe("c1", List.of("sleep", "60"), Duration.ofMillis(300));

        assertThat(result).isEqualTo(HandlerResult.failure("command \"sleep 60\" timed out"));
        assertThat(runtime.closedSessions).containsExactly("c1");
    }

    @Test
    void aRuntimeThatCannotExecIsAnError() throws InterruptedException {
        runtime.execFails = true;

        assertThat(handler.probe("c1", List.of("true"), Duration.ofSeconds(1)))
                .isEqualTo(HandlerResult.error("failed to exec in container: container c1 is not running"));
    }
}
