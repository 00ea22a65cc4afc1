package io.platform.agent.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicVolumeWriterTest {

    @TempDir
    Path dir;

    private final AtomicVolumeWriter writer = new AtomicVolumeWriter(Clock.systemUTC());

    @Test
    void filesAreLinksThroughDataWithTheirModes() throws Exception {
        Path volume = dir.resolve("vol");
        assertThat(writer.write(volume, Map.of("token", VolumeFile.of("abc", 0644), "conf/app.yaml", VolumeFile.of("x: 1", 0400)))).isTrue();

        assertThat(Files.readString(volume.resolve("token"))).isEqualTo("abc");
        assertThat(Files.readString(volume.resolve("conf/app.yaml"))).isEqualTo("x: 1");
        assertThat(Files.isSymbolicLink(volume.resolve("token"))).isTrue();
        assertThat(Files.readSymbolicLink(volume.resolve("token"))).isEqualTo(Path.of("..data/token"));
        assertThat(Files.readSymbolicLink(volume.resolve("..data")).isAbsolute()).isFalse();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(volume.resolve("token")))).isEqualTo("rw-r--r--");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(volume.resolve("conf/app.yaml")))).isEqualTo("r--------");
    }

    @Test
    void anUnchangedPayloadIsNotWrittenAgainAndAChangedOneReplacesTheOld() throws Exception {
        Path volume = dir.resolve("vol");
        writer.write(volume, Map.of("token", VolumeFile.of("first", 0644), "old", VolumeFile.of("gone soon", 0644)));
        Path firstData = volume.resolve(Files.readSymbolicLink(volume.resolve("..data")));

        assertThat(writer.write(volume, Map.of("token", VolumeFile.of("first", 0644), "old", VolumeFile.of("gone soon", 0644)))).isFalse();
        assertThat(writer.write(volume, Map.of("token", VolumeFile.of("second", 0644)))).isTrue();

        assertThat(Files.readString(volume.resolve("token"))).isEqualTo("second");
        assertThat(volume.resolve("old")).doesNotExist();
        assertThat(firstData).doesNotExist();
        try (Stream<Path> entries = Files.list(volume)) {
            assertThat(entries.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("token", "..data", volume.resolve(Files.readSymbolicLink(volume.resolve("..data"))).getFileName().toString());
        }
    }

    @Test
    void pathsThatLeaveTheVolumeAreRefused() {
        assertThatThrownBy(() -> writer.write(dir.resolve("vol"), Map.of("../escape", VolumeFile.of("x", 0644))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writer.write(dir.resolve("vol"), Map.of("/etc/passwd", VolumeFile.of("x", 0644))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
