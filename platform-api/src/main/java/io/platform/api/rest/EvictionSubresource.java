package io.platform.api.rest;

import io.platform.api.admission.AdmissionRequest;
import io.platform.api.errors.ApiException;
import io.platform.api.errors.StatusCause;
import io.platform.api.json.Json;
import io.platform.api.registry.BuiltinResources;
import io.platform.api.registry.ResourceType;
import io.platform.api.resource.DeleteOptions;
import io.platform.api.resource.ListOptions;
import io.platform.api.resource.ResourceStorage;
import io.platform.api.resource.UpdateMode;
import io.platform.api.resource.WriteContext;
import io.platform.api.selection.LabelSelector;
import io.platform.api.selection.SelectorException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST pods/{name}/eviction} with a policy/v1 (or v1beta1) Eviction, as kube-apiserver's eviction
 * subresource: a pod guarded by a PodDisruptionBudget is deleted only when the budget's
 * {@code status.disruptionsAllowed} can be decremented (optimistically, on the budget's status), otherwise
 * the answer is 429 TooManyRequests; pods that cause no further disruption (pending, terminal, already
 * deleting, or unready ones the budget lets go) are deleted without spending budget. The deleted pod gets
 * a {@code DisruptionTarget} condition first. Success is 201 with a Success Status.
 */
final class EvictionSubresource {

    private static final List<String> API_VERSIONS = List.of("policy/v1", "policy/v1beta1");
    private static final ResourceType BUDGETS = BuiltinResources.find("policy", "v1", "poddisruptionbudgets").orElseThrow();
    /** As upstream's EvictionsRetry: conflicts with other writers of the pod are retried this often. */
    private static final int ATTEMPTS = 20;
    /** As upstream's MaxDisruptedPodSize: evictions the disruption controller has not yet confirmed. */
    private static final int MAX_DISRUPTED_PODS = 2000;
    private static final String BUDGET_VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget.";

    private EvictionSubresource() {}

    static Mono<ServerResponse> evict(ServerRequest request, ResourceStorage storage, Clock clock, ResourcePath path,
            byte[] bytes, WriteContext context) {
        ResourceType pods = path.requireType();
        ObjectNode eviction = RequestBodies.decode(ResourceHandler.contentType(request), bytes);
        String apiVersion = eviction.path("apiVersion").asString("policy/v1");
        RequestBodies.requireKind(eviction, pods, API_VERSIONS.contains(apiVersion) ? apiVersion : "policy/v1", "Eviction");
        String name = eviction.path("metadata").path("name").asString("");
        if (!name.equals(path.name())) {
            throw ApiException.badRequest("name in URL does not match name in Eviction object");
        }
        String namespace = eviction.path("metadata").path("namespace").asString("");
        if (!namespace.isEmpty() && !namespace.equals(path.namespace())) {
            throw ApiException.badRequest("namespace in URL does not match namespace in Eviction object");
        }
        DeleteOptions options = ResourceHandler.deleteOptions(eviction.path("deleteOptions"));
        boolean dryRun = options.dryRun() || ResourceHandler.dryRun(request);
        String podNamespace = path.namespace();
        if (podNamespace == null) {
            throw ApiException.noSuchPath();
        }
        // the eviction is admitted as the requester's create of pods/eviction; the writes it makes are the server's
        storage.admission().admit(new AdmissionRequest(AdmissionRequest.Operation.CREATE, pods, context.subresource(),
                podNamespace, name, eviction, null, context.user(), dryRun, context.warnings(), context.auditAnnotations()));
        return new Eviction(storage, clock, pods, podNamespace, name, options, dryRun).evict();
    }

    private record Eviction(ResourceStorage storage, Clock clock, ResourceType pods, String namespace, String name,
            DeleteOptions options, boolean dryRun) {

        Mono<ServerResponse> evict() {
            ObjectNode pod;
            for (int attempt = 1; ; attempt++) {
                pod = storage.get(pods, namespace, name);
                if (!canIgnoreBudget(pod)) {
                    break;
                }
                // a pod that is pending, terminal or already deleting causes no further disruption
                DeleteOptions deleteOptions = options;
                if (enforcesResourceVersion(pod) && options.preconditionResourceVersion() == null) {
                    // so the pod cannot become ready (and guarded) between the read and the delete
                    deleteOptions = options.withPreconditionResourceVersion(resourceVersion(pod));
                }
                try {
                    markAndDelete(deleteOptions);
                    return success();
                } catch (ApiException e) {
                    if (e.code() != 409 || options.preconditionResourceVersion() != null || attempt >= ATTEMPTS) {
                        throw e;
                    }
                }
            }
            List<ObjectNode> budgets = budgetsOf(pod);
            if (budgets.size() > 1) {
                ObjectNode status = Json.object();
                status.put("kind", "Status").put("apiVersion", "v1");
                status.set("metadata", Json.object());
                status.put("status", "Failure");
                status.put("message", "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
                status.put("code", 500);
                return Responses.json(500, status);
            }
            boolean unhealthyPodRelease = false;
            String budgetName = null;
            if (budgets.size() == 1) {
                ObjectNode budget = budgets.getFirst();
                budgetName = budget.path("metadata").path("name").asString("");
                unhealthyPodRelease = !isReady(pod) && releasesUnhealthyPod(budget);
                if (!unhealthyPodRelease) {
                    decrement(budgetName);
                }
            }
            DeleteOptions deleteOptions = options;
            if (unhealthyPodRelease) {
                // the pod must not have become ready since it was judged unhealthy
                deleteOptions = options.withPreconditionResourceVersion(resourceVersion(pod));
            }
            try {
                markAndDelete(deleteOptions);
            } catch (ApiException e) {
                if (e.code() == 409 && unhealthyPodRelease && options.preconditionResourceVersion() == null) {
                    throw tooManyRequests("The disruption budget " + budgetName + " is still being processed by the server.");
                }
                throw e;
            }
            return success();
        }

        /** Terminal, pending and already deleting pods, as upstream's canIgnorePDB. */
        private static boolean canIgnoreBudget(JsonNode pod) {
            String phase = pod.path("status").path("phase").asString("");
            return phase.equals("Succeeded") || phase.equals("Failed") || phase.equals("Pending")
                    || pod.path("metadata").hasNonNull("deletionTimestamp");
        }

        private static boolean enforcesResourceVersion(JsonNode pod) {
            String phase = pod.path("status").path("phase").asString("");
            return !(phase.equals("Succeeded") || phase.equals("Failed") || pod.path("metadata").hasNonNull("deletionTimestamp"));
        }

        /**
         * An unready pod does not count as healthy: the budget lets it go without spending a disruption when its
         * policy is {@code AlwaysAllow}, or (the default {@code IfHealthyBudget}) while the application has the
         * healthy pods it needs.
         */
        private static boolean releasesUnhealthyPod(JsonNode budget) {
            if (budget.path("spec").path("unhealthyPodEvictionPolicy").asString("").equals("AlwaysAllow")) {
                return true;
            }
            long desired = budget.path("status").path("desiredHealthy").asLong(0);
            return budget.path("status").path("currentHealthy").asLong(0) >= desired && desired > 0;
        }

        private static boolean isReady(JsonNode pod) {
            for (JsonNode condition : pod.path("status").path("conditions")) {
                if (condition.path("type").asString("").equals("Ready")) {
                    return condition.path("status").asString("").equals("True");
                }
            }
            return false;
        }

        /** Budgets of the pod's namespace whose selector matches it; a budget without a selector matches nothing. */
        private List<ObjectNode> budgetsOf(JsonNode pod) {
            List<ObjectNode> matching = new ArrayList<>();
            for (ObjectNode budget : storage.list(BUDGETS, namespace, ListOptions.all()).items()) {
                JsonNode selector = budget.path("spec").path("selector");
                if (!selector.isObject()) {
                    continue;
                }
                try {
                    if (LabelSelector.fromObject(selector).matchesObject(pod)) {
                        matching.add(budget);
                    }
                } catch (SelectorException e) {
                    // an invalid selector matches no pod, as upstream
                }
            }
            return matching;
        }

        /**
         * Spends one disruption of the budget with an optimistic update of its status, re-reading it on conflicts,
         * and records the pod in {@code disruptedPods} for the disruption controller, as upstream's checkAndDecrement.
         */
        private void decrement(String budgetName) {
            storage.update(BUDGETS, namespace, budgetName, UpdateMode.STATUS, dryRun, budget -> {
                JsonNode status = budget.path("status");
                if (status.path("observedGeneration").asLong(0) < budget.path("metadata").path("generation").asLong(0)) {
                    throw tooManyRequests("The disruption budget " + budgetName + " is still being processed by the server.");
                }
                long allowed = status.path("disruptionsAllowed").asLong(0);
                if (allowed < 0) {
                    throw budgetForbidden(budgetName, "pdb disruptions allowed is negative");
                }
                if (status.path("disruptedPods").size() > MAX_DISRUPTED_PODS) {
                    throw budgetForbidden(budgetName, "DisruptedPods map too big - too many evictions not confirmed by PDB controller");
                }
                if (allowed == 0) {
                    throw tooManyRequests("The disruption budget " + budgetName + " needs "
                            + status.path("desiredHealthy").asLong(0) + " healthy pods and has "
                            + status.path("currentHealthy").asLong(0) + " currently");
                }
                Json.metadata(budget).remove("resourceVersion");
                ObjectNode nextStatus = Json.child(budget, "status");
                nextStatus.put("disruptionsAllowed", allowed - 1);
                String now = timestamp(clock.instant());
                if (allowed - 1 == 0) {
                    setCondition(nextStatus, "DisruptionAllowed", "False", "InsufficientPods", "", now,
                            status.path("observedGeneration").asLong(0));
                }
                Json.child(nextStatus, "disruptedPods").put(name, now);
                return budget;
            });
        }

        /** Adds the DisruptionTarget condition (checking the delete preconditions against the latest pod), then deletes. */
        private void markAndDelete(DeleteOptions deleteOptions) {
            DeleteOptions effective = deleteOptions;
            if (!dryRun) {
                ObjectNode updated = storage.update(pods, namespace, name, UpdateMode.STATUS, false, latest -> {
                    checkPreconditions(latest, deleteOptions);
                    Json.metadata(latest).remove("resourceVersion");
                    setCondition(Json.child(latest, "status"), "DisruptionTarget", "True", "EvictionByEvictionAPI",
                            "Eviction API: evicting", timestamp(clock.instant()), null);
                    return latest;
                });
                if (deleteOptions.preconditionResourceVersion() != null) {
                    // the condition was our own write: the precondition now names its revision
                    effective = deleteOptions.withPreconditionResourceVersion(resourceVersion(updated));
                }
            }
            storage.delete(pods, namespace, name, effective, dryRun);
        }

        private void checkPreconditions(JsonNode latest, DeleteOptions deleteOptions) {
            String uid = latest.path("metadata").path("uid").asString("");
            if (deleteOptions.preconditionUid() != null && !deleteOptions.preconditionUid().equals(uid)) {
                throw podConflict("the UID in the precondition (" + deleteOptions.preconditionUid()
                        + ") does not match the UID in record (" + uid + "). The object might have been deleted and then recreated");
            }
            String resourceVersion = resourceVersion(latest);
            if (deleteOptions.preconditionResourceVersion() != null
                    && !deleteOptions.preconditionResourceVersion().equals(resourceVersion)) {
                throw podConflict("the ResourceVersion in the precondition (" + deleteOptions.preconditionResourceVersion()
                        + ") does not match the ResourceVersion in record (" + resourceVersion + "). The object might have been modified");
            }
        }

        private ApiException podConflict(String detail) {
            return new ApiException(409, "Conflict", "Operation cannot be fulfilled on Pod \"" + name + "\": " + detail,
                    name, "", "Pod", List.of());
        }
    }

    /** Sets a condition as upstream's condition helpers: the transition time changes only with the status. */
    private static void setCondition(ObjectNode status, String type, String value, String reason, String message,
            String now, @Nullable Long observedGeneration) {
        ArrayNode conditions = status.path("conditions").isArray() ? (ArrayNode) status.get("conditions") : status.putArray("conditions");
        ObjectNode condition = null;
        for (JsonNode existing : conditions) {
            if (existing.path("type").asString("").equals(type)) {
                condition = (ObjectNode) existing;
            }
        }
        if (condition == null) {
            condition = conditions.addObject().put("type", type);
        }
        if (!condition.path("status").asString("").equals(value) || !condition.hasNonNull("lastTransitionTime")) {
            condition.put("lastTransitionTime", now);
        }
        condition.put("status", value).put("reason", reason).put("message", message);
        if (observedGeneration != null) {
            condition.put("observedGeneration", observedGeneration);
        }
    }

    private static ApiException tooManyRequests(String cause) {
        return new ApiException(429, "TooManyRequests", BUDGET_VIOLATION, null, null, null,
                List.of(new StatusCause("DisruptionBudget", "", cause)));
    }

    private static ApiException budgetForbidden(String budgetName, String detail) {
        return new ApiException(403, "Forbidden", "poddisruptionbudget.policy \"" + budgetName + "\" is forbidden: " + detail,
                budgetName, "policy", "poddisruptionbudget", List.of());
    }

    private static String resourceVersion(JsonNode object) {
        return object.path("metadata").path("resourceVersion").asString("");
    }

    private static String timestamp(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static Mono<ServerResponse> success() {
        ObjectNode status = Json.object();
        status.put("kind", "Status").put("apiVersion", "v1");
        status.set("metadata", Json.object());
        status.put("status", "Success");
        status.put("code", 201);
        return Responses.json(201, status);
    }
}
