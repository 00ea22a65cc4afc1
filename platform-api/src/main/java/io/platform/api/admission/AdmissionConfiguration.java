package io.platform.api.admission;

import io.platform.api.cache.WatchCache;
import io.platform.api.storage.Store;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The admission chain of every {@link AdmissionPlugin} bean, less the disabled ones, and what plugins read with. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AdmissionProperties.class)
class AdmissionConfiguration {

    @Bean
    AdmissionChain admissionChain(ObjectProvider<AdmissionPlugin> plugins, AdmissionProperties properties) {
        return new AdmissionChain(() -> plugins.orderedStream().toList(), properties.disabledPlugins());
    }

    @Bean
    ObjectLookup objectLookup(Store store, WatchCache cache) {
        return new ObjectLookup(store, cache);
    }
}
