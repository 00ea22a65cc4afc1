package io.platform.api;

import io.platform.api.admission.AdmissionChain;
import io.platform.api.cache.WatchCache;
import io.platform.api.discovery.DiscoveryDocuments;
import io.platform.api.events.EventExpiry;
import io.platform.api.kubelet.NodeAgentClient;
import io.platform.api.logs.PodLogs;
import io.platform.api.namespaces.DefaultServiceAccounts;
import io.platform.api.namespaces.NamespaceFinalizer;
import io.platform.api.openapi.FieldValidator;
import io.platform.api.openapi.OpenApiV3;
import io.platform.api.registry.BuiltinResources;
import io.platform.api.resource.ResourceStorage;
import io.platform.api.rest.ApiErrors;
import io.platform.api.rest.ApiRoutes;
import io.platform.api.storage.Store;
import io.platform.api.table.TableConverter;
import io.platform.api.watch.WatchHub;
import io.platform.api.watch.WatchStreams;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/** Wires the API server: storage semantics, watch fan-out, discovery, OpenAPI, tables, TLS and routes. */
@Configuration(proxyBeanMethods = false)
class ApiServerConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    WatchCache watchCache(ApiServerProperties properties) {
        return new WatchCache(properties.watch().cacheWait());
    }

    @Bean
    ResourceStorage resourceStorage(Store store, Clock clock, WatchCache cache, AdmissionChain admission) {
        return new ResourceStorage(store, clock, cache, admission);
    }

    @Bean(destroyMethod = "close")
    WatchHub watchHub(Store store, WatchCache cache, ApiServerProperties properties) {
        WatchHub hub = new WatchHub(store, properties.watch().cachedEvents(), cache);
        hub.start();
        return hub;
    }

    @Bean(destroyMethod = "close")
    EventExpiry eventExpiry(Store store, WatchCache cache, Clock clock, ApiServerProperties properties) {
        EventExpiry expiry = new EventExpiry(store, cache, clock, properties.events().ttl());
        expiry.start(properties.events().sweepInterval());
        return expiry;
    }

    @Bean
    WatchStreams watchStreams(ResourceStorage storage, WatchHub hub, ApiServerProperties properties) {
        return new WatchStreams(storage, hub, properties.watch().bookmarkInterval());
    }

    @Bean
    OpenApiV3 openApiV3() {
        return new OpenApiV3(BuiltinResources.TYPES);
    }

    @Bean
    FieldValidator fieldValidator(OpenApiV3 openApi) {
        return new FieldValidator(openApi);
    }

    @Bean
    DiscoveryDocuments discoveryDocuments() {
        return new DiscoveryDocuments(BuiltinResources.TYPES);
    }

    @Bean
    TableConverter tableConverter(Clock clock) {
        return new TableConverter(clock);
    }

    @Bean
    NodeAgentClient nodeAgentClient(ApiServerProperties properties) {
        return new NodeAgentClient(properties.nodeClientCertificate(), properties.nodeClientKey(), properties.clientCa(),
                properties.logs().connectTimeout());
    }

    @Bean
    PodLogs podLogs(ResourceStorage storage, NodeAgentClient agents) {
        return new PodLogs(storage, agents);
    }

    @Bean(destroyMethod = "close")
    NamespaceFinalizer namespaceFinalizer(ResourceStorage storage, WatchHub hub, ApiServerProperties properties) {
        NamespaceFinalizer finalizer = new NamespaceFinalizer(storage, hub, BuiltinResources.TYPES,
                properties.namespaceRetryInterval());
        finalizer.start();
        return finalizer;
    }

    @Bean
    Readiness readiness(Store store) {
        return new Readiness(store);
    }

    @Bean
    DefaultNamespaces defaultNamespaces(ResourceStorage storage, Readiness readiness,
            DefaultServiceAccounts serviceAccounts) {
        return new DefaultNamespaces(storage, readiness, serviceAccounts);
    }

    @Bean
    ServingTls servingTls(ApiServerProperties properties) {
        return new ServingTls(properties);
    }

    @Bean
    ApiErrors apiErrors() {
        return new ApiErrors();
    }

    @Bean
    RouterFunction<ServerResponse> apiRoutes(ResourceStorage storage, WatchStreams watches, TableConverter tables,
            FieldValidator validator, DiscoveryDocuments discovery, OpenApiV3 openApi, PodLogs podLogs, Clock clock,
            Readiness readiness, ApiServerProperties properties) {
        return ApiRoutes.routes(new ApiRoutes.Parts(storage, watches, tables, validator, discovery, openApi, podLogs,
                clock, readiness::problem, properties.watch().minTimeout(), properties.watch().maxTimeout(),
                properties.maxRequestBody()));
    }
}
