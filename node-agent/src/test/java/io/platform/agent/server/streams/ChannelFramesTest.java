package io.platform.agent.server.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelFramesTest {

    @Test
    void framesCarryTheirChannelInTheFirstByte() {
        byte[] frame = ChannelFrames.frame(ChannelFrames.STDERR, "oops".getBytes(StandardCharsets.UTF_8));

        assertThat(frame[0]).isEqualTo((byte) 2);
        assertThat(ChannelFrames.channel(frame)).isEqualTo(ChannelFrames.STDERR);
        assertThat(new String(ChannelFrames.payload(frame), StandardCharsets.UTF_8)).isEqualTo("oops");
        assertThat(ChannelFrames.channel(new byte[] {(byte) 0xff, 0})).isEqualTo(ChannelFrames.CLOSE);
    }

    @Test
    void successIsAStatusWithoutCode() {
        assertThat(new String(ChannelFrames.exitStatus(0, List.of("true")), StandardCharsets.UTF_8))
                .isEqualTo("{\"metadata\":{},\"status\":\"Success\"}");
    }

    @Test
    void aNonZeroExitCarriesTheCodeAsTheExitCodeCause() {
        String status = new String(ChannelFrames.exitStatus(3, List.of("sh", "-c", "exit 3")), StandardCharsets.UTF_8);

        assertThat(status).contains("\"status\":\"Failure\"", "\"reason\":\"NonZeroExitCode\"",
                "\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"3\"}]",
                "command terminated with non-zero exit code: error executing command [sh, -c, exit 3], exit code 3");
    }

    @Test
    void resizeMessagesGiveWidthAndHeight() {
        assertThat(ChannelFrames.size("{\"Width\":120,\"Height\": 40}".getBytes(StandardCharsets.UTF_8)))
                .containsExactly(120, 40);
        assertThat(ChannelFrames.size("{\"Width\":120}".getBytes(StandardCharsets.UTF_8))).isNull();
    }

    @Test
    void failureMessagesAreJsonEscaped() {
        assertThat(new String(ChannelFrames.failure("no \"sh\"\n"), StandardCharsets.UTF_8))
                .contains("\"message\":\"no \\\"sh\\\"\\n\"");
    }
}
