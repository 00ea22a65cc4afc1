package io.platform.api.admission.resourcequota;

import io.platform.api.admission.AdmissionOrder;
import io.platform.api.admission.AdmissionPlugin;
import io.platform.api.admission.AdmissionProperties;
import io.platform.api.admission.AdmissionRequest;
import io.platform.api.admission.AdmissionRequest.Operation;
import io.platform.api.admission.LiveLookups;
import io.platform.api.admission.ObjectLookup;
import io.platform.api.admission.Quantities;
import io.platform.api.errors.ApiException;
import io.platform.api.json.Json;
import io.platform.api.registry.BuiltinResources;
import io.platform.api.registry.ResourceType;
import io.platform.api.resource.ManagedFieldsTracker;
import io.platform.api.resource.ResourceStorage;
import io.platform.api.resource.UpdateMode;
import io.platform.api.resource.WriteContext;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * As kube-apiserver's ResourceQuota plugin (validating, last): a create in a namespace with ResourceQuotas is charged
 * to every quota whose {@code hard} names what it uses; past a {@code hard} limit it is refused with 403
 * {@code exceeded quota: NAME, requested: ..., used: ..., limited: ...}, and a pod that states no request (or limit)
 * for a compute resource a quota limits is refused with {@code failed quota: NAME: must specify ...}. The charge is
 * written to the quota's {@code status.used} with compare-and-swap before the object is stored, re-read and retried on
 * conflict, so concurrent creates never overrun a quota. Dry runs are checked but not charged. Quotas are read from
 * the watch cache, and from the store when the cache has none in the namespace (kept for the live-lookup TTL), as
 * upstream's quota accessor.
 * <p>
 * There is no quota controller yet: a quota's status is computed when it is created or its spec changes, and usage
 * is recomputed from the namespace's objects after deletes and after pods end (upstream's controller does both
 * asynchronously).
 */
@Component
@Order(AdmissionOrder.RESOURCE_QUOTA)
public final class ResourceQuotaAdmission implements AdmissionPlugin {

    private static final Logger log = LoggerFactory.getLogger(ResourceQuotaAdmission.class);
    private static final ResourceType QUOTAS = BuiltinResources.find("", "v1", "resourcequotas").orElseThrow();
    private static final int ATTEMPTS = 10;

    private final ObjectLookup lookup;
    private final LiveLookups quotas;
    private final ResourceStorage storage;

    public ResourceQuotaAdmission(ObjectLookup lookup, ResourceStorage storage, Clock clock,
            AdmissionProperties properties) {
        this.lookup = lookup;
        this.quotas = new LiveLookups(lookup, clock, properties.liveLookupTtl());
        this.storage = storage;
    }

    @Override
    public String name() {
        return "ResourceQuota";
    }

    /** A quota created or changed gets its status at once: hard from the spec, used counted now. */
    @Override
    public void mutate(AdmissionRequest request) {
        String namespace = request.namespace();
        if (namespace == null || !request.isMain("", "resourcequotas") || request.operation() == Operation.DELETE) {
            return;
        }
        ObjectNode quota = request.object();
        JsonNode old = request.oldObject();
        if (old != null && old.path("spec").equals(quota.path("spec")) && quota.path("status").has("used")) {
            return;
        }
        setStatus(quota, namespace);
    }

    @Override
    public void validate(AdmissionRequest request) {
        String namespace = request.namespace();
        if (namespace == null || request.operation() != Operation.CREATE || !request.subresource().isEmpty()
                || request.type().createOnly()) {
            return;
        }
        List<ObjectNode> current = quotas.list(QUOTAS, namespace);
        for (int attempt = 1; ; attempt++) {
            Map<String, ObjectNode> charged = check(request, current, namespace);
            if (charged.isEmpty() || request.dryRun()) {
                return;
            }
            try {
                charged.forEach((name, quota) -> storage.update(QUOTAS, namespace, name, UpdateMode.STATUS, false,
                        stored -> quota, ManagedFieldsTracker.UNTRACKED, WriteContext.system()));
                return;
            } catch (ApiException e) {
                if (e.code() != 409 && e.code() != 404 || attempt >= ATTEMPTS) {
                    throw e;
                }
                // another write charged (or removed) the quota first: check again against what is stored now
                current = lookup.listLive(QUOTAS, namespace);
            }
        }
    }

    /** The quotas the object is charged to, each with its new status (resourceVersion kept as the CAS guard). */
    private Map<String, ObjectNode> check(AdmissionRequest request, List<ObjectNode> quotas, String namespace) {
        Map<String, ObjectNode> charged = new LinkedHashMap<>();
        for (ObjectNode stored : quotas) {
            if (!QuotaScopes.matches(stored, request.type(), request.object())) {
                continue;
            }
            String quotaName = stored.path("metadata").path("name").asString("");
            JsonNode hard = stored.path("spec").path("hard");
            Map<String, BigDecimal> requested = new TreeMap<>();
            for (String resource : hard.propertyNames()) {
                BigDecimal usage = QuotaUsage.of(request.type(), request.object(), resource);
                if (usage != null) {
                    requested.put(resource, usage);
                }
            }
            if (requested.isEmpty()) {
                continue;
            }
            if (request.is("", "pods")) {
                SortedMap<String, SortedSet<String>> missing = QuotaUsage.missingCompute(request.object(),
                        requested.keySet());
                if (!missing.isEmpty()) {
                    List<String> parts = new ArrayList<>();
                    missing.forEach((resource, containers) -> parts.add(resource + " for: " + String.join(",", containers)));
                    throw ApiException.forbidden(request.type(), request.name(),
                            "failed quota: " + quotaName + ": must specify " + String.join("; ", parts));
                }
            }
            ObjectNode quota = stored.deepCopy();
            if (!hasUsage(quota, requested.keySet())) {
                setStatus(quota, namespace);
            }
            JsonNode used = quota.path("status").path("used").deepCopy();
            Set<String> exceeded = new TreeSet<>();
            ObjectNode nextUsed = Json.child(Json.child(quota, "status"), "used");
            for (Map.Entry<String, BigDecimal> entry : requested.entrySet()) {
                String resource = entry.getKey();
                BigDecimal next = Quantities.parse(used.path(resource)).add(entry.getValue());
                if (entry.getValue().signum() > 0 && next.compareTo(Quantities.parse(hard.path(resource))) > 0) {
                    exceeded.add(resource);
                }
                nextUsed.put(resource, Quantities.format(next, Quantities.text(hard.path(resource))));
            }
            if (!exceeded.isEmpty()) {
                throw ApiException.forbidden(request.type(), request.name(), "exceeded quota: " + quotaName
                        + ", requested: " + print(exceeded, requested, hard)
                        + ", used: " + print(exceeded, used) + ", limited: " + print(exceeded, hard));
            }
            charged.put(quotaName, quota);
        }
        return charged;
    }

    private static boolean hasUsage(JsonNode quota, Set<String> resources) {
        JsonNode used = quota.path("status").path("used");
        return resources.stream().allMatch(used::has) && quota.path("status").path("hard").equals(quota.path("spec").path("hard"));
    }

    /** {@code a=1,b=2}, sorted by name, as upstream's prettyPrint. */
    private static String print(Set<String> names, Map<String, BigDecimal> amounts, JsonNode like) {
        List<String> parts = new ArrayList<>();
        names.forEach(name -> parts.add(name + "=" + Quantities.format(amounts.get(name), Quantities.text(like.path(name)))));
        return String.join(",", parts);
    }

    private static String print(Set<String> names, JsonNode quantities) {
        List<String> parts = new ArrayList<>();
        names.forEach(name -> parts.add(name + "=" + (quantities.has(name) ? Quantities.text(quantities.path(name)) : "0")));
        return String.join(",", parts);
    }

    /** Sets {@code status.hard} from the spec and {@code status.used} counted from the namespace's objects now. */
    private void setStatus(ObjectNode quota, String namespace) {
        JsonNode hard = quota.path("spec").path("hard");
        Map<String, BigDecimal> used = new TreeMap<>();
        hard.propertyNames().forEach(resource -> used.put(resource, BigDecimal.ZERO));
        for (ResourceType type : QuotaUsage.typesFor(hard.propertyNames())) {
            for (ObjectNode object : lookup.listLive(type, namespace)) {
                if (!QuotaScopes.matches(quota, type, object)) {
                    continue;
                }
                for (String resource : hard.propertyNames()) {
                    BigDecimal usage = QuotaUsage.of(type, object, resource);
                    if (usage != null) {
                        used.merge(resource, usage, BigDecimal::add);
                    }
                }
            }
        }
        ObjectNode status = Json.child(quota, "status");
        status.set("hard", hard.deepCopy());
        ObjectNode usedNode = status.putObject("used");
        used.forEach((resource, amount) -> usedNode.put(resource, Quantities.format(amount, Quantities.text(hard.path(resource)))));
    }

    /**
     * After an object is deleted, or a pod ends, the quotas that count its type are recounted (what upstream's quota
     * controller does on its next sync); a quota created here counts at once.
     */
    @Override
    public void committed(AdmissionRequest request, ObjectNode stored) {
        String namespace = request.namespace();
        if (namespace == null || !request.subresource().isEmpty() && !request.subresource().equals("status")) {
            return;
        }
        if (request.creates("", "resourcequotas")) {
            quotas.forget(QUOTAS, namespace);
        }
        boolean released = request.operation() == Operation.DELETE
                || request.is("", "pods") && request.operation() == Operation.UPDATE
                && (QuotaUsage.terminal(stored) || stored.path("metadata").hasNonNull("deletionTimestamp"))
                && request.oldObject() != null && !QuotaUsage.terminal(request.oldObject());
        if (!released) {
            return;
        }
        for (ObjectNode quota : quotas.list(QUOTAS, namespace)) {
            if (!QuotaUsage.typesFor(quota.path("spec").path("hard").propertyNames()).contains(request.type())) {
                continue;
            }
            String name = quota.path("metadata").path("name").asString("");
            try {
                storage.update(QUOTAS, namespace, name, UpdateMode.STATUS, false, current -> {
                    Json.metadata(current).remove("resourceVersion");
                    setStatus(current, namespace);
                    return current;
                }, ManagedFieldsTracker.UNTRACKED, WriteContext.system());
            } catch (ApiException e) {
                log.warn("could not recount quota {}/{}: {}", namespace, name, e.getMessage());
            }
        }
    }
}
