package io.platform.api.admission.podsecurity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodSecurityPropertiesTest {

    @Test
    void settingsAreValidatedAsUpstreamValidatesItsConfiguration() {
        assertThatThrownBy(() -> new PodSecurityProperties(new PodSecurityProperties.Defaults("strict", "1.30",
                "privileged", "latest", "privileged", "latest"), new PodSecurityProperties.Exemptions(List.of(""),
                List.of("a", "a", "Not_A_Name"), List.of()), Duration.ofSeconds(1), 3000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("platform.api.admission.pod-security: defaults.enforce: Invalid value: \"strict\": "
                        + "must be one of privileged, baseline, restricted, defaults.enforce-version: Invalid value: "
                        + "\"1.30\": must be \"latest\" or \"v1.x\", exemptions.namespaces[1]: Duplicate value: \"a\", "
                        + "exemptions.namespaces[2]: Invalid value: \"Not_A_Name\": a lowercase RFC 1123 label")
                .hasMessageEndingWith("exemptions.usernames[0]: Invalid value: \"\": username must not be empty");
    }

    @Test
    void theDefaultsAreUpstreamsPrivilegedEverywhere() {
        NamespacePolicy policy = PodSecurityProperties.unconfigured().defaultPolicy();
        assertThat(policy.fullyPrivileged()).isTrue();
        assertThat(policy.enforce()).isEqualTo(LevelVersion.PRIVILEGED_LATEST);
    }
}
