package io.platform.api.auth;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the token authenticators there are (none yet: client certificates are the only credential) as one. */
@Configuration(proxyBeanMethods = false)
public class TokenAuthenticationConfiguration {

    @Bean
    TokenAuthentication tokenAuthentication(ObjectProvider<TokenAuthenticator> authenticators) {
        return new TokenAuthentication(authenticators.orderedStream().toList());
    }
}
