package io.platform.api.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class AuditConfigurationTest {

    @TempDir
    Path dir;

    private ApplicationContextRunner context() {
        return new ApplicationContextRunner().withUserConfiguration(AuditConfiguration.class)
                .withBean(Clock.class, Clock::systemUTC)
                .withPropertyValues("platform.api.data-dir=" + dir);
    }

    @Test
    void logsByDefaultAndNotWithAnEmptyPath() {
        context().run(running -> assertThat(running.getBean(AuditFilter.class).logging()).isTrue());
        context().withPropertyValues("platform.api.audit.path=")
                .run(running -> assertThat(running.getBean(AuditFilter.class).logging()).isFalse());
        context().withPropertyValues("platform.api.audit.path=-")
                .run(running -> assertThat(running.getBean(AuditFilter.class).logging()).isTrue());
    }

    @Test
    void aBrokenPolicyFileStopsTheStartNamingIt() {
        context().withPropertyValues("platform.api.audit.policy-file=" + dir.resolve("missing.yaml"))
                .run(running -> assertThat(running).getFailure().rootCause()
                        .hasMessageContaining("missing.yaml"));
    }
}
