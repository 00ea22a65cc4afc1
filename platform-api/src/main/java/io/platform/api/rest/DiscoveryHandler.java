package io.platform.api.rest;

import io.platform.api.discovery.DiscoveryDocuments;
import io.platform.api.discovery.VersionInfo;
import io.platform.api.errors.ApiException;
import io.platform.api.json.Json;
import io.platform.api.openapi.OpenApiV2;
import io.platform.api.openapi.OpenApiV3;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code /version}, discovery ({@code /api}, {@code /apis}, group-version resource lists) and OpenAPI v3. */
final class DiscoveryHandler {

    private static final MediaType AGGREGATED = MediaType.parseMediaType(DiscoveryDocuments.AGGREGATED_CONTENT_TYPE);

    private final DiscoveryDocuments discovery;
    private final OpenApiV3 openApi;
    private volatile @Nullable OpenApiV2 openApiV2;

    DiscoveryHandler(DiscoveryDocuments discovery, OpenApiV3 openApi) {
        this.discovery = discovery;
        this.openApi = openApi;
    }

    Mono<ServerResponse> version(ServerRequest request) {
        return Responses.json(200, VersionInfo.json());
    }

    Mono<ServerResponse> core(ServerRequest request) {
        return wantsAggregated(request) ? aggregated(discovery.aggregatedCore()) : Responses.json(200, discovery.coreVersions());
    }

    Mono<ServerResponse> groups(ServerRequest request) {
        return wantsAggregated(request) ? aggregated(discovery.aggregatedGroups()) : Responses.json(200, discovery.groups());
    }

    /** {@code /apis/{group}}: the group's entry of the group list, as an APIGroup. */
    Mono<ServerResponse> group(ServerRequest request) {
        String name = request.pathVariable("group");
        for (JsonNode group : discovery.groups().path("groups")) {
            if (group.path("name").asString("").equals(name)) {
                ObjectNode copy = (ObjectNode) group.deepCopy();
                copy.put("kind", "APIGroup").put("apiVersion", "v1");
                return Responses.json(200, copy);
            }
        }
        return Mono.error(ApiException.noSuchPath());
    }

    Mono<ServerResponse> resourceList(String group, String version) {
        return discovery.resources(group, version).map(list -> Responses.json(200, list))
                .orElseGet(() -> Mono.error(ApiException.noSuchPath()));
    }

    private static boolean wantsAggregated(ServerRequest request) {
        return request.headers().accept().stream()
                .anyMatch(m -> "APIGroupDiscoveryList".equals(m.getParameter("as"))
                        && "apidiscovery.k8s.io".equals(m.getParameter("g")));
    }

    private static Mono<ServerResponse> aggregated(JsonNode document) {
        return ServerResponse.ok().contentType(AGGREGATED).bodyValue(Json.bytes(document));
    }

    /** {@code /openapi/v2}: Swagger 2.0 JSON, converted from the v3 documents on first use. */
    Mono<ServerResponse> openApiV2(ServerRequest request) {
        String accept = String.join(",", request.headers().header("Accept"));
        if (!accept.isEmpty() && !accept.contains("json") && !accept.contains("*/*")) {
            // kubectl asks for gnostic protobuf only; JSON it cannot parse would fail less clearly than 406
            return Mono.error(new ApiException(406, "NotAcceptable",
                    "only application/json is served for /openapi/v2; use /openapi/v3", null, null, null, List.of()));
        }
        return ResourceHandler.blocking(() -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
                .bodyValue(openApiV2().bytes()));
    }

    private OpenApiV2 openApiV2() {
        OpenApiV2 document = openApiV2;
        if (document == null) {
            synchronized (this) {
                document = openApiV2;
                if (document == null) {
                    document = new OpenApiV2(openApi);
                    openApiV2 = document;
                }
            }
        }
        return document;
    }

    Mono<ServerResponse> openApiIndex(ServerRequest request) {
        return Responses.json(200, openApi.index());
    }

    /** A group-version document; with {@code ?hash=} it never changes, so clients may cache it long. */
    Mono<ServerResponse> openApiDocument(ServerRequest request) {
        String path = request.path().substring("/openapi/v3/".length());
        return openApi.document(path)
                .map(document -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
                        .cacheControl(request.queryParam("hash").isPresent()
                                ? CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable()
                                : CacheControl.noCache())
                        .bodyValue(Json.bytes(document)))
                .orElseGet(() -> Mono.error(ApiException.noSuchPath()));
    }
}
