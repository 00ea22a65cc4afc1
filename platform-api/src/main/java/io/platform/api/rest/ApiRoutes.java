package io.platform.api.rest;

import io.platform.api.apply.FieldManager;
import io.platform.api.discovery.DiscoveryDocuments;
import io.platform.api.logs.PodLogs;
import io.platform.api.openapi.FieldValidator;
import io.platform.api.openapi.OpenApiV3;
import io.platform.api.resource.ResourceStorage;
import io.platform.api.table.TableConverter;
import io.platform.api.watch.WatchStreams;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Mono;

/** The API server's routes: health, version, discovery, OpenAPI, and every resource URL. */
public final class ApiRoutes {

    private ApiRoutes() {}

    /** Everything the routes are built from. {@code readiness} answers null when ready, else why not. */
    public record Parts(ResourceStorage storage, WatchStreams watches, TableConverter tables, FieldValidator validator,
            DiscoveryDocuments discovery, OpenApiV3 openApi, PodLogs podLogs, Clock clock,
            Supplier<@Nullable String> readiness, Duration minWatchTimeout, Duration maxWatchTimeout,
            DataSize maxRequestBody) {}

    public static RouterFunction<ServerResponse> routes(Parts parts) {
        Responses responses = new Responses(parts.tables());
        DiscoveryHandler discovery = new DiscoveryHandler(parts.discovery(), parts.openApi());
        CollectionHandler collections = new CollectionHandler(parts.storage(), parts.watches(), responses,
                parts.minWatchTimeout(), parts.maxWatchTimeout());
        ResourceHandler resources = new ResourceHandler(parts.storage(), collections, responses,
                new FieldValidation(parts.validator()), discovery, parts.podLogs(), parts.clock(),
                new FieldManager(parts.clock()), Math.toIntExact(parts.maxRequestBody().toBytes()));
        return RouterFunctions.route()
                .GET("/version", discovery::version)
                .GET("/livez", request -> ok())
                .GET("/healthz", request -> ok())
                .GET("/readyz", request -> ready(parts.readiness()))
                .GET("/api", discovery::core)
                .GET("/apis", discovery::groups)
                .GET("/openapi/v2", discovery::openApiV2)
                .GET("/openapi/v3", discovery::openApiIndex)
                .GET("/openapi/v3/**", discovery::openApiDocument)
                .GET("/apis/{group}", discovery::group)
                .route(RequestPredicates.path("/api/**").or(RequestPredicates.path("/apis/**")), resources::handle)
                .onError(Throwable.class, (error, request) -> ApiErrors.render(error))
                .build();
    }

    private static Mono<ServerResponse> ok() {
        return ServerResponse.ok().contentType(MediaType.TEXT_PLAIN).bodyValue("ok");
    }

    private static Mono<ServerResponse> ready(Supplier<@Nullable String> readiness) {
        return Mono.fromSupplier(readiness)
                .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic())
                .map(problem -> ServerResponse.status(500).contentType(MediaType.TEXT_PLAIN)
                        .bodyValue("[-]platform-ready failed: " + problem + "\nreadyz check failed"))
                .flatMap(m -> m)
                .switchIfEmpty(ok());
    }
}
