package io.platform.api.auth.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The OIDC authenticator bean exists only for configured issuers, and a bad configuration stops startup. */
class OidcConfigurationTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(OidcConfiguration.class)
            .withBean(Clock.class, Clock::systemUTC);

    @Test
    void noIssuersMeansNoAuthenticator() {
        context.run(started -> assertThat(started).hasNotFailed().doesNotHaveBean(OidcTokenAuthenticator.class));
    }

    @Test
    void eachConfiguredIssuerIsTrustedWithoutContactingItAtStartup() {
        // nothing listens on port 1: startup must not wait for discovery
        context.withPropertyValues(
                        "platform.api.oidc.issuers[0].issuer-url=https://127.0.0.1:1/corp",
                        "platform.api.oidc.issuers[0].audiences=platform",
                        "platform.api.oidc.issuers[1].issuer-url=https://idp.example.com",
                        "platform.api.oidc.issuers[1].audiences=platform,console",
                        "platform.api.oidc.issuers[1].username-claim=email")
                .run(started -> {
                    assertThat(started).hasSingleBean(OidcTokenAuthenticator.class);
                    assertThat(started.getBean(OidcTokenAuthenticator.class).issuerUrls())
                            .containsExactly("https://127.0.0.1:1/corp", "https://idp.example.com");
                    OidcProperties properties = started.getBean(OidcProperties.class);
                    assertThat(properties.issuers().get(0).effectiveUsernamePrefix())
                            .isEqualTo("https://127.0.0.1:1/corp#");
                    assertThat(properties.issuers().get(1).effectiveUsernamePrefix()).isEmpty();
                    assertThat(properties.issuers().get(1).audiences()).containsExactly("platform", "console");
                });
    }

    @Test
    void aPlainHttpIssuerStopsStartup() {
        context.withPropertyValues(
                        "platform.api.oidc.issuers[0].issuer-url=http://127.0.0.1:8080/corp",
                        "platform.api.oidc.issuers[0].audiences=platform")
                .run(started -> assertThat(started).getFailure().rootCause().hasMessage(
                        "platform.api.oidc.issuers[0].issuer-url must be an https URL, got http://127.0.0.1:8080/corp"));
    }
}
