package io.platform.api.rest;

import io.platform.api.errors.ApiException;
import io.platform.api.json.Json;
import io.platform.api.registry.ResourceType;
import io.platform.api.resource.DeleteOptions;
import io.platform.api.resource.DeleteResult;
import io.platform.api.resource.ListOptions;
import io.platform.api.resource.ListPage;
import io.platform.api.resource.ResourceStorage;
import io.platform.api.resource.WriteContext;
import io.platform.api.selection.FieldSelector;
import io.platform.api.selection.LabelSelector;
import io.platform.api.selection.SelectorException;
import io.platform.api.watch.WatchOptions;
import io.platform.api.watch.WatchRequest;
import io.platform.api.watch.WatchStreams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Collections: list (selectors, paging, resourceVersion), watch streams and deletecollection. */
final class CollectionHandler {

    private final ResourceStorage storage;
    private final WatchStreams watches;
    private final Responses responses;
    private final Duration minWatchTimeout;
    private final Duration maxWatchTimeout;
    private final WebSocketService webSockets = new HandshakeWebSocketService();

    CollectionHandler(ResourceStorage storage, WatchStreams watches, Responses responses, Duration minWatchTimeout,
            Duration maxWatchTimeout) {
        this.storage = storage;
        this.watches = watches;
        this.responses = responses;
        this.minWatchTimeout = minWatchTimeout;
        this.maxWatchTimeout = maxWatchTimeout;
    }

    Mono<ServerResponse> listOrWatch(ServerRequest request, ResourceType type, @Nullable String namespace) {
        // as upstream's RequestInfo (and so the authorizer): any value but false or 0 asks for a watch
        String watch = request.queryParam("watch").map(v -> v.toLowerCase(Locale.ROOT)).orElse("false");
        if (!watch.equals("false") && !watch.equals("0")) {
            return watch(request, type, namespace);
        }
        return ResourceHandler.blocking(() -> list(request, type, namespace));
    }

    static ListOptions listOptions(ServerRequest request, ResourceType type) {
        int limit = 0;
        String limitText = request.queryParam("limit").orElse("");
        if (!limitText.isEmpty()) {
            try {
                limit = Math.max(0, Integer.parseInt(limitText));
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("limit must be an integer, got \"" + limitText + "\"");
            }
        }
        return new ListOptions(labels(request), fields(request, type), limit,
                request.queryParam("continue").orElse(null), request.queryParam("resourceVersion").orElse(null),
                request.queryParam("resourceVersionMatch").orElse(null));
    }

    private static LabelSelector labels(ServerRequest request) {
        try {
            return LabelSelector.parse(request.queryParam("labelSelector").orElse(""));
        } catch (SelectorException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private static FieldSelector fields(ServerRequest request, ResourceType type) {
        try {
            return FieldSelector.parse(request.queryParam("fieldSelector").orElse(""), type);
        } catch (SelectorException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private Mono<ServerResponse> list(ServerRequest request, ResourceType type, @Nullable String namespace) {
        WatchOptions.validateList(request.queryParam("sendInitialEvents").orElse(null));
        ListPage page = storage.list(type, namespace, listOptions(request, type));
        if (Responses.wantsTable(request)) {
            ObjectNode table = responses.table(type, page.items(), request.queryParam("includeObject").orElse(null));
            listMetadata(table, page);
            return ServerResponse.ok().contentType(Responses.TABLE).bodyValue(Json.bytes(table));
        }
        return Responses.json(200, toList(type, page));
    }

    static ObjectNode toList(ResourceType type, ListPage page) {
        ObjectNode list = Json.object();
        list.put("kind", type.kind() + "List").put("apiVersion", type.apiVersion());
        listMetadata(list, page);
        ArrayNode items = list.putArray("items");
        page.items().forEach(items::add);
        return list;
    }

    private static void listMetadata(ObjectNode list, ListPage page) {
        ObjectNode metadata = Json.metadata(list);
        metadata.put("resourceVersion", Long.toString(page.revision()));
        if (page.continueToken() != null) {
            metadata.put("continue", page.continueToken());
        }
    }

    private Mono<ServerResponse> watch(ServerRequest request, ResourceType type, @Nullable String namespace) {
        Duration timeout = timeout(request);
        Boolean sendInitialEvents = WatchOptions.sendInitialEvents(request.queryParam("sendInitialEvents").orElse(null));
        WatchOptions.validate(sendInitialEvents, request.queryParam("resourceVersionMatch").orElse(null),
                request.queryParam("continue").orElse(null));
        WatchRequest watch = new WatchRequest(type, namespace, labels(request), fields(request, type),
                request.queryParam("resourceVersion").orElse(null),
                request.queryParam("allowWatchBookmarks").map(v -> v.equals("true") || v.equals("1")).orElse(false),
                timeout, sendInitialEvents);
        boolean table = Responses.wantsTable(request);
        String includeObject = request.queryParam("includeObject").orElse(null);
        Flux<ObjectNode> events = watches.events(watch).map(event -> table ? asTable(type, event, includeObject) : event);
        if ("websocket".equalsIgnoreCase(request.headers().firstHeader("Upgrade"))) {
            // fabric8 (and kube-apiserver's websocket watch) take one text frame per event; when the watch
            // ends (timeoutSeconds) the server closes the socket so the client watches again, and a client
            // that goes away ends the watch. The close is deferred: Reactor Netty builds the close frame's
            // buffer when close() is called, and it would leak if the client left first
            return webSockets.handleRequest(request.exchange(), session -> Mono.firstWithSignal(
                            session.send(events.map(event -> session.textMessage(Json.string(event))))
                                    .then(Mono.defer(session::close)),
                            session.receive().then()))
                    .then(Mono.empty());
        }
        return ServerResponse.ok()
                .contentType(table ? Responses.TABLE : MediaType.APPLICATION_JSON)
                .body((message, context) -> {
                    // an empty first write commits the headers at once, so clients see the watch open
                    Flux<Mono<DataBuffer>> lines = Flux.concat(
                            Mono.just(Mono.just(message.bufferFactory().allocateBuffer(0))),
                            events.map(event -> Mono.just(message.bufferFactory().wrap(line(event)))));
                    return message.writeAndFlushWith(lines);
                });
    }

    private ObjectNode asTable(ResourceType type, ObjectNode event, @Nullable String includeObject) {
        String kind = event.path("type").asString("");
        if (kind.equals("ERROR") || kind.equals("BOOKMARK")) {
            return event;
        }
        ObjectNode object = (ObjectNode) event.get("object");
        ObjectNode table = responses.table(type, List.of(object), includeObject);
        Json.metadata(table).put("resourceVersion", object.path("metadata").path("resourceVersion").asString(""));
        event.set("object", table);
        return event;
    }

    private static byte[] line(ObjectNode event) {
        byte[] json = Json.bytes(event);
        byte[] line = new byte[json.length + 1];
        System.arraycopy(json, 0, line, 0, json.length);
        line[json.length] = '\n';
        return line;
    }

    /** The client's timeoutSeconds, else a random duration between the configured bounds, as upstream. */
    private Duration timeout(ServerRequest request) {
        String seconds = request.queryParam("timeoutSeconds").orElse("");
        if (!seconds.isEmpty()) {
            try {
                long value = Long.parseLong(seconds);
                if (value > 0) {
                    return Duration.ofSeconds(value);
                }
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("timeoutSeconds must be an integer, got \"" + seconds + "\"");
            }
        }
        long min = minWatchTimeout.toMillis();
        long max = Math.max(min, maxWatchTimeout.toMillis());
        return Duration.ofMillis(min == max ? min : ThreadLocalRandom.current().nextLong(min, max));
    }

    Mono<ServerResponse> deleteCollection(ServerRequest request, ResourceType type, @Nullable String namespace) {
        return ResourceHandler.blocking(() -> {
            boolean dryRun = ResourceHandler.dryRun(request);
            ListOptions options = listOptions(request, type);
            ListPage page = storage.list(type, namespace,
                    new ListOptions(options.labels(), options.fields(), 0, null, null, null));
            List<ObjectNode> results = new ArrayList<>();
            DeleteOptions deleteOptions = ResourceHandler.deleteOptions(ResourceHandler.queryDeleteOptions(request));
            WriteContext context = ResourceHandler.context(request);
            for (ObjectNode item : page.items()) {
                String name = item.path("metadata").path("name").asString("");
                String itemNamespace = type.namespaced() ? item.path("metadata").path("namespace").asString("") : null;
                try {
                    DeleteResult result = storage.delete(type, itemNamespace, name, deleteOptions, dryRun, context);
                    results.add(result.object());
                } catch (ApiException e) {
                    if (e.code() != 404) {
                        throw e;
                    }
                }
            }
            return Responses.json(200, toList(type, new ListPage(results, page.revision(), null)), context.warnings());
        });
    }
}
