package io.platform.agent.server.streams;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The remote command channel protocol ({@code v4.channel.k8s.io}, {@code v5.channel.k8s.io}): every binary
 * WebSocket message starts with its channel byte. v5 adds the close channel, on which the client ends its stdin.
 */
final class ChannelFrames {

    static final String V5 = "v5.channel.k8s.io";
    static final String V4 = "v4.channel.k8s.io";
    /** Best first, as the kubelet prefers them. */
    static final List<String> PROTOCOLS = List.of(V5, V4);

    static final int STDIN = 0;
    static final int STDOUT = 1;
    static final int STDERR = 2;
    static final int ERROR = 3;
    static final int RESIZE = 4;
    static final int CLOSE = 255;

    private ChannelFrames() {}

    static byte[] frame(int channel, byte[] data) {
        byte[] frame = new byte[data.length + 1];
        frame[0] = (byte) channel;
        System.arraycopy(data, 0, frame, 1, data.length);
        return frame;
    }

    static int channel(byte[] frame) {
        return frame[0] & 0xff;
    }

    static byte[] payload(byte[] frame) {
        return Arrays.copyOfRange(frame, 1, frame.length);
    }

    /** The status the kubelet writes on the error channel when the command ended. */
    static byte[] exitStatus(int exitCode, List<String> command) {
        if (exitCode == 0) {
            return "{\"metadata\":{},\"status\":\"Success\"}".getBytes(StandardCharsets.UTF_8);
        }
        String message = "command terminated with non-zero exit code: error executing command " + command
                + ", exit code " + exitCode;
        return ("{\"metadata\":{},\"status\":\"Failure\",\"message\":" + quote(message)
                + ",\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\""
                + exitCode + "\"}]}}").getBytes(StandardCharsets.UTF_8);
    }

    /** A failure that is not the command's exit (it could not start): kubectl prints the message. */
    static byte[] failure(String message) {
        return ("{\"metadata\":{},\"status\":\"Failure\",\"message\":" + quote(message) + ",\"reason\":\"InternalError\","
                + "\"code\":500}").getBytes(StandardCharsets.UTF_8);
    }

    /** Width and height from a resize message, {@code {"Width":80,"Height":24}}; null when it is not one. */
    static int @Nullable [] size(byte[] json) {
        String text = new String(json, StandardCharsets.UTF_8);
        Integer width = number(text, "Width");
        Integer height = number(text, "Height");
        return width == null || height == null ? null : new int[] {width, height};
    }

    private static @Nullable Integer number(String json, String field) {
        int at = json.indexOf("\"" + field + "\"");
        if (at < 0) {
            return null;
        }
        int colon = json.indexOf(':', at);
        if (colon < 0) {
            return null;
        }
        int start = colon + 1;
        while (start < json.length() && Character.isWhitespace(json.charAt(start))) {
            start++;
        }
        int end = start;
        while (end < json.length() && Character.isDigit(json.charAt(end))) {
            end++;
        }
        return end == start ? null : Integer.valueOf(json.substring(start, end));
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
