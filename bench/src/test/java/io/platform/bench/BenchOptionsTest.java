package io.platform.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    @Test
    void argumentsOverrideSystemPropertiesWhichOverrideDefaults() {
        Properties system = new Properties();
        system.setProperty("bench.duration", "20s");
        system.setProperty("bench.writers", "4");
        system.setProperty("java.version", "ignored");

        BenchOptions options = BenchOptions.parse(new String[] {"--writers=8", "--backends", "etcd,sqlite"}, system);

        assertThat(options.duration()).isEqualTo(Duration.ofSeconds(20));
        assertThat(options.warmup()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.jitWarmup()).isEqualTo(Duration.ofSeconds(90));
        assertThat(options.writers()).isEqualTo(8);
        assertThat(options.clients()).isEqualTo(16);
        assertThat(options.backends()).containsExactly(Backend.ETCD, Backend.SQLITE);
    }

    @Test
    void defaultsMeasureEveryBackend() {
        assertThat(BenchOptions.parse(new String[0], new Properties()).backends())
                .isEqualTo(List.of(Backend.SQLITE, Backend.POSTGRES, Backend.ETCD));
    }

    @Test
    void badOptionsNameWhatIsWrong() {
        assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse(new String[] {"--threads", "4"}, new Properties()))
                .withMessageContaining("unknown option 'threads'");
        assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse(new String[] {"--duration", "soon"}, new Properties()))
                .withMessageContaining("duration 'soon'");
        assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse(new String[] {"--backends", "mysql"}, new Properties()))
                .withMessageContaining("unknown backend 'mysql'");
    }
}
