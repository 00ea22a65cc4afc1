package io.platform.api.rest;

import io.kubernetes.client.openapi.models.V1Scale;
import io.platform.api.apply.FieldManager;
import io.platform.api.audit.AuditAnnotations;
import io.platform.api.auth.AuthenticatedUser;
import io.platform.api.errors.ApiException;
import io.platform.api.errors.StatusCause;
import io.platform.api.json.Json;
import io.platform.api.logs.PodLogs;
import io.platform.api.openapi.OpenApiV3;
import io.platform.api.patch.PatchException;
import io.platform.api.patch.PatchType;
import io.platform.api.patch.Patches;
import io.platform.api.registry.ResourceType;
import io.platform.api.resource.DeleteOptions;
import io.platform.api.resource.DeleteResult;
import io.platform.api.resource.ManagedFieldsTracker;
import io.platform.api.resource.ResourceStorage;
import io.platform.api.resource.UpdateMode;
import io.platform.api.resource.WriteContext;
import io.platform.api.strategy.CertificateRequester;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every request under {@code /api/v1} and {@code /apis/{group}/{version}}: dispatches by path
 * and method to get, list, watch, create, update, patch, delete and the subresources.
 */
final class ResourceHandler {

    private static final String APPLY_PATCH = "application/apply-patch+yaml";

    private final ResourceStorage storage;
    private final CollectionHandler collections;
    private final Responses responses;
    private final FieldValidation fieldValidation;
    private final DiscoveryHandler discovery;
    private final PodLogs podLogs;
    private final Clock clock;
    private final FieldManager fieldManager;
    private final int maxBodyBytes;

    ResourceHandler(ResourceStorage storage, CollectionHandler collections, Responses responses,
            FieldValidation fieldValidation, DiscoveryHandler discovery, PodLogs podLogs, Clock clock,
            FieldManager fieldManager, int maxBodyBytes) {
        this.storage = storage;
        this.collections = collections;
        this.responses = responses;
        this.fieldValidation = fieldValidation;
        this.discovery = discovery;
        this.podLogs = podLogs;
        this.clock = clock;
        this.fieldManager = fieldManager;
        this.maxBodyBytes = maxBodyBytes;
    }

    Mono<ServerResponse> handle(ServerRequest request) {
        ResourcePath path = ResourcePath.parse(request.path());
        HttpMethod method = request.method();
        if (path.type() == null) {
            return method.equals(HttpMethod.GET) ? discovery.resourceList(path.group(), path.version()) : notAllowed();
        }
        ResourceType type = path.type();
        String sub = path.subresource();
        if (ResourcePath.BINDINGS.equals(sub) && path.name() == null) {
            return method.equals(HttpMethod.POST) ? withBody(request, body -> bind(request, path, null, body)) : notAllowed();
        }
        if (path.name() == null) {
            if (method.equals(HttpMethod.GET)) {
                return collections.listOrWatch(request, type, path.namespace());
            }
            if (method.equals(HttpMethod.POST)) {
                return withBody(request, body -> create(request, type, path.namespace(), body));
            }
            if (method.equals(HttpMethod.DELETE)) {
                return collections.deleteCollection(request, type, path.namespace());
            }
            return notAllowed();
        }
        String name = path.name();
        if (sub == null) {
            if (method.equals(HttpMethod.GET)) {
                return blocking(() -> responses.object(request, type, 200, storage.get(type, path.namespace(), name), List.of()));
            }
            if (method.equals(HttpMethod.PUT)) {
                return withBody(request, body -> update(request, path, UpdateMode.MAIN, body));
            }
            if (method.equals(HttpMethod.PATCH)) {
                return withBody(request, body -> patch(request, path, UpdateMode.MAIN, body));
            }
            if (method.equals(HttpMethod.DELETE)) {
                return withBody(request, body -> delete(request, type, path.namespace(), name, body));
            }
            return notAllowed();
        }
        return switch (sub) {
            case "status" -> {
                if (method.equals(HttpMethod.GET)) {
                    yield blocking(() -> Responses.json(200, storage.get(type, path.namespace(), name)));
                }
                if (method.equals(HttpMethod.PUT)) {
                    yield withBody(request, body -> update(request, path, UpdateMode.STATUS, body));
                }
                if (method.equals(HttpMethod.PATCH)) {
                    yield withBody(request, body -> patch(request, path, UpdateMode.STATUS, body));
                }
                yield notAllowed();
            }
            case "scale" -> scale(request, path);
            case "binding" -> method.equals(HttpMethod.POST)
                    ? withBody(request, body -> bind(request, path, name, body)) : notAllowed();
            case "finalize" -> method.equals(HttpMethod.PUT)
                    ? withBody(request, body -> finalizeNamespace(request, path, body)) : notAllowed();
            case "log" -> method.equals(HttpMethod.GET) ? podLogs.logs(request, path.namespace(), name) : notAllowed();
            case "ephemeralcontainers" -> {
                if (method.equals(HttpMethod.GET)) {
                    yield blocking(() -> Responses.json(200, storage.get(type, path.namespace(), name)));
                }
                if (method.equals(HttpMethod.PUT)) {
                    yield withBody(request, body -> EphemeralContainersSubresource.update(request, storage, path, body));
                }
                if (method.equals(HttpMethod.PATCH)) {
                    yield withBody(request, body -> EphemeralContainersSubresource.patch(request, storage, path, body));
                }
                yield notAllowed();
            }
            case "eviction" -> method.equals(HttpMethod.POST)
                    ? withBody(request, body -> EvictionSubresource.evict(request, storage, clock, path, body,
                            context(request).subresource("eviction"))) : notAllowed();
            case "approval" -> {
                if (method.equals(HttpMethod.GET)) {
                    yield blocking(() -> Responses.json(200, storage.get(type, null, name)));
                }
                if (method.equals(HttpMethod.PUT)) {
                    yield withBody(request, body -> ApprovalSubresource.update(request, storage, clock, path, body));
                }
                if (method.equals(HttpMethod.PATCH)) {
                    yield withBody(request, body -> ApprovalSubresource.patch(request, storage, clock, path, body));
                }
                yield notAllowed();
            }
            default -> Mono.error(ApiException.noSuchPath());
        };
    }

    static Mono<ServerResponse> notAllowed() {
        return Mono.error(ApiException.methodNotAllowed("the server does not allow this method on the requested resource"));
    }

    /** Runs blocking store work off the event loop. */
    static Mono<ServerResponse> blocking(Callable<Mono<ServerResponse>> work) {
        return Mono.fromCallable(work).subscribeOn(Schedulers.boundedElastic()).flatMap(m -> m);
    }

    private interface BodyWork {
        Mono<ServerResponse> apply(byte[] body) throws Exception;
    }

    /** Reads the body, refusing with 413 one larger than the limit before anything is decoded or stored. */
    private Mono<ServerResponse> withBody(ServerRequest request, BodyWork work) {
        return RequestBodies.read(request, maxBodyBytes).flatMap(bytes -> blocking(() -> work.apply(bytes)));
    }

    /** The manager a non-apply write is recorded under. */
    private ManagedFieldsTracker updates(ServerRequest request, ResourceType type, @Nullable String subresource) {
        String manager = FieldManager.managerName(request.queryParam("fieldManager").orElse(null),
                request.headers().firstHeader("User-Agent"));
        return fieldManager.updates(type, manager, subresource);
    }

    /**
     * The write's requester for admission: the authenticated user (anonymous when no authenticator ran), with the
     * request's audit event to annotate.
     */
    static WriteContext context(ServerRequest request) {
        return WriteContext.of(AuthenticatedUser.of(request.exchange()).orElseGet(AuthenticatedUser::anonymous),
                AuditAnnotations.of(request.exchange()));
    }

    /** The decoding warnings followed by the admission warnings of the write. */
    static List<String> warnings(List<String> decoding, WriteContext context) {
        if (context.warnings().isEmpty()) {
            return decoding;
        }
        List<String> all = new ArrayList<>(decoding);
        context.warnings().stream().filter(w -> !all.contains(w)).forEach(all::add);
        return all;
    }

    static boolean dryRun(ServerRequest request) {
        List<String> values = request.queryParams().getOrDefault("dryRun", List.of());
        for (String value : values) {
            if (!value.equals("All")) {
                throw ApiException.badRequest("dryRun: Unsupported value: \"" + value + "\": supported values: \"All\"");
            }
        }
        return !values.isEmpty();
    }

    private Mono<ServerResponse> create(ServerRequest request, ResourceType type, @Nullable String namespace, byte[] bytes) {
        ObjectNode object = RequestBodies.decode(contentType(request), bytes);
        RequestBodies.requireKind(object, type, type.apiVersion(), type.kind());
        requireNamespaceMatch(object, namespace);
        List<String> warnings = fieldValidation.check(request.queryParam("fieldValidation").orElse(null), type, object);
        requester(request, type, object);
        WriteContext context = context(request);
        ObjectNode created = storage.create(type, namespace, object, dryRun(request), updates(request, type, null),
                context);
        return responses.object(request, type, 201, created, warnings(warnings, context));
    }

    /** Who asked, where the type records it on create (a CertificateSigningRequest's requester). */
    private static void requester(ServerRequest request, ResourceType type, ObjectNode object) {
        AuthenticatedUser.of(request.exchange()).ifPresent(user -> CertificateRequester.stamp(type, object, user));
    }

    static void requireNamespaceMatch(ObjectNode object, @Nullable String namespace) {
        String bodyNamespace = object.path("metadata").path("namespace").asString("");
        if (namespace != null && !bodyNamespace.isEmpty() && !bodyNamespace.equals(namespace)) {
            throw ApiException.badRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
    }

    private static void requireNameMatch(ObjectNode object, String name) {
        String bodyName = object.path("metadata").path("name").asString("");
        if (!bodyName.equals(name)) {
            throw ApiException.badRequest("the name of the object (" + bodyName + ") does not match the name on the URL (" + name + ")");
        }
    }

    private Mono<ServerResponse> update(ServerRequest request, ResourcePath path, UpdateMode mode, byte[] bytes) {
        ResourceType type = path.requireType();
        String name = path.name();
        ObjectNode object = RequestBodies.decode(contentType(request), bytes);
        RequestBodies.requireKind(object, type, type.apiVersion(), type.kind());
        requireNamespaceMatch(object, path.namespace());
        requireNameMatch(object, name);
        List<String> warnings = fieldValidation.check(request.queryParam("fieldValidation").orElse(null), type, object);
        WriteContext context = context(request);
        ObjectNode updated = storage.update(type, path.namespace(), name, mode, dryRun(request), current -> object,
                updates(request, type, mode == UpdateMode.STATUS ? "status" : null), context);
        return responses.object(request, type, 200, updated, warnings(warnings, context));
    }

    private Mono<ServerResponse> patch(ServerRequest request, ResourcePath path, UpdateMode mode, byte[] bytes) {
        ResourceType type = path.requireType();
        if (RequestBodies.mediaType(contentType(request)).equals(APPLY_PATCH)) {
            return apply(request, path, mode, bytes, true);
        }
        if (request.queryParam("force").isPresent()) {
            throw new ApiException(422, "Invalid", "force: Forbidden: may not be specified for non-apply patch",
                    null, null, null, List.of(StatusCause.forbidden("force", "may not be specified for non-apply patch")));
        }
        PatchType patchType = patchType(request);
        String validation = request.queryParam("fieldValidation").orElse(null);
        List<String> warnings = new ArrayList<>();
        WriteContext context = context(request);
        ObjectNode updated = storage.update(type, path.namespace(), path.name(), mode, dryRun(request), current -> {
            // patches see the stored resourceVersion (kubectl's managedFields migration tests it); one the patch
            // left alone is no precondition, so concurrent writes are retried as upstream does
            String stored = Json.metadata(current).path("resourceVersion").asString("");
            ObjectNode patched = applyPatch(patchType, current, bytes, OpenApiV3.modelClass(type));
            if (patched.path("metadata").path("resourceVersion").asString("").equals(stored)) {
                Json.metadata(patched).remove("resourceVersion");
            }
            RequestBodies.requireKind(patched, type, type.apiVersion(), type.kind());
            warnings.clear();
            warnings.addAll(fieldValidation.check(validation, type, patched));
            return patched;
        }, updates(request, type, mode == UpdateMode.STATUS ? "status" : null), context);
        return responses.object(request, type, 200, updated, warnings(warnings, context));
    }

    /**
     * Server-side apply: updates the object when it exists (200), creates it otherwise (201, main resource only),
     * with ownership and conflicts kept by the field manager.
     */
    private Mono<ServerResponse> apply(ServerRequest request, ResourcePath path, UpdateMode mode, byte[] bytes,
            boolean retryOnRace) {
        ResourceType type = path.requireType();
        String name = path.name();
        String manager = FieldManager.applyManager(request.queryParam("fieldManager").orElse(null));
        boolean force = force(request);
        boolean dryRun = dryRun(request);
        String validation = request.queryParam("fieldValidation").orElse(null);
        ObjectNode config = applyConfiguration(bytes, type);
        requireNamespaceMatch(config, path.namespace());
        if (config.path("metadata").path("name").asString("").isEmpty()) {
            Json.metadata(config).put("name", name);
        }
        requireNameMatch(config, name);
        String subresource = mode == UpdateMode.STATUS ? "status" : null;
        List<String> warnings = new ArrayList<>();
        WriteContext context = context(request);
        AtomicReference<FieldManager.Applied> applied = new AtomicReference<>();
        try {
            ObjectNode updated = storage.update(type, path.namespace(), name, mode, dryRun, current -> {
                if (!config.path("metadata").has("resourceVersion")) {
                    // without a precondition in the configuration, concurrent writes are retried, not refused
                    Json.metadata(current).remove("resourceVersion");
                }
                FieldManager.Applied result = fieldManager.apply(current, config, type, manager, force, subresource);
                applied.set(result);
                warnings.clear();
                warnings.addAll(fieldValidation.check(validation, type, result.object()));
                return result.object();
            }, (old, next) -> applied.get().tracker().track(old, next), context);
            return responses.object(request, type, 200, updated, warnings(warnings, context));
        } catch (ApiException e) {
            if (e.code() != 404 || mode != UpdateMode.MAIN || applied.get() != null) {
                throw e;
            }
        }
        FieldManager.Applied created = fieldManager.apply(null, config, type, manager, force, null);
        warnings.addAll(fieldValidation.check(validation, type, created.object()));
        requester(request, type, created.object());
        try {
            ObjectNode stored = storage.create(type, path.namespace(), created.object(), dryRun, created.tracker(),
                    context);
            return responses.object(request, type, 201, stored, warnings(warnings, context));
        } catch (ApiException e) {
            if (!retryOnRace || !e.reason().equals("AlreadyExists")) {
                throw e;
            }
            // created by someone else since we looked: apply to that object instead
            return apply(request, path, mode, bytes, false);
        }
    }

    /** The applied configuration: YAML or JSON, a whole object of the resource's kind. */
    private static ObjectNode applyConfiguration(byte[] bytes, ResourceType type) {
        if (bytes.length == 0) {
            throw ApiException.badRequest("the request body is empty; an applied configuration is required");
        }
        ObjectNode config;
        try {
            config = Json.parseYamlObject(bytes);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("error decoding YAML: " + e.getMessage());
        }
        if (config.path("apiVersion").asString("").isEmpty() || config.path("kind").asString("").isEmpty()) {
            throw ApiException.badRequest("apiVersion and kind must be set in an applied configuration");
        }
        RequestBodies.requireKind(config, type, type.apiVersion(), type.kind());
        return config;
    }

    private static boolean force(ServerRequest request) {
        String value = request.queryParam("force").orElse("false");
        return switch (value) {
            case "true" -> true;
            case "false", "" -> false;
            default -> throw ApiException.badRequest("force: Invalid value: \"" + value + "\": must be true or false");
        };
    }

    static PatchType patchType(ServerRequest request) {
        String mediaType = RequestBodies.mediaType(contentType(request));
        if (mediaType.equals(APPLY_PATCH)) {
            throw ApiException.unsupportedMediaType("server-side apply (" + APPLY_PATCH + ") is served on the resource"
                    + " and its status; apply the resource itself to change its replicas");
        }
        return PatchType.fromContentType(mediaType).orElseThrow(() -> ApiException.unsupportedMediaType(
                "the body of the request was in an unknown format - accepted media types include: "
                        + "application/json-patch+json, application/merge-patch+json, "
                        + "application/strategic-merge-patch+json"));
    }

    static ObjectNode applyPatch(PatchType type, ObjectNode current, byte[] patch, Class<?> modelClass) {
        try {
            return Patches.apply(type, current, patch, modelClass);
        } catch (PatchException e) {
            throw e.code() == 422
                    ? new ApiException(422, "Invalid", e.getMessage(), null, null, null, List.of())
                    : ApiException.badRequest(e.getMessage());
        }
    }

    private Mono<ServerResponse> delete(ServerRequest request, ResourceType type, @Nullable String namespace, String name,
            byte[] bytes) {
        DeleteOptions options = deleteOptions(request, bytes);
        WriteContext context = context(request);
        DeleteResult result = storage.delete(type, namespace, name, options, options.dryRun() || dryRun(request),
                context);
        if (result.removed() && !type.qualifiedPlural().equals("pods")) {
            return Responses.json(200, Responses.success(type, result.object()), context.warnings());
        }
        return Responses.json(200, result.object(), context.warnings());
    }

    /**
     * DeleteOptions from the body (JSON, as kubectl and fabric8 send it) or, without a body, from the query
     * string, as kube-apiserver reads them.
     */
    static DeleteOptions deleteOptions(ServerRequest request, byte[] bytes) {
        return deleteOptions(bytes.length == 0 ? queryDeleteOptions(request) : RequestBodies.decode(contentType(request), bytes));
    }

    /** The DeleteOptions query parameters as a {@code meta/v1 DeleteOptions} object. */
    static ObjectNode queryDeleteOptions(ServerRequest request) {
        ObjectNode options = Json.object();
        request.queryParam("gracePeriodSeconds").ifPresent(value -> {
            try {
                options.put("gracePeriodSeconds", Long.parseLong(value));
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("gracePeriodSeconds must be an integer, got \"" + value + "\"");
            }
        });
        request.queryParam("propagationPolicy").ifPresent(value -> options.put("propagationPolicy", value));
        request.queryParam("orphanDependents").ifPresent(value -> options.put("orphanDependents", switch (value) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw ApiException.badRequest("orphanDependents must be true or false, got \"" + value + "\"");
        }));
        return options;
    }

    /** DeleteOptions from a {@code meta/v1 DeleteOptions} object, validated as upstream's ValidateDeleteOptions. */
    static DeleteOptions deleteOptions(JsonNode body) {
        Long grace = body.path("gracePeriodSeconds").isNumber() ? body.path("gracePeriodSeconds").asLong() : null;
        String propagation = body.path("propagationPolicy").isString() ? body.path("propagationPolicy").asString() : null;
        Boolean orphan = body.path("orphanDependents").isBoolean() ? body.path("orphanDependents").asBoolean() : null;
        List<String> policies = List.of(DeleteOptions.FOREGROUND, DeleteOptions.BACKGROUND, DeleteOptions.ORPHAN);
        if (propagation != null && !policies.contains(propagation)) {
            throw invalidDeleteOptions(StatusCause.notSupported("propagationPolicy", propagation,
                    List.of(DeleteOptions.FOREGROUND, DeleteOptions.BACKGROUND, DeleteOptions.ORPHAN, "nil")));
        }
        if (orphan != null && propagation != null) {
            throw invalidDeleteOptions(StatusCause.invalid("propagationPolicy", propagation,
                    "orphanDependents and deletionPropagation cannot be both set"));
        }
        boolean dryRun = false;
        for (JsonNode value : body.path("dryRun")) {
            if (!value.asString("").equals("All")) {
                throw ApiException.badRequest("dryRun: Unsupported value: \"" + value.asString("")
                        + "\": supported values: \"All\"");
            }
            dryRun = true;
        }
        String uid = Json.text(body, "preconditions.uid");
        String resourceVersion = Json.text(body, "preconditions.resourceVersion");
        return new DeleteOptions(grace, propagation, orphan, uid == null || uid.isEmpty() ? null : uid,
                resourceVersion == null || resourceVersion.isEmpty() ? null : resourceVersion, dryRun);
    }

    private static ApiException invalidDeleteOptions(StatusCause cause) {
        return new ApiException(422, "Invalid", "DeleteOptions.meta.k8s.io \"\" is invalid: " + cause.describe(), "",
                "meta.k8s.io", "DeleteOptions", List.of(cause));
    }

    private Mono<ServerResponse> scale(ServerRequest request, ResourcePath path) {
        ResourceType type = path.requireType();
        String name = path.name();
        HttpMethod method = request.method();
        if (method.equals(HttpMethod.GET)) {
            return blocking(() -> Responses.json(200, ScaleSubresource.toScale(storage.get(type, path.namespace(), name))));
        }
        if (method.equals(HttpMethod.PUT)) {
            return withBody(request, bytes -> {
                ObjectNode scale = RequestBodies.decode(contentType(request), bytes);
                RequestBodies.requireKind(scale, type, ScaleSubresource.API_VERSION, ScaleSubresource.KIND);
                requireNameMatch(scale, name);
                WriteContext context = context(request).subresource("scale");
                ObjectNode updated = storage.update(type, path.namespace(), name, UpdateMode.MAIN, dryRun(request),
                        current -> ScaleSubresource.applyScale(current, scale), updates(request, type, "scale"), context);
                return Responses.json(200, ScaleSubresource.toScale(updated), context.warnings());
            });
        }
        if (method.equals(HttpMethod.PATCH)) {
            PatchType patchType = patchType(request);
            return withBody(request, bytes -> {
                WriteContext context = context(request).subresource("scale");
                ObjectNode updated = storage.update(type, path.namespace(), name, UpdateMode.MAIN, dryRun(request), current -> {
                    ObjectNode scale = ScaleSubresource.toScale(current);
                    Json.metadata(scale).remove("resourceVersion");
                    ObjectNode patched = applyPatch(patchType, scale, bytes, V1Scale.class);
                    return ScaleSubresource.applyScale(current, patched);
                }, updates(request, type, "scale"), context);
                return Responses.json(200, ScaleSubresource.toScale(updated), context.warnings());
            });
        }
        return notAllowed();
    }

    private Mono<ServerResponse> bind(ServerRequest request, ResourcePath path, @Nullable String podName, byte[] bytes) {
        ObjectNode binding = RequestBodies.decode(contentType(request), bytes);
        RequestBodies.requireKind(binding, path.requireType(), "v1", "Binding");
        requireNamespaceMatch(binding, path.namespace());
        String name = podName != null ? podName : binding.path("metadata").path("name").asString("");
        if (name.isEmpty()) {
            throw ApiException.badRequest("a Binding needs metadata.name, the name of the pod to bind");
        }
        String node = BindingSubresource.targetNode(binding, name);
        WriteContext context = context(request).subresource("binding");
        storage.update(path.requireType(), path.namespace(), name, UpdateMode.SERVER, dryRun(request),
                pod -> BindingSubresource.bind(pod, binding, node, clock), ManagedFieldsTracker.UNTRACKED, context);
        return Responses.json(201, BindingSubresource.created(), context.warnings());
    }

    /** {@code namespaces/{name}/finalize}: replaces only {@code spec.finalizers}, as the namespace controller does. */
    private Mono<ServerResponse> finalizeNamespace(ServerRequest request, ResourcePath path, byte[] bytes) {
        ResourceType type = path.requireType();
        ObjectNode body = RequestBodies.decode(contentType(request), bytes);
        RequestBodies.requireKind(body, type, type.apiVersion(), type.kind());
        requireNameMatch(body, path.name());
        WriteContext context = context(request).subresource("finalize");
        ObjectNode updated = storage.update(type, null, path.name(), UpdateMode.MAIN, dryRun(request), current -> {
            ObjectNode spec = Json.child(current, "spec");
            if (body.path("spec").has("finalizers")) {
                spec.set("finalizers", body.path("spec").get("finalizers"));
            } else {
                spec.remove("finalizers");
            }
            Json.metadata(current).put("resourceVersion", body.path("metadata").path("resourceVersion").asString(""));
            return current;
        }, ManagedFieldsTracker.UNTRACKED, context);
        return Responses.json(200, updated, context.warnings());
    }

    static @Nullable String contentType(ServerRequest request) {
        return request.headers().firstHeader("Content-Type");
    }
}
