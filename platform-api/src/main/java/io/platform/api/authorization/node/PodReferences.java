package io.platform.api.authorization.node;

import java.util.LinkedHashSet;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * What a pod makes its node read, as the edges upstream's node authorizer graph draws from a pod: Secrets and
 * ConfigMaps of volumes (also projected and the secretRefs of volume plugins), env {@code valueFrom} and
 * {@code envFrom} of every container, image pull secrets; claims of volumes (ephemeral ones by their generated
 * name); the pod's service account.
 *
 * @param nodeName the node the pod is bound to ("" while unscheduled)
 */
record PodReferences(String namespace, String nodeName, Set<String> secrets, Set<String> configMaps,
        Set<String> claims, String serviceAccount) {

    private static final String[] SECRET_REF_PLUGINS = {"cephfs", "cinder", "flexVolume", "iscsi", "rbd", "scaleIO",
        "storageos"};

    static PodReferences of(JsonNode pod) {
        JsonNode metadata = pod.path("metadata");
        JsonNode spec = pod.path("spec");
        Set<String> secrets = new LinkedHashSet<>();
        Set<String> configMaps = new LinkedHashSet<>();
        Set<String> claims = new LinkedHashSet<>();
        for (JsonNode volume : spec.path("volumes")) {
            add(secrets, volume.path("secret").path("secretName"));
            add(configMaps, volume.path("configMap").path("name"));
            add(claims, volume.path("persistentVolumeClaim").path("claimName"));
            if (volume.has("ephemeral")) {
                // as upstream: an ephemeral volume's claim is named <pod>-<volume>
                claims.add(metadata.path("name").asString("") + "-" + volume.path("name").asString(""));
            }
            add(secrets, volume.path("azureFile").path("secretName"));
            add(secrets, volume.path("csi").path("nodePublishSecretRef").path("name"));
            for (String plugin : SECRET_REF_PLUGINS) {
                add(secrets, volume.path(plugin).path("secretRef").path("name"));
            }
            for (JsonNode source : volume.path("projected").path("sources")) {
                add(secrets, source.path("secret").path("name"));
                add(configMaps, source.path("configMap").path("name"));
            }
        }
        for (String list : new String[] {"initContainers", "containers", "ephemeralContainers"}) {
            for (JsonNode container : spec.path(list)) {
                for (JsonNode env : container.path("env")) {
                    add(secrets, env.path("valueFrom").path("secretKeyRef").path("name"));
                    add(configMaps, env.path("valueFrom").path("configMapKeyRef").path("name"));
                }
                for (JsonNode from : container.path("envFrom")) {
                    add(secrets, from.path("secretRef").path("name"));
                    add(configMaps, from.path("configMapRef").path("name"));
                }
            }
        }
        for (JsonNode pullSecret : spec.path("imagePullSecrets")) {
            add(secrets, pullSecret.path("name"));
        }
        return new PodReferences(metadata.path("namespace").asString(""), spec.path("nodeName").asString(""),
                secrets, configMaps, claims, spec.path("serviceAccountName").asString(""));
    }

    private static void add(Set<String> names, JsonNode name) {
        String value = name.asString("");
        if (!value.isEmpty()) {
            names.add(value);
        }
    }

    /** Every object this pod lets its node read, as {@code resource/namespace/name}. */
    Set<String> edges() {
        Set<String> edges = new LinkedHashSet<>();
        secrets.forEach(name -> edges.add(NodeGraph.edge("secrets", namespace, name)));
        configMaps.forEach(name -> edges.add(NodeGraph.edge("configmaps", namespace, name)));
        claims.forEach(name -> edges.add(NodeGraph.edge("persistentvolumeclaims", namespace, name)));
        if (!serviceAccount.isEmpty()) {
            edges.add(NodeGraph.edge("serviceaccounts", namespace, serviceAccount));
        }
        return edges;
    }
}
