package io.platform.api.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HumanDurationTest {

    @ParameterizedTest(name = "{0} ms → {1}")
    @CsvSource({
        "-3000, <invalid>",
        "-1500, 0s",
        "0, 0s",
        "5000, 5s",
        "119999, 119s",
        "120000, 2m",
        "182000, 3m2s",
        "599000, 9m59s",
        "600000, 10m",
        "10799000, 179m",
        "10800000, 3h",
        "11100000, 3h5m",
        "28800000, 8h",
        "172799000, 47h",
        "172800000, 2d",
        "183600000, 2d3h",
        "691200000, 8d",
        "3888000000, 45d",
        "63072000000, 2y",
        "64800000000, 2y20d",
        "283824000000, 9y",
    })
    void formatsAsKubernetesDoes(long millis, String expected) {
        assertThat(HumanDuration.format(Duration.ofMillis(millis))).isEqualTo(expected);
    }
}
