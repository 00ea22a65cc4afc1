package io.platform.api.auth.bootstrap;

import io.platform.api.auth.CachedObjects;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/** Wires the bootstrap token authenticator, asked after ServiceAccount tokens. */
@Configuration(proxyBeanMethods = false)
public class BootstrapConfiguration {

    @Bean
    @Order(10)
    BootstrapTokenAuthenticator bootstrapTokenAuthenticator(CachedObjects objects, Clock clock) {
        return new BootstrapTokenAuthenticator(objects, clock);
    }
}
