package io.platform.api.auth.impersonation;

import io.platform.api.authorization.Authorizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the impersonation filter to the API server's authorizer. */
@Configuration(proxyBeanMethods = false)
public class ImpersonationConfiguration {

    @Bean
    ImpersonationFilter impersonationFilter(Authorizer authorizer) {
        return new ImpersonationFilter(authorizer);
    }
}
