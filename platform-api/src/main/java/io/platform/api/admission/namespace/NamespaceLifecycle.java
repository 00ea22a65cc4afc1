package io.platform.api.admission.namespace;

import io.platform.api.admission.AdmissionOrder;
import io.platform.api.admission.AdmissionPlugin;
import io.platform.api.admission.AdmissionProperties;
import io.platform.api.admission.AdmissionRequest;
import io.platform.api.admission.AdmissionRequest.Operation;
import io.platform.api.admission.ObjectLookup;
import io.platform.api.errors.ApiException;
import io.platform.api.errors.StatusCause;
import io.platform.api.registry.BuiltinResources;
import io.platform.api.registry.ResourceType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * As kube-apiserver's NamespaceLifecycle: a create (or any write but a delete) in a namespace that does not exist is
 * 404, a create in a terminating namespace 403, and {@code default}, {@code kube-system} and {@code kube-public} may
 * not be deleted. Namespaces are read from the watch cache, with upstream's safeguards: a live store read when the
 * cache does not have the namespace, and when this server marked it for deletion within the force-live-lookup TTL
 * (the cache may not show the mark yet). Checked in the mutating phase, first of all plugins, so a pod in a missing
 * namespace is a 404 before the ServiceAccount plugin looks for its account.
 */
@Component
@Order(AdmissionOrder.NAMESPACE_LIFECYCLE)
public final class NamespaceLifecycle implements AdmissionPlugin {

    static final Set<String> IMMORTAL = Set.of("default", "kube-system", "kube-public");
    private static final ResourceType NAMESPACES = BuiltinResources.find("", "v1", "namespaces").orElseThrow();

    private final ObjectLookup lookup;
    private final Clock clock;
    private final Duration forceLiveLookupTtl;
    private final Map<String, Instant> markedForDeletion = new ConcurrentHashMap<>();

    public NamespaceLifecycle(ObjectLookup lookup, Clock clock, AdmissionProperties properties) {
        this.lookup = lookup;
        this.clock = clock;
        this.forceLiveLookupTtl = properties.namespaceForceLiveLookupTtl();
    }

    @Override
    public String name() {
        return "NamespaceLifecycle";
    }

    @Override
    public void mutate(AdmissionRequest request) {
        if (request.isMain("", "namespaces")) {
            if (request.operation() == Operation.DELETE) {
                if (IMMORTAL.contains(request.name())) {
                    throw ApiException.forbidden(request.type(), request.name(), "this namespace may not be deleted");
                }
                Instant now = clock.instant();
                markedForDeletion.values().removeIf(now::isAfter);
                markedForDeletion.put(request.name(), now.plus(forceLiveLookupTtl));
            }
            return;
        }
        String namespace = request.namespace();
        if (namespace == null || request.operation() == Operation.DELETE || request.type().createOnly()) {
            return;
        }
        JsonNode ns = namespace(namespace).orElseThrow(() -> ApiException.notFound(NAMESPACES, namespace));
        if (request.operation() == Operation.CREATE && terminating(ns)) {
            throw new ApiException(403, "Forbidden", request.type().qualifiedPlural() + " \"" + request.name()
                    + "\" is forbidden: unable to create new content in namespace " + namespace
                    + " because it is being terminated", request.name(), request.group(), request.resource(),
                    List.of(new StatusCause("NamespaceTerminating", "metadata.namespace",
                            "namespace " + namespace + " is being terminated")));
        }
    }

    /** From the cache, unless absent there or marked for deletion here a moment ago (then from the store). */
    private Optional<ObjectNode> namespace(String name) {
        Optional<ObjectNode> cached = lookup.cached(NAMESPACES, null, name);
        if (cached.isPresent() && !(recentlyMarked(name) && !terminating(cached.get()))) {
            return cached;
        }
        return lookup.live(NAMESPACES, null, name);
    }

    private boolean recentlyMarked(String name) {
        Instant until = markedForDeletion.get(name);
        if (until == null) {
            return false;
        }
        if (clock.instant().isAfter(until)) {
            markedForDeletion.remove(name, until);
            return false;
        }
        return true;
    }

    private static boolean terminating(JsonNode namespace) {
        return namespace.path("metadata").hasNonNull("deletionTimestamp")
                || "Terminating".equals(namespace.path("status").path("phase").asString(""));
    }
}
