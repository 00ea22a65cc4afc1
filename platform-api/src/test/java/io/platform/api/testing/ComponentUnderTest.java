package io.platform.api.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.test.system.CapturedOutput;

/**
 * What tests of a component that talks to a {@link RunningApiServer} from the same JVM (scheduler,
 * controller manager, node agent) have in common.
 */
public final class ComponentUnderTest {

    /**
     * The value for {@code spring.autoconfigure.exclude}: the API server's jars are on such a test's class path,
     * and its database is not the component's.
     */
    public static final String WITHOUT_DATABASE = String.join(",", List.of(
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceInitializationAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.metrics.DataSourcePoolMetricsAutoConfiguration",
            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration"));

    private ComponentUnderTest() {}

    /**
     * Fails when anything is logged as a warning, error or stack trace after {@code start} (a position in
     * {@code output}); informers and event writers fail asynchronously, so the log must stay quiet for a while.
     */
    public static void assertQuietFrom(CapturedOutput output, int start) {
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(output.toString().substring(start)).doesNotContain(" ERROR ", " WARN ", "Client is closed", "\tat "));
    }
}
