package io.platform.api.admission.podsecurity;

import io.platform.api.admission.AdmissionOrder;
import io.platform.api.admission.AdmissionPlugin;
import io.platform.api.admission.AdmissionRequest;
import io.platform.api.admission.AdmissionRequest.Operation;
import io.platform.api.admission.ObjectLookup;
import io.platform.api.admission.podsecurity.NamespacePolicy.Resolved;
import io.platform.api.admission.podsecurity.PodSecurityChecks.Violation;
import io.platform.api.errors.ApiException;
import io.platform.api.errors.StatusCause;
import io.platform.api.registry.BuiltinResources;
import io.platform.api.registry.ResourceType;
import io.platform.common.golang.GoSyntax;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * As kube-apiserver's PodSecurity plugin, from each namespace's labels {@code pod-security.kubernetes.io/<mode>} and
 * {@code <mode>-version} over the configured defaults ({@link PodSecurityProperties}), evaluated with upstream's
 * versioned checks ({@link PodSecurityEvaluator}), on creates and updates only:
 * <ul>
 *   <li>a pod violating the {@code enforce} level is refused with 403 {@code violates PodSecurity "LEVEL:VERSION":
 *   reason (detail), ...}; pod updates are evaluated only when they change what the checks could see (containers
 *   added or removed, images, ephemeral containers), and {@code status}, {@code binding} and the other read-only or
 *   non-spec subresources never;</li>
 *   <li>a pod or workload template violating the {@code warn} level gets a {@code would violate PodSecurity ...}
 *   warning, and one violating the {@code audit} level the audit annotation
 *   {@code pod-security.kubernetes.io/audit-violations}; evaluated pods are annotated {@code enforce-policy}; workloads
 *   (deployments, replica sets, stateful sets, daemon sets, jobs, cron jobs, replication controllers, pod templates)
 *   are never refused;</li>
 *   <li>exempt users, namespaces and runtime classes pass unevaluated, annotated {@code exempt} with the reason;</li>
 *   <li>namespaces with invalid labels are refused with 422 on create, and on updates that change the problems; an
 *   update that makes the enforce level stricter is answered with warnings naming the namespace's pods that violate
 *   it ({@link ExistingPods}).</li>
 * </ul>
 */
@Component
@Order(AdmissionOrder.POD_SECURITY)
public final class PodSecurity implements AdmissionPlugin {

    private static final String ANNOTATION_PREFIX = NamespacePolicy.LABEL_PREFIX;
    private static final ResourceType NAMESPACES = BuiltinResources.find("", "v1", "namespaces").orElseThrow();
    /** Pod subresources that cannot change what the checks look at, as upstream's ignoredPodSubresources. */
    private static final Set<String> IGNORED_POD_SUBRESOURCES = Set.of("exec", "attach", "binding", "eviction", "log",
            "portforward", "proxy", "status");
    /** Where each workload type keeps its pod template. */
    private static final Map<String, List<String>> TEMPLATES = Map.of(
            "apps/deployments", List.of("spec", "template"),
            "apps/replicasets", List.of("spec", "template"),
            "apps/statefulsets", List.of("spec", "template"),
            "apps/daemonsets", List.of("spec", "template"),
            "batch/jobs", List.of("spec", "template"),
            "batch/cronjobs", List.of("spec", "jobTemplate", "spec", "template"),
            "/replicationcontrollers", List.of("spec", "template"),
            "/podtemplates", List.of("template"));

    private final ObjectLookup lookup;
    private final PodSecurityEvaluator evaluator;
    private final NamespacePolicy defaults;
    private final PodSecurityProperties.Exemptions exemptions;
    private final ExistingPods existingPods;

    @Autowired
    public PodSecurity(ObjectLookup lookup, PodSecurityProperties properties, Clock clock) {
        this(lookup, properties, clock, PodSecurityEvaluator.emulated());
    }

    /** With the checks of another Kubernetes version, for tests of checks newer than the one this server emulates. */
    PodSecurity(ObjectLookup lookup, PodSecurityProperties properties, Clock clock, PodSecurityEvaluator evaluator) {
        this.lookup = lookup;
        this.evaluator = evaluator;
        this.defaults = properties.defaultPolicy();
        this.exemptions = properties.exemptions();
        this.existingPods = new ExistingPods(lookup, evaluator, Set.copyOf(exemptions.runtimeClasses()), clock,
                properties.namespacePodCheckTimeout(), properties.namespaceMaxPodsToCheck());
    }

    @Override
    public String name() {
        return "PodSecurity";
    }

    @Override
    public void validate(AdmissionRequest request) {
        if (request.operation() != Operation.CREATE && request.operation() != Operation.UPDATE) {
            return;
        }
        if (request.is("", "namespaces")) {
            validateNamespace(request);
        } else if (request.is("", "pods")) {
            validatePod(request);
        } else {
            List<String> templatePath = TEMPLATES.get(request.group() + "/" + request.resource());
            if (templatePath != null) {
                validateWorkload(request, templatePath);
            }
        }
    }

    private void validateNamespace(AdmissionRequest request) {
        if (!request.subresource().isEmpty()) {
            return;
        }
        Resolved next = NamespacePolicy.resolve(request.object().path("metadata").path("labels"), defaults);
        ObjectNode oldObject = request.oldObject();
        if (request.operation() == Operation.CREATE || oldObject == null) {
            if (!next.problems().isEmpty()) {
                throw ApiException.invalid(request.type(), request.name(), next.problems());
            }
            return;
        }
        Resolved old = NamespacePolicy.resolve(oldObject.path("metadata").path("labels"), defaults);
        // labels already invalid may stay so, as upstream: only new problems refuse the update
        if (!next.problems().isEmpty() && (old.problems().isEmpty() || !next.problems().equals(old.problems()))) {
            throw ApiException.invalid(request.type(), request.name(), next.problems());
        }
        LevelVersion enforce = next.policy().enforce();
        LevelVersion previous = old.policy().enforce();
        if (enforce.equals(previous) || enforce.level() == PodSecurityLevel.PRIVILEGED
                || enforce.version().equals(previous.version()) && enforce.level().compareTo(previous.level()) <= 0) {
            return;
        }
        if (exemptNamespace(request.name())) {
            String warning = exemptNamespaceWarning(request.name(), next.policy(),
                    request.object().path("metadata").path("labels"));
            if (warning != null) {
                request.warnings().add(warning);
            }
            return;
        }
        request.warnings().addAll(existingPods.warnings(request.name(), enforce));
    }

    /**
     * As upstream's exemptNamespaceWarning: labels setting a non-privileged policy (other than the defaults) on an
     * exempt namespace have no effect, and the update says so.
     */
    private @Nullable String exemptNamespaceWarning(String namespace, NamespacePolicy policy, JsonNode labels) {
        if (policy.fullyPrivileged() || policy.equivalent(defaults)) {
            return null;
        }
        List<String> modes = new ArrayList<>();
        Map<String, LevelVersion> byMode = new LinkedHashMap<>();
        byMode.put("enforce", policy.enforce());
        byMode.put("audit", policy.audit());
        byMode.put("warn", policy.warn());
        byMode.forEach((mode, levelVersion) -> {
            boolean labelled = labels.has(ANNOTATION_PREFIX + mode) || labels.has(ANNOTATION_PREFIX + mode + "-version");
            if (levelVersion.level() != PodSecurityLevel.PRIVILEGED && labelled) {
                modes.add(mode + "=" + levelVersion);
            }
        });
        return "namespace " + GoSyntax.quote(namespace) + " is exempt from Pod Security, and the policy ("
                + String.join(", ", modes) + ") will be ignored";
    }

    /**
     * The policy of the request's namespace; empty when the request is exempt or the namespace does not exist
     * (NamespaceLifecycle answers for that).
     */
    private Optional<Resolved> namespacePolicy(AdmissionRequest request) {
        String namespace = Objects.requireNonNull(request.namespace());
        if (exempt(request, namespace)) {
            return Optional.empty();
        }
        return lookup.get(NAMESPACES, null, namespace)
                .map(ns -> NamespacePolicy.resolve(ns.path("metadata").path("labels"), defaults));
    }

    private void validatePod(AdmissionRequest request) {
        if (IGNORED_POD_SUBRESOURCES.contains(request.subresource())) {
            return;
        }
        Optional<Resolved> policy = namespacePolicy(request);
        if (policy.isEmpty()) {
            return;
        }
        Resolved resolved = policy.get();
        if (resolved.problems().isEmpty() && resolved.policy().fullyPrivileged()) {
            annotate(request, "enforce-policy", LevelVersion.PRIVILEGED_LATEST.toString());
            return;
        }
        ObjectNode old = request.oldObject();
        if (request.operation() == Operation.UPDATE && old != null && !significantUpdate(request.object(), old)) {
            return;
        }
        evaluate(request, resolved, request.object().path("metadata"), request.object().path("spec"), true);
    }

    private void validateWorkload(AdmissionRequest request, List<String> templatePath) {
        if (!request.subresource().isEmpty()) {
            return;
        }
        Optional<Resolved> namespacePolicy = namespacePolicy(request);
        if (namespacePolicy.isEmpty()) {
            return;
        }
        Resolved resolved = namespacePolicy.get();
        NamespacePolicy policy = resolved.policy();
        if (resolved.problems().isEmpty() && policy.warn().level() == PodSecurityLevel.PRIVILEGED
                && policy.audit().level() == PodSecurityLevel.PRIVILEGED) {
            return;
        }
        JsonNode template = request.object();
        for (String field : templatePath) {
            template = template.path(field);
        }
        if (!template.isObject()) {
            return;
        }
        evaluate(request, resolved, template.path("metadata"), template.path("spec"), false);
    }

    /** Whether the namespace or the user is exempt; annotates the request with the reason when so. */
    private boolean exempt(AdmissionRequest request, String namespace) {
        if (exemptNamespace(namespace)) {
            annotate(request, "exempt", "namespace");
            return true;
        }
        String user = request.user().name();
        if (!user.isEmpty() && exemptions.usernames().contains(user)) {
            annotate(request, "exempt", "user");
            return true;
        }
        return false;
    }

    private boolean exemptNamespace(String namespace) {
        return !namespace.isEmpty() && exemptions.namespaces().contains(namespace);
    }

    /**
     * As upstream's EvaluatePod: the enforce level (for pods) refuses, the audit level annotates, the warn level warns
     * (unless the request is refused anyway); one evaluation serves modes at the same level and version.
     */
    private void evaluate(AdmissionRequest request, Resolved resolved, JsonNode metadata, JsonNode spec,
            boolean enforce) {
        String runtimeClass = spec.path("runtimeClassName").asString("");
        if (!runtimeClass.isEmpty() && exemptions.runtimeClasses().contains(runtimeClass)) {
            annotate(request, "exempt", "runtimeClass");
            return;
        }
        NamespacePolicy policy = resolved.policy();
        if (!resolved.problems().isEmpty()) {
            annotate(request, "error", "Failed to parse policy: " + aggregate(resolved.problems()));
        }
        Map<LevelVersion, List<Violation>> results = new HashMap<>();
        @Nullable ApiException refusal = null;
        if (enforce) {
            annotate(request, "enforce-policy", policy.enforce().toString());
            List<Violation> violations = results.computeIfAbsent(policy.enforce(),
                    lv -> evaluator.evaluate(lv, metadata, spec));
            if (!violations.isEmpty()) {
                refusal = ApiException.forbidden(request.type(), request.name(), "violates PodSecurity "
                        + GoSyntax.quote(policy.enforce().toString()) + ": " + PodSecurityEvaluator.describe(violations));
            }
        }
        List<Violation> audited = results.computeIfAbsent(policy.audit(), lv -> evaluator.evaluate(lv, metadata, spec));
        if (!audited.isEmpty()) {
            annotate(request, "audit-violations", wouldViolate(policy.audit(), audited));
        }
        if (refusal != null) {
            throw refusal;
        }
        List<Violation> warned = results.computeIfAbsent(policy.warn(), lv -> evaluator.evaluate(lv, metadata, spec));
        if (!warned.isEmpty()) {
            request.warnings().add(wouldViolate(policy.warn(), warned));
        }
    }

    private static String wouldViolate(LevelVersion policy, List<Violation> violations) {
        return "would violate PodSecurity " + GoSyntax.quote(policy.toString()) + ": "
                + PodSecurityEvaluator.describe(violations);
    }

    /** Problems joined as Go's aggregate error prints them: one alone, several in brackets. */
    private static String aggregate(List<StatusCause> problems) {
        List<String> messages = problems.stream().map(StatusCause::describe).distinct().toList();
        return messages.size() == 1 ? messages.getFirst() : "[" + String.join(", ", messages) + "]";
    }

    private static void annotate(AdmissionRequest request, String key, String value) {
        request.auditAnnotations().put(ANNOTATION_PREFIX + key, value);
    }

    /**
     * As upstream's isSignificantPodUpdate: an update matters when containers or init containers are added or
     * removed, an image changes, or an ephemeral container is added or changes its image; other pod updates
     * (labels, annotations, tolerations, ...) cannot change what the checks see in a pod that was admitted.
     */
    static boolean significantUpdate(JsonNode pod, JsonNode old) {
        for (String list : List.of("containers", "initContainers")) {
            JsonNode now = pod.path("spec").path(list);
            JsonNode before = old.path("spec").path(list);
            if (now.size() != before.size()) {
                return true;
            }
            for (int i = 0; i < now.size(); i++) {
                if (!image(now.get(i)).equals(image(before.get(i)))) {
                    return true;
                }
            }
        }
        for (JsonNode ephemeral : pod.path("spec").path("ephemeralContainers")) {
            @Nullable JsonNode previous = null;
            for (JsonNode candidate : old.path("spec").path("ephemeralContainers")) {
                if (candidate.path("name").asString("").equals(ephemeral.path("name").asString(""))) {
                    previous = candidate;
                    break;
                }
            }
            if (previous == null || !image(ephemeral).equals(image(previous))) {
                return true;
            }
        }
        return false;
    }

    private static String image(JsonNode container) {
        return container.path("image").asString("");
    }
}
