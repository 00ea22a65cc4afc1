package io.platform.api.auth;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires every {@link TokenAuthenticator} bean as one, in bean order (ServiceAccount tokens, bootstrap tokens, then
 * OIDC issuers), for bearer-token requests and TokenReviews.
 */
@Configuration(proxyBeanMethods = false)
public class TokenAuthenticationConfiguration {

    @Bean
    TokenAuthentication tokenAuthentication(ObjectProvider<TokenAuthenticator> authenticators) {
        return new TokenAuthentication(authenticators.orderedStream().toList());
    }
}
