package io.platform.api.watch;

import io.platform.api.errors.ApiException;
import io.platform.api.json.Json;
import io.platform.api.resource.ListOptions;
import io.platform.api.resource.ListPage;
import io.platform.api.resource.ObjectKeys;
import io.platform.api.resource.ResourceStorage;
import io.platform.api.storage.CompactedException;
import io.platform.api.storage.KeyValue;
import io.platform.api.storage.WatchEvent;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.node.ObjectNode;

/**
 * The events of one API watch as {@code {"type","object"}} trees: synthetic ADDED events when
 * starting from nothing, then changes translated through the selectors (an object leaving the
 * selection is DELETED, one entering it ADDED, as upstream), BOOKMARKs when allowed, and an
 * ERROR event with a 410 Expired Status when the start revision was compacted.
 */
public final class WatchStreams {

    static final String INITIAL_EVENTS_END = "k8s.io/initial-events-end";

    private final ResourceStorage storage;
    private final WatchHub hub;
    private final Duration bookmarkInterval;

    public WatchStreams(ResourceStorage storage, WatchHub hub, Duration bookmarkInterval) {
        this.storage = storage;
        this.hub = hub;
        this.bookmarkInterval = bookmarkInterval;
    }

    /** A marker in the merged stream: time to send a bookmark. */
    private record Tick() {}

    public Flux<ObjectNode> events(WatchRequest request) {
        return Mono.fromCallable(() -> start(request))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMapMany(start -> stream(request, start))
                .take(request.timeout());
    }

    private record Start(long revision, Flux<ObjectNode> initial) {}

    private Start start(WatchRequest request) {
        String rv = request.resourceVersion();
        if (request.sendInitialEvents() != null) {
            return request.sendInitialEvents() ? initialEvents(request) : startWithoutInitialEvents(request);
        }
        if (rv == null || rv.isEmpty() || rv.equals("0")) {
            // "0" starts from whatever the watch cache holds; no resourceVersion from a consistent read
            ListPage page = storage.list(request.type(), request.namespace(),
                    new ListOptions(request.labels(), request.fields(), 0, null, rv, null));
            return new Start(page.revision(), Flux.fromIterable(page.items()).map(o -> event("ADDED", o)));
        }
        return new Start(parseRevision(rv), Flux.empty());
    }

    /**
     * A watch list: the state at a revision not older than the one asked for (the latest when none, whatever the
     * cache holds for "0") as ADDED events, then, when bookmarks are allowed, the bookmark upstream marks with
     * {@code k8s.io/initial-events-end} so that a client knows its initial state is complete, then the changes.
     */
    private Start initialEvents(WatchRequest request) {
        String rv = request.resourceVersion() == null ? "" : request.resourceVersion();
        ListPage page = storage.list(request.type(), request.namespace(), new ListOptions(request.labels(),
                request.fields(), 0, null, rv, rv.isEmpty() ? null : WatchOptions.NOT_OLDER_THAN));
        Flux<ObjectNode> added = Flux.fromIterable(page.items()).map(o -> event("ADDED", o));
        if (!request.bookmarks()) {
            return new Start(page.revision(), added);
        }
        ObjectNode end = bookmark(request, page.revision());
        ((ObjectNode) end.get("object").get("metadata")).putObject("annotations").put(INITIAL_EVENTS_END, "true");
        return new Start(page.revision(), Flux.concat(added, Mono.just(end)));
    }

    /** {@code sendInitialEvents=false}: only changes, after the given revision, the latest (none) or the cache's ("0"). */
    private Start startWithoutInitialEvents(WatchRequest request) {
        String rv = request.resourceVersion() == null ? "" : request.resourceVersion();
        return switch (rv) {
            case "" -> new Start(storage.store().currentRevision(), Flux.empty());
            case "0" -> new Start(hub.revision(), Flux.empty());
            default -> new Start(parseRevision(rv), Flux.empty());
        };
    }

    private static long parseRevision(String rv) {
        try {
            return Long.parseLong(rv);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid resource version \"" + rv + "\"");
        }
    }

    private Flux<ObjectNode> stream(WatchRequest request, Start start) {
        AtomicLong lastSeen = new AtomicLong(start.revision());
        String prefix = ObjectKeys.prefix(request.type(), request.namespace());
        Flux<Object> changes = hub.watch(prefix, start.revision()).cast(Object.class);
        Flux<Object> merged = request.bookmarks()
                ? Flux.merge(changes, Flux.interval(bookmarkInterval).map(i -> new Tick()))
                : changes;
        Flux<ObjectNode> live = merged
                .<ObjectNode>handle((item, sink) -> {
                    if (item instanceof WatchEvent event) {
                        lastSeen.set(event.revision());
                        ObjectNode translated = translate(request, event);
                        if (translated != null) {
                            sink.next(translated);
                        }
                    } else {
                        sink.next(bookmark(request, lastSeen.get()));
                    }
                })
                .onErrorResume(CompactedException.class, e -> Mono.just(expired(start.revision(), e)));
        return Flux.concat(start.initial(), live);
    }

    private static @Nullable ObjectNode translate(WatchRequest request, WatchEvent event) {
        ObjectNode object = ObjectKeys.decode(request.type(), event.kv());
        boolean matches = matches(request, object);
        return switch (event.type()) {
            case CREATED -> matches ? event("ADDED", object) : null;
            case DELETED -> matches ? event("DELETED", object) : null;
            case UPDATED -> {
                KeyValue previous = event.previous();
                boolean matched = previous == null ? matches : matches(request, ObjectKeys.decode(request.type(), previous));
                if (matches) {
                    yield event(matched ? "MODIFIED" : "ADDED", object);
                }
                yield matched ? event("DELETED", object) : null;
            }
        };
    }

    private static boolean matches(WatchRequest request, ObjectNode object) {
        return request.labels().matchesObject(object) && request.fields().matches(object);
    }

    static ObjectNode event(String type, ObjectNode object) {
        ObjectNode event = Json.object();
        event.put("type", type);
        event.set("object", object);
        return event;
    }

    private static ObjectNode bookmark(WatchRequest request, long revision) {
        ObjectNode object = Json.object();
        object.put("kind", request.type().kind()).put("apiVersion", request.type().apiVersion());
        Json.metadata(object).put("resourceVersion", Long.toString(revision));
        return event("BOOKMARK", object);
    }

    private static ObjectNode expired(long requested, CompactedException e) {
        ApiException expired = ApiException.expired("too old resource version: " + requested + " ("
                + e.compactedRevision() + ")");
        return event("ERROR", expired.toStatus());
    }
}
