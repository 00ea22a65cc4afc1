package io.platform.api.auth.oidc;

import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** The OIDC token authenticator, present only when {@code platform.api.oidc.issuers} lists at least one issuer. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OidcProperties.class)
public class OidcConfiguration {

    private static final Logger log = LoggerFactory.getLogger(OidcConfiguration.class);

    @Bean
    @Conditional(IssuersConfigured.class)
    OidcTokenAuthenticator oidcTokenAuthenticator(OidcProperties properties, Clock clock) {
        List<OidcIssuer> issuers = properties.issuers().stream().map(issuer -> {
            log.info("OIDC issuer {} trusted for audiences {} (username claim {}, prefix \"{}\", groups claim {})",
                    issuer.issuerUrl(), issuer.audiences(), issuer.usernameClaim(), issuer.effectiveUsernamePrefix(),
                    issuer.groupsClaim());
            return new OidcIssuer(issuer, clock, properties.clockSkew(), properties.discoveryTimeout());
        }).toList();
        return new OidcTokenAuthenticator(issuers);
    }

    static final class IssuersConfigured extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            boolean configured = Binder.get(context.getEnvironment())
                    .bind(OidcProperties.PREFIX + ".issuers", Bindable.listOf(OidcProperties.Issuer.class))
                    .map(list -> !list.isEmpty())
                    .orElse(false);
            return configured
                    ? ConditionOutcome.match("OIDC issuers are configured")
                    : ConditionOutcome.noMatch("no OIDC issuer is configured");
        }
    }
}
