package io.platform.api.admission.podsecurity;

import io.platform.api.admission.ObjectLookup;
import io.platform.api.admission.podsecurity.PodSecurityChecks.Violation;
import io.platform.api.registry.BuiltinResources;
import io.platform.api.registry.ResourceType;
import io.platform.common.golang.GoSyntax;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A namespace's pods checked against the enforce level a label update is about to set, as upstream's
 * EvaluatePodsInNamespace: the update is not refused, it is answered with warnings naming the pods the level would
 * refuse (one line per distinct set of reasons, under the lexically first pod's name with how many others share it).
 * Pods of exempt runtime classes are skipped; one pod per controller is checked first, so many replicas do not use up
 * the pod limit or the time limit.
 */
final class ExistingPods {

    private static final Logger log = LoggerFactory.getLogger(ExistingPods.class);
    private static final ResourceType PODS = BuiltinResources.find("", "v1", "pods").orElseThrow();

    private final ObjectLookup lookup;
    private final PodSecurityEvaluator evaluator;
    private final Set<String> exemptRuntimeClasses;
    private final Clock clock;
    private final Duration timeout;
    private final int maxPods;

    ExistingPods(ObjectLookup lookup, PodSecurityEvaluator evaluator, Set<String> exemptRuntimeClasses, Clock clock,
            Duration timeout, int maxPods) {
        this.lookup = lookup;
        this.evaluator = evaluator;
        this.exemptRuntimeClasses = Set.copyOf(exemptRuntimeClasses);
        this.clock = clock;
        this.timeout = timeout;
        this.maxPods = maxPods;
    }

    /** The pods sharing one set of reasons: the lexically first one's name, and how many there are. */
    private static final class Sharing {
        String first;
        int count;

        Sharing(String first) {
            this.first = first;
        }
    }

    /** The warnings for setting {@code enforce} on {@code namespace}; empty when every pod passes it. */
    List<String> warnings(String namespace, LevelVersion enforce) {
        Instant deadline = clock.instant().plus(timeout);
        List<ObjectNode> pods;
        try {
            pods = prioritized(lookup.list(PODS, namespace));
        } catch (RuntimeException e) {
            log.warn("PodSecurity could not list the pods of namespace {}: {}", namespace, e.toString());
            return List.of("failed to list pods while checking new PodSecurity enforce level");
        }
        int total = pods.size();
        List<ObjectNode> checking = pods.size() > maxPods ? pods.subList(0, maxPods) : pods;
        int checked = checking.size();
        Map<String, Sharing> byReasons = new LinkedHashMap<>();
        for (int i = 0; i < checking.size(); i++) {
            JsonNode pod = checking.get(i);
            List<Violation> violations = evaluator.evaluate(enforce, pod.path("metadata"), pod.path("spec"));
            if (!violations.isEmpty()) {
                String name = pod.path("metadata").path("name").asString("");
                Sharing sharing = byReasons.computeIfAbsent(PodSecurityEvaluator.reasons(violations),
                        reasons -> new Sharing(name));
                if (name.compareTo(sharing.first) < 0) {
                    sharing.first = name;
                }
                sharing.count++;
            }
            if (!clock.instant().isBefore(deadline)) {
                checked = i + 1;
                break;
            }
        }
        List<String> warnings = new ArrayList<>();
        if (checked < total) {
            warnings.add("new PodSecurity enforce level only checked against the first " + checked + " of " + total
                    + " existing pods");
        }
        if (!byReasons.isEmpty()) {
            warnings.add("existing pods in namespace " + GoSyntax.quote(namespace)
                    + " violate the new PodSecurity enforce level " + GoSyntax.quote(enforce.toString()));
        }
        List<String> perPod = new ArrayList<>();
        byReasons.forEach((reasons, sharing) -> perPod.add(switch (sharing.count) {
            case 1 -> sharing.first + ": " + reasons;
            case 2 -> sharing.first + " (and 1 other pod): " + reasons;
            default -> sharing.first + " (and " + (sharing.count - 1) + " other pods): " + reasons;
        }));
        perPod.sort(null);
        warnings.addAll(perPod);
        return warnings;
    }

    /** Pods of exempt runtime classes left out; the first pod of each controller, then the other replicas. */
    private List<ObjectNode> prioritized(List<ObjectNode> pods) {
        List<ObjectNode> first = new ArrayList<>();
        List<ObjectNode> replicas = new ArrayList<>();
        Set<String> controllers = new HashSet<>();
        for (ObjectNode pod : pods) {
            String runtimeClass = pod.path("spec").path("runtimeClassName").asString("");
            if (!runtimeClass.isEmpty() && exemptRuntimeClasses.contains(runtimeClass)) {
                continue;
            }
            String controller = controllerUid(pod);
            if (controller == null || controllers.add(controller)) {
                first.add(pod);
            } else {
                replicas.add(pod);
            }
        }
        first.addAll(replicas);
        return first;
    }

    private static @Nullable String controllerUid(JsonNode pod) {
        for (JsonNode owner : pod.path("metadata").path("ownerReferences")) {
            if (owner.path("controller").asBoolean(false)) {
                return owner.path("uid").asString("");
            }
        }
        return null;
    }
}
