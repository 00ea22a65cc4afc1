package io.platform.api.strategy;

import io.platform.api.registry.ResourceType;
import java.util.Map;

/** The strategy of each resource type, by qualified plural (and version where they differ); plain otherwise. */
public final class Strategies {

    private static final ResourceStrategy PLAIN = new PlainStrategy();

    private static final Map<String, ResourceStrategy> BY_RESOURCE = Map.ofEntries(
            // core/v1
            Map.entry("pods", new PodStrategy()),
            Map.entry("services", new ServiceStrategy()),
            Map.entry("namespaces", new NamespaceStrategy()),
            Map.entry("secrets", new SecretStrategy()),
            Map.entry("nodes", new NodeStrategy()),
            Map.entry("events", new EventStrategy()),
            Map.entry("endpoints", new EndpointsStrategy()),
            Map.entry("limitranges", new LimitRangeStrategy()),
            Map.entry("resourcequotas", new ResourceQuotaStrategy()),
            Map.entry("persistentvolumeclaims", new PersistentVolumeClaimStrategy()),
            Map.entry("persistentvolumes", new PersistentVolumeStrategy()),
            Map.entry("podtemplates", new PodTemplateStrategy()),
            Map.entry("replicationcontrollers", new ReplicationControllerStrategy()),
            // apps/v1
            Map.entry("deployments.apps", new WorkloadStrategy(true)),
            Map.entry("replicasets.apps", new WorkloadStrategy(false)),
            Map.entry("statefulsets.apps", new StatefulSetStrategy()),
            Map.entry("daemonsets.apps", new DaemonSetStrategy()),
            Map.entry("controllerrevisions.apps", new ControllerRevisionStrategy()),
            // autoscaling
            Map.entry("horizontalpodautoscalers.autoscaling", new HorizontalPodAutoscalerStrategy(true)),
            Map.entry("horizontalpodautoscalers.autoscaling/v1", new HorizontalPodAutoscalerStrategy(false)),
            // batch/v1
            Map.entry("jobs.batch", new JobStrategy()),
            Map.entry("cronjobs.batch", new CronJobStrategy()),
            // networking.k8s.io/v1
            Map.entry("ingresses.networking.k8s.io", new IngressStrategy()),
            Map.entry("ingressclasses.networking.k8s.io", new IngressClassStrategy()),
            Map.entry("networkpolicies.networking.k8s.io", new NetworkPolicyStrategy()),
            // policy/v1
            Map.entry("poddisruptionbudgets.policy", new PodDisruptionBudgetStrategy()),
            // rbac.authorization.k8s.io/v1
            Map.entry("roles.rbac.authorization.k8s.io", new RoleStrategy(false)),
            Map.entry("clusterroles.rbac.authorization.k8s.io", new RoleStrategy(true)),
            Map.entry("rolebindings.rbac.authorization.k8s.io", new RoleBindingStrategy(false)),
            Map.entry("clusterrolebindings.rbac.authorization.k8s.io", new RoleBindingStrategy(true)),
            // the rest
            Map.entry("endpointslices.discovery.k8s.io", new EndpointSliceStrategy()),
            Map.entry("events.events.k8s.io", new EventsV1Strategy()),
            Map.entry("priorityclasses.scheduling.k8s.io", new PriorityClassStrategy()),
            Map.entry("storageclasses.storage.k8s.io", new StorageClassStrategy()),
            Map.entry("certificatesigningrequests.certificates.k8s.io", new CertificateSigningRequestStrategy()),
            Map.entry("validatingwebhookconfigurations.admissionregistration.k8s.io",
                    new WebhookConfigurationStrategy(false)),
            Map.entry("mutatingwebhookconfigurations.admissionregistration.k8s.io",
                    new WebhookConfigurationStrategy(true)),
            Map.entry("apiservices.apiregistration.k8s.io", new ApiServiceStrategy()));

    private Strategies() {}

    public static ResourceStrategy of(ResourceType type) {
        // a version-specific strategy (autoscaling/v1) before the one of the resource
        ResourceStrategy versioned = BY_RESOURCE.get(type.qualifiedPlural() + "/" + type.version());
        return versioned != null ? versioned : BY_RESOURCE.getOrDefault(type.qualifiedPlural(), PLAIN);
    }
}
