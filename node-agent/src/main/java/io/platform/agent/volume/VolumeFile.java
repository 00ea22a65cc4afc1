package io.platform.agent.volume;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One file of a volume's payload: its bytes and its permission bits (e.g. {@code 0644}).
 */
public record VolumeFile(byte[] content, int mode) {

    public static VolumeFile of(String content, int mode) {
        return new VolumeFile(content.getBytes(StandardCharsets.UTF_8), mode);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof VolumeFile file && file.mode == mode && Arrays.equals(file.content, content);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(content) + mode;
    }

    @Override
    public String toString() {
        return "VolumeFile[" + content.length + " bytes, mode " + Integer.toOctalString(mode) + "]";
    }
}
