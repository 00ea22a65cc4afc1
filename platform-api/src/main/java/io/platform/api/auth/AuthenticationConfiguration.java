package io.platform.api.auth;

import io.platform.api.ApiServerProperties;
import io.platform.api.cache.WatchCache;
import io.platform.api.storage.Store;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires request authentication: the filter and the object reads token authenticators share. */
@Configuration(proxyBeanMethods = false)
public class AuthenticationConfiguration {

    @Bean
    RequestAuthentication requestAuthentication(ApiServerProperties properties, TokenAuthentication tokens,
            ApiAudiences audiences) {
        return new RequestAuthentication(properties.tls().enabled(), tokens, audiences);
    }

    @Bean
    CachedObjects cachedObjects(WatchCache cache, Store store) {
        return new CachedObjects(cache, store);
    }
}
