package io.platform.api.patch;

import io.kubernetes.client.openapi.models.V1CSINodeSpec;
import io.kubernetes.client.openapi.models.V1ComponentStatus;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1DaemonSetStatus;
import io.kubernetes.client.openapi.models.V1DeploymentSpec;
import io.kubernetes.client.openapi.models.V1DeploymentStatus;
import io.kubernetes.client.openapi.models.V1EphemeralContainer;
import io.kubernetes.client.openapi.models.V1FlowSchemaStatus;
import io.kubernetes.client.openapi.models.V1JobStatus;
import io.kubernetes.client.openapi.models.V1MutatingWebhook;
import io.kubernetes.client.openapi.models.V1MutatingWebhookConfiguration;
import io.kubernetes.client.openapi.models.V1NamespaceStatus;
import io.kubernetes.client.openapi.models.V1NodeSpec;
import io.kubernetes.client.openapi.models.V1NodeStatus;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimStatus;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudgetSpec;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudgetStatus;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.kubernetes.client.openapi.models.V1PriorityLevelConfigurationStatus;
import io.kubernetes.client.openapi.models.V1ReplicaSetStatus;
import io.kubernetes.client.openapi.models.V1ReplicationControllerStatus;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1ServiceSpec;
import io.kubernetes.client.openapi.models.V1ServiceStatus;
import io.kubernetes.client.openapi.models.V1StatefulSetStatus;
import io.kubernetes.client.openapi.models.V1ValidatingAdmissionPolicySpec;
import io.kubernetes.client.openapi.models.V1ValidatingWebhook;
import io.kubernetes.client.openapi.models.V1ValidatingWebhookConfiguration;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscalerStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The one table of patch strategies and merge keys, shared by strategic merge patch and the OpenAPI
 * documents ({@code x-kubernetes-patch-strategy}, {@code x-kubernetes-patch-merge-key}).
 *
 * <p>Rows are the {@code patchStrategy}/{@code patchMergeKey} struct tags of Kubernetes 1.32
 * ({@code k8s.io/api} and {@code k8s.io/apimachinery} v0.32.4), keyed by the client-java-api model class
 * of the Go struct; fields of Go structs embedded inline (EphemeralContainerCommon) sit on the class that
 * flattens them. Fields without a row are replaced as a whole when they are lists and merged when maps.
 */
public final class PatchStrategies {

    private static final Map<Key, PatchStrategy> STRATEGIES = Stream.of(
            // meta/v1 (k8s.io/apimachinery)
            row(V1ObjectMeta.class, "ownerReferences", "merge", "uid"),
            row(V1ObjectMeta.class, "finalizers", "merge", null),
            // core/v1
            row(V1PersistentVolumeClaimStatus.class, "conditions", "merge", "type"),
            row(V1Container.class, "ports", "merge", "containerPort"),
            row(V1Container.class, "env", "merge", "name"),
            row(V1Container.class, "volumeMounts", "merge", "mountPath"),
            row(V1Container.class, "volumeDevices", "merge", "devicePath"),
            row(V1ContainerStatus.class, "volumeMounts", "merge", "mountPath"),
            row(V1ContainerStatus.class, "allocatedResourcesStatus", "merge", "name"),
            row(V1PodSpec.class, "volumes", "merge,retainKeys", "name"),
            row(V1PodSpec.class, "initContainers", "merge", "name"),
            row(V1PodSpec.class, "containers", "merge", "name"),
            row(V1PodSpec.class, "ephemeralContainers", "merge", "name"),
            row(V1PodSpec.class, "imagePullSecrets", "merge", "name"),
            row(V1PodSpec.class, "hostAliases", "merge", "ip"),
            row(V1PodSpec.class, "topologySpreadConstraints", "merge", "topologyKey"),
            row(V1PodSpec.class, "schedulingGates", "merge", "name"),
            row(V1PodSpec.class, "resourceClaims", "merge,retainKeys", "name"),
            row(V1EphemeralContainer.class, "ports", "merge", "containerPort"),
            row(V1EphemeralContainer.class, "env", "merge", "name"),
            row(V1EphemeralContainer.class, "volumeMounts", "merge", "mountPath"),
            row(V1EphemeralContainer.class, "volumeDevices", "merge", "devicePath"),
            row(V1PodStatus.class, "conditions", "merge", "type"),
            row(V1PodStatus.class, "hostIPs", "merge", "ip"),
            row(V1PodStatus.class, "podIPs", "merge", "ip"),
            row(V1PodStatus.class, "resourceClaimStatuses", "merge,retainKeys", "name"),
            row(V1ReplicationControllerStatus.class, "conditions", "merge", "type"),
            row(V1ServiceStatus.class, "conditions", "merge", "type"),
            row(V1ServiceSpec.class, "ports", "merge", "port"),
            row(V1ServiceAccount.class, "secrets", "merge", "name"),
            row(V1NodeSpec.class, "podCIDRs", "merge", null),
            row(V1NodeStatus.class, "conditions", "merge", "type"),
            row(V1NodeStatus.class, "addresses", "merge", "type"),
            row(V1NamespaceStatus.class, "conditions", "merge", "type"),
            row(V1ComponentStatus.class, "conditions", "merge", "type"),
            // apps/v1
            row(V1StatefulSetStatus.class, "conditions", "merge", "type"),
            row(V1DeploymentSpec.class, "strategy", "retainKeys", null),
            row(V1DeploymentStatus.class, "conditions", "merge", "type"),
            row(V1DaemonSetStatus.class, "conditions", "merge", "type"),
            row(V1ReplicaSetStatus.class, "conditions", "merge", "type"),
            // batch/v1
            row(V1JobStatus.class, "conditions", "merge", "type"),
            // autoscaling/v2
            row(V2HorizontalPodAutoscalerStatus.class, "conditions", "merge", "type"),
            // policy/v1
            row(V1PodDisruptionBudgetSpec.class, "selector", "replace", null),
            row(V1PodDisruptionBudgetStatus.class, "conditions", "merge", "type"),
            // storage/v1
            row(V1CSINodeSpec.class, "drivers", "merge", "name"),
            // admissionregistration/v1
            row(V1ValidatingAdmissionPolicySpec.class, "matchConditions", "merge", "name"),
            row(V1ValidatingAdmissionPolicySpec.class, "variables", "merge", "name"),
            row(V1ValidatingWebhookConfiguration.class, "webhooks", "merge", "name"),
            row(V1MutatingWebhookConfiguration.class, "webhooks", "merge", "name"),
            row(V1ValidatingWebhook.class, "matchConditions", "merge", "name"),
            row(V1MutatingWebhook.class, "matchConditions", "merge", "name"),
            // flowcontrol/v1
            row(V1FlowSchemaStatus.class, "conditions", "merge", "type"),
            row(V1PriorityLevelConfigurationStatus.class, "conditions", "merge", "type")
    ).collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));

    /**
     * Key fields of associative lists beyond their patch merge key: Kubernetes declares these lists
     * {@code +listType=map} with several {@code +listMapKey}s, which server-side apply identifies items by.
     */
    private static final Map<Key, List<String>> EXTRA_LIST_MAP_KEYS = Map.of(
            new Key(V1Container.class, "ports"), List.of("protocol"),
            new Key(V1EphemeralContainer.class, "ports"), List.of("protocol"),
            new Key(V1ServiceSpec.class, "ports"), List.of("protocol"),
            new Key(V1PodSpec.class, "topologySpreadConstraints"), List.of("whenUnsatisfiable"));

    private PatchStrategies() {
    }

    /**
     * The key fields server-side apply identifies the items of a list field by ({@code x-kubernetes-list-map-keys}):
     * the merge key followed by any further list-map keys; empty for lists that are sets or atomic.
     */
    public static List<String> listMapKeys(Class<?> modelClass, String jsonField) {
        Optional<PatchStrategy> strategy = lookup(modelClass, jsonField);
        if (strategy.isEmpty() || strategy.get().mergeKey() == null || !strategy.get().strategy().contains("merge")) {
            return List.of();
        }
        List<String> keys = new ArrayList<>();
        keys.add(strategy.get().mergeKey());
        keys.addAll(EXTRA_LIST_MAP_KEYS.getOrDefault(new Key(modelClass, jsonField), List.of()));
        return List.copyOf(keys);
    }

    /** The strategy of {@code jsonField} of a client-java-api model class, if Kubernetes declares one. */
    public static Optional<PatchStrategy> lookup(Class<?> modelClass, String jsonField) {
        return Optional.ofNullable(STRATEGIES.get(new Key(modelClass, jsonField)));
    }

    private static Map.Entry<Key, PatchStrategy> row(Class<?> modelClass, String jsonField, String strategy,
            @Nullable String mergeKey) {
        return Map.entry(new Key(modelClass, jsonField), new PatchStrategy(strategy, mergeKey));
    }

    private record Key(Class<?> modelClass, String jsonField) {
    }
}
