package io.platform.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The certificate controllers' settings bind from the property names the launcher passes, with upstream's defaults. */
class ControllersPropertiesTest {

    @Test
    void certificateSettingsBindWithDefaults() {
        ControllersProperties.Certificates defaults = bind(Map.of("platform.controllers.kubeconfig", "k")).certificates();
        assertThat(defaults.signingCertFile()).isNull();
        assertThat(defaults.clusterSigningDuration()).isEqualTo(Duration.ofDays(365));
        assertThat(defaults.approveKubeletServing()).isTrue();
        assertThat(defaults.pendingExpiration()).isEqualTo(Duration.ofHours(24));
        assertThat(defaults.approvedExpiration()).isEqualTo(Duration.ofHours(1));

        ControllersProperties.Certificates set = bind(Map.of("platform.controllers.kubeconfig", "k",
                "platform.controllers.certificates.signing-cert-file", "/data/pki/ca.crt",
                "platform.controllers.certificates.signing-key-file", "/data/pki/ca.key",
                "platform.controllers.certificates.cluster-signing-duration", "30d",
                "platform.controllers.certificates.approve-kubelet-serving", "false",
                "platform.controllers.certificates.denied-expiration", "10m")).certificates();
        assertThat(set.signingCertFile()).isEqualTo(Path.of("/data/pki/ca.crt"));
        assertThat(set.signingKeyFile()).isEqualTo(Path.of("/data/pki/ca.key"));
        assertThat(set.clusterSigningDuration()).isEqualTo(Duration.ofDays(30));
        assertThat(set.approveKubeletServing()).isFalse();
        assertThat(set.deniedExpiration()).isEqualTo(Duration.ofMinutes(10));
    }

    private static ControllersProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("platform.controllers", ControllersProperties.class);
    }
}
