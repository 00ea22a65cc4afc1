package io.platform.api.authorization;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires authorization: the {@link AlwaysAllowAuthorizer} (what the API server enforces until RBAC exists) and the
 * filter that asks it about every request.
 */
@Configuration(proxyBeanMethods = false)
public class AuthorizationConfiguration {

    @Bean
    Authorizer authorizer() {
        return new AlwaysAllowAuthorizer();
    }

    @Bean
    AuthorizationFilter authorizationFilter(Authorizer authorizer) {
        return new AuthorizationFilter(authorizer);
    }
}
