package io.platform.api.admission.tolerationseconds;

import io.platform.api.admission.AdmissionOrder;
import io.platform.api.admission.AdmissionPlugin;
import io.platform.api.admission.AdmissionProperties;
import io.platform.api.admission.AdmissionRequest;
import io.platform.api.json.Json;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * As kube-apiserver's DefaultTolerationSeconds: a created pod that does not tolerate the
 * {@code node.kubernetes.io/not-ready} or {@code node.kubernetes.io/unreachable} NoExecute taints gets a toleration
 * for each, bounded by the configured seconds (300 by default), so its pods are evicted from a lost node after that.
 */
@Component
@Order(AdmissionOrder.DEFAULT_TOLERATION_SECONDS)
public final class DefaultTolerationSeconds implements AdmissionPlugin {

    static final String NOT_READY = "node.kubernetes.io/not-ready";
    static final String UNREACHABLE = "node.kubernetes.io/unreachable";

    private final long notReadySeconds;
    private final long unreachableSeconds;

    public DefaultTolerationSeconds(AdmissionProperties properties) {
        this.notReadySeconds = properties.defaultNotReadyTolerationSeconds();
        this.unreachableSeconds = properties.defaultUnreachableTolerationSeconds();
    }

    @Override
    public String name() {
        return "DefaultTolerationSeconds";
    }

    @Override
    public void mutate(AdmissionRequest request) {
        if (!request.creates("", "pods")) {
            return;
        }
        ObjectNode spec = Json.child(request.object(), "spec");
        boolean notReady = tolerates(spec, NOT_READY);
        boolean unreachable = tolerates(spec, UNREACHABLE);
        if (notReady && unreachable) {
            return;
        }
        ArrayNode tolerations = spec.path("tolerations") instanceof ArrayNode existing ? existing : spec.putArray("tolerations");
        if (!notReady) {
            add(tolerations, NOT_READY, notReadySeconds);
        }
        if (!unreachable) {
            add(tolerations, UNREACHABLE, unreachableSeconds);
        }
    }

    /** A toleration of the key (or of every key) for NoExecute (or every effect), as upstream decides it. */
    private static boolean tolerates(JsonNode spec, String key) {
        for (JsonNode toleration : spec.path("tolerations")) {
            String tolerated = toleration.path("key").asString("");
            String effect = toleration.path("effect").asString("");
            if ((tolerated.isEmpty() || tolerated.equals(key)) && (effect.isEmpty() || effect.equals("NoExecute"))) {
                return true;
            }
        }
        return false;
    }

    private static void add(ArrayNode tolerations, String key, long seconds) {
        tolerations.addObject().put("key", key).put("operator", "Exists").put("effect", "NoExecute")
                .put("tolerationSeconds", seconds);
    }
}
