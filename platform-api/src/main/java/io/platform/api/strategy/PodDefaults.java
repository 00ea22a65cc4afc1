package io.platform.api.strategy;

import io.platform.api.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Upstream's defaulting of a PodSpec (SetDefaults_PodSpec, _Container), for pods and pod templates. */
final class PodDefaults {

    private PodDefaults() {}

    static void applyToSpec(ObjectNode spec) {
        putIfAbsent(spec, "restartPolicy", "Always");
        putIfAbsent(spec, "dnsPolicy", "ClusterFirst");
        putIfAbsent(spec, "schedulerName", "default-scheduler");
        if (!spec.has("terminationGracePeriodSeconds")) {
            spec.put("terminationGracePeriodSeconds", 30);
        }
        if (!spec.has("securityContext")) {
            spec.set("securityContext", Json.object());
        }
        if (!spec.has("enableServiceLinks")) {
            spec.put("enableServiceLinks", true);
        }
        for (String list : new String[] {"initContainers", "containers"}) {
            for (JsonNode container : spec.path(list)) {
                if (container instanceof ObjectNode c) {
                    applyToContainer(c);
                }
            }
        }
    }

    static void applyToTemplate(ObjectNode owner) {
        JsonNode template = owner.path("spec").path("template");
        if (template instanceof ObjectNode t) {
            applyToSpec(Json.child(t, "spec"));
        }
    }

    private static void applyToContainer(ObjectNode container) {
        putIfAbsent(container, "terminationMessagePath", "/dev/termination-log");
        putIfAbsent(container, "terminationMessagePolicy", "File");
        if (!container.has("resources")) {
            container.set("resources", Json.object());
        }
        String image = container.path("image").asString("");
        if (!container.has("imagePullPolicy") && !image.isEmpty()) {
            container.put("imagePullPolicy", pullsAlways(image) ? "Always" : "IfNotPresent");
        }
        for (JsonNode port : container.path("ports")) {
            if (port instanceof ObjectNode p) {
                putIfAbsent(p, "protocol", "TCP");
            }
        }
    }

    /** As upstream: {@code :latest} or no tag (and no digest) pulls always. */
    static boolean pullsAlways(String image) {
        if (image.contains("@")) {
            return false;
        }
        String last = image.substring(image.lastIndexOf('/') + 1);
        int colon = last.indexOf(':');
        return colon < 0 || last.substring(colon + 1).equals("latest");
    }

    static void putIfAbsent(ObjectNode node, String field, String value) {
        if (!node.hasNonNull(field)) {
            node.put(field, value);
        }
    }
}
