package io.platform.api.admission.podsecurity;

import io.platform.api.admission.AdmissionOrder;
import io.platform.api.admission.AdmissionPlugin;
import io.platform.api.admission.AdmissionRequest;
import io.platform.api.admission.AdmissionRequest.Operation;
import io.platform.api.admission.ObjectLookup;
import io.platform.api.admission.podsecurity.PodSecurityChecks.Violation;
import io.platform.api.errors.ApiException;
import io.platform.api.registry.BuiltinResources;
import io.platform.api.registry.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * As kube-apiserver's PodSecurity plugin, from the namespace's labels {@code pod-security.kubernetes.io/enforce},
 * {@code warn} and {@code audit} (each {@code privileged}, {@code baseline} or {@code restricted}, with an optional
 * {@code -version} that only names the level in messages: the checks are always the latest's; an unknown enforce
 * level enforces {@code restricted}, as upstream fails closed). A pod created (or given ephemeral containers) that
 * violates the enforce level is refused with 403 {@code violates PodSecurity "LEVEL:VERSION": reason (detail), ...};
 * one that violates the warn level is admitted with a {@code would violate PodSecurity ...} warning. Workload
 * templates (deployments, replica sets, stateful sets, daemon sets, jobs, cron jobs, replication controllers, pod
 * templates) only ever get warnings, for the enforce and the warn level, as upstream. The audit level has no audit
 * log to annotate yet. No exemptions are configured.
 */
@Component
@Order(AdmissionOrder.POD_SECURITY)
public final class PodSecurity implements AdmissionPlugin {

    static final String LABEL_PREFIX = "pod-security.kubernetes.io/";
    private static final Pattern VERSION = Pattern.compile("latest|v1\\.\\d+");
    private static final ResourceType NAMESPACES = BuiltinResources.find("", "v1", "namespaces").orElseThrow();
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

    /** A namespace's policy for one mode: the level and the version it is named with. */
    record Policy(PodSecurityLevel level, String version) {
        String describe() {
            return level.label() + ":" + version;
        }
    }

    private final ObjectLookup lookup;

    public PodSecurity(ObjectLookup lookup) {
        this.lookup = lookup;
    }

    @Override
    public String name() {
        return "PodSecurity";
    }

    @Override
    public void validate(AdmissionRequest request) {
        String namespace = request.namespace();
        if (namespace == null || request.operation() == Operation.DELETE) {
            return;
        }
        boolean pod = request.is("", "pods") && (request.subresource().isEmpty() && request.operation() == Operation.CREATE
                || request.subresource().equals("ephemeralcontainers"));
        List<String> templatePath = request.subresource().isEmpty()
                ? TEMPLATES.get(request.group() + "/" + request.resource()) : null;
        if (!pod && templatePath == null) {
            return;
        }
        Optional<ObjectNode> ns = lookup.get(NAMESPACES, null, namespace);
        if (ns.isEmpty()) {
            return;
        }
        JsonNode labels = ns.get().path("metadata").path("labels");
        Policy enforce = policy(labels, "enforce", PodSecurityLevel.RESTRICTED);
        Policy warn = policy(labels, "warn", PodSecurityLevel.RESTRICTED);
        if (enforce.level() == PodSecurityLevel.PRIVILEGED && warn.level() == PodSecurityLevel.PRIVILEGED) {
            return;
        }
        JsonNode metadata;
        JsonNode spec;
        if (pod) {
            metadata = request.object().path("metadata");
            spec = request.object().path("spec");
        } else {
            JsonNode template = request.object();
            for (String field : templatePath) {
                template = template.path(field);
            }
            if (!template.isObject()) {
                return;
            }
            metadata = template.path("metadata");
            spec = template.path("spec");
        }
        List<Violation> enforced = PodSecurityChecks.evaluate(enforce.level(), metadata, spec);
        if (!enforced.isEmpty()) {
            if (pod) {
                throw ApiException.forbidden(request.type(), request.name(),
                        "violates PodSecurity \"" + enforce.describe() + "\": " + describe(enforced));
            }
            warn(request, enforce, enforced);
        }
        if (!warn.equals(enforce) || enforced.isEmpty()) {
            List<Violation> warned = warn.equals(enforce) ? enforced : PodSecurityChecks.evaluate(warn.level(), metadata, spec);
            if (!warned.isEmpty()) {
                warn(request, warn, warned);
            }
        }
    }

    private static void warn(AdmissionRequest request, Policy policy, List<Violation> violations) {
        String warning = "would violate PodSecurity \"" + policy.describe() + "\": " + describe(violations);
        if (!request.warnings().contains(warning)) {
            request.warnings().add(warning);
        }
    }

    private static String describe(List<Violation> violations) {
        List<String> parts = new ArrayList<>();
        violations.forEach(v -> parts.add(v.describe()));
        return String.join(", ", parts);
    }

    /** The mode's policy from the labels: privileged when unset, {@code invalid} (an unknown level) as given. */
    static Policy policy(JsonNode labels, String mode, PodSecurityLevel invalid) {
        String value = labels.path(LABEL_PREFIX + mode).asString("");
        String version = labels.path(LABEL_PREFIX + mode + "-version").asString("latest");
        if (!VERSION.matcher(version).matches()) {
            version = "latest";
        }
        if (value.isEmpty()) {
            return new Policy(PodSecurityLevel.PRIVILEGED, version);
        }
        return new Policy(PodSecurityLevel.parse(value).orElse(invalid), version);
    }
}
