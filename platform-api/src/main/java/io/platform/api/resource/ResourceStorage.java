package io.platform.api.resource;

import io.platform.api.admission.AdmissionChain;
import io.platform.api.admission.AdmissionRequest;
import io.platform.api.cache.CachedList;
import io.platform.api.cache.WatchCache;
import io.platform.api.errors.ApiException;
import io.platform.api.errors.StatusCause;
import io.platform.api.json.Json;
import io.platform.api.registry.ResourceType;
import io.platform.api.storage.CompactedException;
import io.platform.api.storage.KeyExistsException;
import io.platform.api.storage.KeyNotFoundException;
import io.platform.api.storage.KeyValue;
import io.platform.api.storage.ListResult;
import io.platform.api.storage.RevisionConflictException;
import io.platform.api.storage.Store;
import io.platform.api.strategy.ResourceStrategy;
import io.platform.api.strategy.Strategies;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The generic object semantics over the {@link Store}, as upstream's generic registry store:
 * server-set metadata, optimistic concurrency through resourceVersion, strategies, graceful
 * deletion and finalizers. Blocking; callers run it off the event loop.
 */
public final class ResourceStorage {

    private static final Logger log = LoggerFactory.getLogger(ResourceStorage.class);
    private static final String SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    private static final int MAX_RETRIES = 16;
    /** The garbage collector's finalizers, as metav1.FinalizerOrphanDependents and FinalizerDeleteDependents. */
    public static final String ORPHAN_FINALIZER = "orphan";
    public static final String FOREGROUND_DELETION_FINALIZER = "foregroundDeletion";

    private final Store store;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final ServiceIps serviceIps;
    private final WatchCache cache;
    private final AdmissionChain admission;

    /** Without a watch cache: a cache that is never filled, so every list reads the store. */
    public ResourceStorage(Store store, Clock clock) {
        this(store, clock, new WatchCache(Duration.ZERO));
    }

    /** Lists are served from {@code cache} whenever it can answer them, else from the store; no admission. */
    public ResourceStorage(Store store, Clock clock, WatchCache cache) {
        this(store, clock, cache, AdmissionChain.none());
    }

    /** Every create, update and delete passes {@code admission}. */
    public ResourceStorage(Store store, Clock clock, WatchCache cache, AdmissionChain admission) {
        this.store = store;
        this.clock = clock;
        this.serviceIps = new ServiceIps(store);
        this.cache = cache;
        this.admission = admission;
    }

    public Store store() {
        return store;
    }

    /** The admission chain writes pass, for requests admitted without a write of their own (an eviction). */
    public AdmissionChain admission() {
        return admission;
    }

    public ObjectNode get(ResourceType type, @Nullable String namespace, String name) {
        return ObjectKeys.decode(type, current(type, namespace, name));
    }

    private KeyValue current(ResourceType type, @Nullable String namespace, String name) {
        return store.get(ObjectKeys.key(type, namespace, name)).orElseThrow(() -> ApiException.notFound(type, name));
    }

    /**
     * A list with upstream's resourceVersion semantics. The watch cache serves, at its own revision:
     * consistent reads (no resourceVersion: the cache first catches up with the store's current
     * revision, else the store answers), {@code resourceVersion=0} (whatever the cache holds, the
     * limit ignored, as kube-apiserver) and {@code NotOlderThan} (waiting for the cache to reach the
     * revision, else 504 Too large resource version). The store serves exact revisions (also a
     * limited list at a resourceVersion without a match rule, upstream's legacy meaning) and every
     * continuation at the revision its token carries, which is the snapshot the first page showed.
     */
    public ListPage list(ResourceType type, @Nullable String namespace, ListOptions options) {
        String prefix = ObjectKeys.prefix(type, namespace);
        String rv = options.resourceVersion() == null ? "" : options.resourceVersion();
        String match = options.resourceVersionMatch() == null ? "" : options.resourceVersionMatch();
        String continueToken = options.continueToken() == null ? "" : options.continueToken();
        validateListOptions(rv, match, continueToken);
        if (!continueToken.isEmpty()) {
            ContinueToken token = ContinueToken.decode(continueToken);
            if (!token.lastKey().startsWith(prefix)) {
                throw ApiException.badRequest("continue key is not valid: it does not belong to this list");
            }
            return listStore(type, prefix, options, token.revision(), token.lastKey());
        }
        boolean exact = match.equals("Exact") || (match.isEmpty() && options.limit() > 0 && !rv.isEmpty() && !rv.equals("0"));
        if (exact) {
            return listStore(type, prefix, options, parseRevision(rv), null);
        }
        long minimum = rv.isEmpty() ? store.currentRevision() : parseRevision(rv);
        Optional<CachedList> cached = cache.list(prefix, minimum);
        if (cached.isPresent()) {
            return listCached(type, options, cached.get(), rv.equals("0") ? 0 : options.limit());
        }
        if (!rv.isEmpty() && !rv.equals("0") && store.currentRevision() < minimum) {
            throw tooLargeResourceVersion(minimum, cache.revision());
        }
        return listStore(type, prefix, options, 0, null);
    }

    /** As upstream's ListOptions validation and etcd3 storage: contradictory combinations are refused. */
    private static void validateListOptions(String rv, String match, String continueToken) {
        if (!match.isEmpty() && !match.equals("Exact") && !match.equals("NotOlderThan")) {
            throw invalidListOptions(StatusCause.notSupported("resourceVersionMatch", match, List.of("Exact", "NotOlderThan")));
        }
        if (!match.isEmpty() && rv.isEmpty()) {
            throw invalidListOptions(StatusCause.forbidden("resourceVersionMatch",
                    "resourceVersionMatch is forbidden unless resourceVersion is provided"));
        }
        if (!match.isEmpty() && !continueToken.isEmpty()) {
            throw invalidListOptions(StatusCause.forbidden("resourceVersionMatch",
                    "resourceVersionMatch is forbidden when continue is provided"));
        }
        if (match.equals("Exact") && rv.equals("0")) {
            throw invalidListOptions(StatusCause.forbidden("resourceVersionMatch",
                    "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""));
        }
        if (!continueToken.isEmpty() && !rv.isEmpty() && !rv.equals("0")) {
            throw ApiException.badRequest("specifying resource version is not allowed when using continue");
        }
    }

    private static ApiException invalidListOptions(StatusCause cause) {
        return new ApiException(422, "Invalid", "ListOptions.meta.k8s.io \"\" is invalid: " + cause.describe(), "",
                "meta.k8s.io", "ListOptions", List.of(cause));
    }

    /** As upstream's watch cache when it cannot reach the revision asked for in time: 504, retry later. */
    private static ApiException tooLargeResourceVersion(long requested, long current) {
        return new ApiException(504, "Timeout", "Timeout: Too large resource version: " + requested + ", current: "
                + current, null, null, null, List.of(new StatusCause("ResourceVersionTooLarge", "",
                "Too large resource version")));
    }

    /**
     * A page from the cache's snapshot, built as the store would: the selected items up to the limit,
     * and a continue token (cache revision, last returned key) when keys remain after that one.
     */
    private static ListPage listCached(ResourceType type, ListOptions options, CachedList cached, int limit) {
        List<ObjectNode> items = new ArrayList<>();
        List<KeyValue> all = cached.items();
        for (int i = 0; i < all.size(); i++) {
            ObjectNode object = ObjectKeys.decode(type, all.get(i));
            if (options.labels().matchesObject(object) && options.fields().matches(object)) {
                items.add(object);
                if (limit > 0 && items.size() >= limit && i < all.size() - 1) {
                    return new ListPage(items, cached.revision(),
                            new ContinueToken(cached.revision(), all.get(i).key()).encode());
                }
            }
        }
        return new ListPage(items, cached.revision(), null);
    }

    /** A page read from the store at {@code atRevision} (0 = its latest), after {@code startAfter} when given. */
    private ListPage listStore(ResourceType type, String prefix, ListOptions options, long atRevision,
            @Nullable String startAfter) {
        List<ObjectNode> items = new ArrayList<>();
        int limit = options.limit();
        long revision = atRevision;
        String after = startAfter;
        while (true) {
            ListResult page;
            try {
                page = store.list(prefix, revision, limit > 0 ? limit - items.size() : 0, after);
            } catch (CompactedException e) {
                throw ApiException.expired(after != null
                        ? "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter."
                        : "too old resource version: " + revision + " (" + e.compactedRevision() + ")");
            }
            revision = page.revision();
            for (KeyValue kv : page.items()) {
                ObjectNode object = ObjectKeys.decode(type, kv);
                if (options.labels().matchesObject(object) && options.fields().matches(object)) {
                    items.add(object);
                }
            }
            after = page.continueAfterKey();
            if (after == null) {
                return new ListPage(items, revision, null);
            }
            if (limit > 0 && items.size() >= limit) {
                return new ListPage(items, revision, new ContinueToken(revision, after).encode());
            }
        }
    }

    static long parseRevision(String resourceVersion) {
        try {
            long revision = Long.parseLong(resourceVersion);
            if (revision < 0) {
                throw new NumberFormatException();
            }
            return revision;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid resource version \"" + resourceVersion + "\"");
        }
    }

    /** Creates {@code object} in {@code namespace} (null for cluster-scoped types); returns it as stored. */
    public ObjectNode create(ResourceType type, @Nullable String namespace, ObjectNode object, boolean dryRun) {
        return create(type, namespace, object, dryRun, ManagedFieldsTracker.UNTRACKED);
    }

    /** As {@link #create(ResourceType, String, ObjectNode, boolean)}, recording managedFields with {@code tracker}. */
    public ObjectNode create(ResourceType type, @Nullable String namespace, ObjectNode object, boolean dryRun,
            ManagedFieldsTracker tracker) {
        return create(type, namespace, object, dryRun, tracker, WriteContext.system());
    }

    /**
     * As {@link #create(ResourceType, String, ObjectNode, boolean, ManagedFieldsTracker)}, admitted for
     * {@code context}'s user: after the type's defaulting the admission chain mutates the object, then the type
     * validates it, then the chain validates it, as kube-apiserver's create.
     */
    public ObjectNode create(ResourceType type, @Nullable String namespace, ObjectNode object, boolean dryRun,
            ManagedFieldsTracker tracker, WriteContext context) {
        ResourceStrategy strategy = Strategies.of(type);
        ObjectNode metadata = Json.metadata(object);
        String name = metadata.path("name").asString("");
        if (name.isEmpty()) {
            String generateName = metadata.path("generateName").asString("");
            if (generateName.isEmpty()) {
                throw ApiException.invalid(type, "",
                        List.of(StatusCause.required("metadata.name", "name or generateName is required")));
            }
            name = generateName + randomSuffix();
            metadata.put("name", name);
        }
        if (type.namespaced()) {
            if (namespace == null || namespace.isEmpty()) {
                throw ApiException.badRequest("the namespace of the object is required for " + type.qualifiedPlural());
            }
            metadata.put("namespace", namespace);
        } else {
            metadata.remove("namespace");
        }
        for (String field : List.of("resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink")) {
            metadata.remove(field);
        }
        metadata.put("uid", UUID.randomUUID().toString());
        metadata.put("creationTimestamp", timestamp(clock.instant()));
        if (strategy.tracksGeneration()) {
            metadata.put("generation", 1);
        } else {
            metadata.remove("generation");
        }
        if (type.subresources().contains("status") && !strategy.keepsStatusOnCreate()) {
            object.remove("status");
        }
        strategy.prepareForCreate(object);
        strategy.applyDefaults(object);
        List<String> warnings = new ArrayList<>();
        AdmissionRequest request = new AdmissionRequest(AdmissionRequest.Operation.CREATE, type, context.subresource(),
                namespace, name, object, null, context.user(), dryRun, warnings, context.auditAnnotations());
        admission.mutate(request);
        validate(type, strategy, object, name, null);
        admission.validate(request);
        if (type.qualifiedPlural().equals("services")) {
            serviceIps.assign(object);
        }
        tracker.track(null, object);
        if (dryRun) {
            context.warnings().addAll(warnings);
            return object;
        }
        try {
            KeyValue kv = store.create(ObjectKeys.key(type, namespace, name), ObjectKeys.encode(type, object));
            log.info("created {} {}", type.qualifiedPlural(), describe(namespace, name));
            ObjectNode stored = ObjectKeys.decode(type, kv);
            context.warnings().addAll(warnings);
            admission.committed(request, stored);
            return stored;
        } catch (KeyExistsException e) {
            throw ApiException.alreadyExists(type, name);
        }
    }

    private static void validate(ResourceType type, ResourceStrategy strategy, ObjectNode object, String name,
            @Nullable ObjectNode old) {
        List<StatusCause> causes = new ArrayList<>();
        for (String problem : strategy.nameRule().problems(name)) {
            causes.add(StatusCause.invalid("metadata.name", name, problem));
        }
        causes.addAll(strategy.validate(object));
        if (old != null) {
            causes.addAll(strategy.validateUpdate(object, old));
        }
        if (!causes.isEmpty()) {
            throw ApiException.invalid(type, name, causes);
        }
    }

    /**
     * Reads the object, lets {@code change} compute its new state from a copy, and writes it back
     * with compare-and-swap, as upstream's GuaranteedUpdate. A resourceVersion in the changed object
     * that differs from the stored one is a 409 Conflict; without one the change is retried on
     * concurrent writes. Removes the object when it is being deleted and its finalizers are gone.
     */
    public ObjectNode update(ResourceType type, @Nullable String namespace, String name, UpdateMode mode,
            boolean dryRun, UnaryOperator<ObjectNode> change) {
        return update(type, namespace, name, mode, dryRun, change, ManagedFieldsTracker.UNTRACKED);
    }

    /** As {@link #update(ResourceType, String, String, UpdateMode, boolean, UnaryOperator)}, recording managedFields. */
    public ObjectNode update(ResourceType type, @Nullable String namespace, String name, UpdateMode mode,
            boolean dryRun, UnaryOperator<ObjectNode> change, ManagedFieldsTracker tracker) {
        return update(type, namespace, name, mode, dryRun, change, tracker, WriteContext.system());
    }

    /**
     * As {@link #update(ResourceType, String, String, UpdateMode, boolean, UnaryOperator, ManagedFieldsTracker)},
     * admitted for {@code context}'s user on every attempt: admission mutates the next state after the type's
     * preparation and defaulting, then the type validates it, then admission validates it. A {@code binding} is
     * admitted as a CREATE of the subresource, as upstream's pods/binding.
     */
    public ObjectNode update(ResourceType type, @Nullable String namespace, String name, UpdateMode mode,
            boolean dryRun, UnaryOperator<ObjectNode> change, ManagedFieldsTracker tracker, WriteContext context) {
        ResourceStrategy strategy = Strategies.of(type);
        String subresource = context.subresource().isEmpty() && mode == UpdateMode.STATUS ? "status" : context.subresource();
        AdmissionRequest.Operation operation = subresource.equals("binding")
                ? AdmissionRequest.Operation.CREATE : AdmissionRequest.Operation.UPDATE;
        for (int attempt = 0; ; attempt++) {
            KeyValue kv = current(type, namespace, name);
            ObjectNode old = ObjectKeys.decode(type, kv);
            ObjectNode changed = change.apply(old.deepCopy());
            String requested = changed.path("metadata").path("resourceVersion").asString("");
            if (!requested.isEmpty() && parseRevision(requested) != kv.modRevision()) {
                throw ApiException.modified(type, name);
            }
            ObjectNode next = merge(type, strategy, mode, old, changed);
            strategy.prepareForUpdate(next, old);
            strategy.applyDefaults(next);
            List<String> warnings = new ArrayList<>();
            AdmissionRequest request = new AdmissionRequest(operation, type, subresource, namespace, name, next, old,
                    context.user(), dryRun, warnings, context.auditAnnotations());
            admission.mutate(request);
            if (mode != UpdateMode.STATUS) {
                // server-side writes (bindings) may change what clients may not
                validate(type, strategy, next, name, mode == UpdateMode.MAIN ? old : null);
            }
            admission.validate(request);
            if (strategy.tracksGeneration() && !strategy.generationSubject(next).equals(strategy.generationSubject(old))) {
                Json.metadata(next).put("generation", old.path("metadata").path("generation").asLong(0) + 1);
            }
            tracker.track(old, next);
            // as upstream's shouldDeleteDuringUpdate: a pod still in its grace period stays for its node to stop it
            boolean finalized = next.path("metadata").hasNonNull("deletionTimestamp")
                    && !strategy.hasPendingFinalizers(next)
                    && old.path("metadata").path("deletionGracePeriodSeconds").asLong(0) == 0;
            byte[] bytes = ObjectKeys.encode(type, next);
            if (!finalized && Arrays.equals(bytes, kv.value())) {
                context.warnings().addAll(warnings);
                return old;
            }
            if (dryRun) {
                // as upstream: a dry run shows the object as it would be stored, still at the stored version
                Json.metadata(next).put("resourceVersion", Long.toString(kv.modRevision()));
                context.warnings().addAll(warnings);
                return next;
            }
            try {
                ObjectNode stored;
                if (finalized) {
                    KeyValue deleted = store.delete(kv.key(), kv.modRevision());
                    log.info("removed {} {} after its finalizers", type.qualifiedPlural(), describe(namespace, name));
                    Json.metadata(next).put("resourceVersion", Long.toString(deleted.modRevision()));
                    stored = next;
                } else {
                    stored = ObjectKeys.decode(type, store.update(kv.key(), kv.modRevision(), bytes));
                }
                context.warnings().addAll(warnings);
                admission.committed(request, stored);
                return stored;
            } catch (RevisionConflictException e) {
                if (!requested.isEmpty() || attempt >= MAX_RETRIES) {
                    throw ApiException.modified(type, name);
                }
            } catch (KeyNotFoundException e) {
                throw ApiException.notFound(type, name);
            }
        }
    }

    /** The next state: what the client may change per mode, server-owned metadata from storage. */
    private static ObjectNode merge(ResourceType type, ResourceStrategy strategy, UpdateMode mode, ObjectNode old,
            ObjectNode changed) {
        ObjectNode next;
        if (mode == UpdateMode.STATUS) {
            next = old.deepCopy();
            JsonNode status = changed.get("status");
            if (status == null) {
                next.remove("status");
            } else {
                next.set("status", status);
            }
        } else {
            next = changed;
            if (mode == UpdateMode.MAIN && type.subresources().contains("status")) {
                JsonNode status = old.get("status");
                if (status == null) {
                    next.remove("status");
                } else {
                    next.set("status", status);
                }
            }
        }
        next.put("apiVersion", type.apiVersion()).put("kind", type.kind());
        ObjectNode metadata = Json.metadata(next);
        JsonNode oldMetadata = old.path("metadata");
        for (String field : List.of("name", "namespace", "uid", "creationTimestamp", "generation")) {
            copyField(oldMetadata, metadata, field);
        }
        if (mode != UpdateMode.SERVER) {
            copyField(oldMetadata, metadata, "deletionTimestamp");
            copyField(oldMetadata, metadata, "deletionGracePeriodSeconds");
        }
        metadata.remove("selfLink");
        metadata.remove("resourceVersion");
        if (!strategy.tracksGeneration()) {
            metadata.remove("generation");
        }
        return next;
    }

    private static void copyField(JsonNode from, ObjectNode to, String field) {
        JsonNode value = from.get(field);
        if (value == null) {
            to.remove(field);
        } else {
            to.set(field, value);
        }
    }

    /**
     * Deletes as upstream's generic registry store: objects with finalizers (including the garbage
     * collector's {@code orphan} and {@code foregroundDeletion}, added here from the propagation policy), and
     * pods bound to a node with a grace period, are only marked (deletionTimestamp,
     * deletionGracePeriodSeconds) and returned; others are removed at once.
     */
    public DeleteResult delete(ResourceType type, @Nullable String namespace, String name, DeleteOptions options,
            boolean dryRun) {
        return delete(type, namespace, name, options, dryRun, WriteContext.system());
    }

    /**
     * As {@link #delete(ResourceType, String, String, DeleteOptions, boolean)}, admitted for {@code context}'s user
     * (the stored object as the request's object) before anything changes.
     */
    public DeleteResult delete(ResourceType type, @Nullable String namespace, String name, DeleteOptions options,
            boolean dryRun, WriteContext context) {
        List<String> warnings = new ArrayList<>();
        AtomicReference<@Nullable AdmissionRequest> admitted = new AtomicReference<>();
        DeleteResult result = deleteAdmitted(type, namespace, name, options, dryRun, context, warnings, admitted);
        context.warnings().addAll(warnings);
        AdmissionRequest request = admitted.get();
        if (request != null) {
            admission.committed(request, result.object());
        }
        return result;
    }

    private DeleteResult deleteAdmitted(ResourceType type, @Nullable String namespace, String name,
            DeleteOptions options, boolean dryRun, WriteContext context, List<String> warnings,
            AtomicReference<@Nullable AdmissionRequest> admitted) {
        ResourceStrategy strategy = Strategies.of(type);
        for (int attempt = 0; ; attempt++) {
            KeyValue kv = current(type, namespace, name);
            ObjectNode object = ObjectKeys.decode(type, kv);
            JsonNode metadata = object.path("metadata");
            if (options.preconditionUid() != null && !options.preconditionUid().equals(metadata.path("uid").asString(""))) {
                throw ApiException.conflict(type, name, "Precondition failed: UID in precondition: "
                        + options.preconditionUid() + ", UID in object meta: " + metadata.path("uid").asString(""));
            }
            if (options.preconditionResourceVersion() != null
                    && !options.preconditionResourceVersion().equals(metadata.path("resourceVersion").asString(""))) {
                throw ApiException.conflict(type, name, "Precondition failed: ResourceVersion in precondition: "
                        + options.preconditionResourceVersion() + ", ResourceVersion in object meta: "
                        + metadata.path("resourceVersion").asString(""));
            }
            if (admitted.get() == null) {
                // once, before anything changes, as upstream's deletion admits the stored object
                AdmissionRequest request = new AdmissionRequest(AdmissionRequest.Operation.DELETE, type,
                        context.subresource(), namespace, name, object.deepCopy(), null, context.user(), dryRun,
                        warnings, context.auditAnnotations());
                admission.mutate(request);
                admission.validate(request);
                admitted.set(request);
            }
            boolean marked = metadata.hasNonNull("deletionTimestamp");
            long pendingGrace = metadata.path("deletionGracePeriodSeconds").asLong(0);
            long grace = gracePeriod(type, object, options);
            if (marked && pendingGrace > 0 && grace >= pendingGrace) {
                // a graceful deletion under way only ever shortens; its finalizers are not updated from
                // these options either, as upstream
                return new DeleteResult(object, false);
            }
            ObjectNode next = object.deepCopy();
            ObjectNode nextMetadata = Json.metadata(next);
            List<String> finalizers = strings(metadata.path("finalizers"));
            List<String> nextFinalizers = garbageCollectionFinalizers(type, finalizers, options);
            if (nextFinalizers.isEmpty()) {
                nextMetadata.remove("finalizers");
            } else {
                ArrayNode array = nextMetadata.putArray("finalizers");
                nextFinalizers.forEach(array::add);
            }
            boolean pendingFinalizers = strategy.hasPendingFinalizers(next);
            try {
                if (pendingFinalizers || grace > 0) {
                    Instant now = clock.instant();
                    if (grace > 0) {
                        nextMetadata.put("deletionTimestamp", timestamp(now.plusSeconds(grace)));
                    } else if (!marked || Instant.parse(metadata.path("deletionTimestamp").asString()).isAfter(now)) {
                        nextMetadata.put("deletionTimestamp", timestamp(now));
                    }
                    nextMetadata.put("deletionGracePeriodSeconds", grace);
                    if (!marked && metadata.path("generation").asLong(0) > 0) {
                        // as upstream: the start of a deletion is a change of the desired state
                        nextMetadata.put("generation", metadata.path("generation").asLong() + 1);
                    }
                    if (type.qualifiedPlural().equals("namespaces")) {
                        Json.child(next, "status").put("phase", "Terminating");
                    }
                    byte[] bytes = ObjectKeys.encode(type, next);
                    if (Arrays.equals(bytes, kv.value())) {
                        return new DeleteResult(object, false);
                    }
                    if (dryRun) {
                        return new DeleteResult(next, false);
                    }
                    KeyValue updated = store.update(kv.key(), kv.modRevision(), bytes);
                    log.info("marked {} {} for deletion (grace {}s, finalizers {})", type.qualifiedPlural(),
                            describe(namespace, name), grace, nextFinalizers);
                    return new DeleteResult(ObjectKeys.decode(type, updated), false);
                }
                if (dryRun) {
                    return new DeleteResult(object, true);
                }
                KeyValue deleted = store.delete(kv.key(), kv.modRevision());
                log.info("deleted {} {}", type.qualifiedPlural(), describe(namespace, name));
                Json.metadata(object).put("resourceVersion", Long.toString(deleted.modRevision()));
                return new DeleteResult(object, true);
            } catch (RevisionConflictException e) {
                if (attempt >= MAX_RETRIES) {
                    throw ApiException.modified(type, name);
                }
            } catch (KeyNotFoundException e) {
                throw ApiException.notFound(type, name);
            }
        }
    }

    /**
     * The finalizers after a delete, as upstream's deletionFinalizersForGarbageCollection: {@code orphan} when
     * dependents are to be orphaned, {@code foregroundDeletion} when they are to be deleted first. An explicit
     * {@code orphanDependents} or propagation policy decides; without one, a finalizer already there stays, and
     * else the type's default policy applies.
     */
    static List<String> garbageCollectionFinalizers(ResourceType type, List<String> finalizers, DeleteOptions options) {
        boolean orphan;
        boolean foreground;
        if (options.orphanDependents() != null) {
            orphan = options.orphanDependents();
            foreground = false;
        } else if (options.propagationPolicy() != null) {
            orphan = options.propagationPolicy().equals(DeleteOptions.ORPHAN);
            foreground = options.propagationPolicy().equals(DeleteOptions.FOREGROUND);
        } else {
            foreground = finalizers.contains(FOREGROUND_DELETION_FINALIZER);
            orphan = finalizers.contains(ORPHAN_FINALIZER) || (!foreground && orphansByDefault(type));
        }
        List<String> next = new ArrayList<>(finalizers);
        next.removeAll(List.of(ORPHAN_FINALIZER, FOREGROUND_DELETION_FINALIZER));
        if (orphan) {
            next.add(ORPHAN_FINALIZER);
        }
        if (foreground) {
            next.add(FOREGROUND_DELETION_FINALIZER);
        }
        return next;
    }

    /**
     * Upstream's DefaultGarbageCollectionPolicy is OrphanDependents, for backwards compatibility, only for
     * v1 replication controllers and batch/v1 jobs among the versions served here; every other type
     * deletes its dependents (in the background unless asked otherwise).
     */
    private static boolean orphansByDefault(ResourceType type) {
        return (type.group().isEmpty() && type.plural().equals("replicationcontrollers"))
                || (type.group().equals("batch") && type.version().equals("v1") && type.plural().equals("jobs"));
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asString("")));
        return values;
    }

    /**
     * Only pods bound to a node get a grace period (from the options, else the pod's
     * terminationGracePeriodSeconds, else 30), as upstream: unbound pods have nothing to stop.
     */
    private static long gracePeriod(ResourceType type, JsonNode object, DeleteOptions options) {
        if (!type.qualifiedPlural().equals("pods")) {
            return 0;
        }
        if (object.path("spec").path("nodeName").asString("").isEmpty()) {
            return 0;
        }
        String phase = object.path("status").path("phase").asString("");
        if (phase.equals("Succeeded") || phase.equals("Failed")) {
            return 0;
        }
        if (options.gracePeriodSeconds() != null) {
            return Math.max(0, options.gracePeriodSeconds());
        }
        return object.path("spec").path("terminationGracePeriodSeconds").asLong(30);
    }

    static String timestamp(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private String randomSuffix() {
        StringBuilder suffix = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            suffix.append(SUFFIX_ALPHABET.charAt(random.nextInt(SUFFIX_ALPHABET.length())));
        }
        return suffix.toString();
    }

    private static String describe(@Nullable String namespace, String name) {
        return namespace == null ? name : namespace + "/" + name;
    }
}
