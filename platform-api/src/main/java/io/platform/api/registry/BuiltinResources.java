package io.platform.api.registry;

import io.fabric8.kubernetes.api.model.APIService;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplate;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authorization.v1.LocalSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The built-in resource types the API server serves. */
public final class BuiltinResources {

    private static final List<String> ALL = List.of("all");

    private static final List<String> API_EXTENSIONS = List.of("api-extensions");
    private static final String RBAC = "rbac.authorization.k8s.io";
    private static final String ADMISSION = "admissionregistration.k8s.io";
    private static final String AUTHENTICATION = "authentication.k8s.io";
    private static final String AUTHORIZATION = "authorization.k8s.io";
    /** The review APIs: create only, never stored. */
    private static final boolean CREATE_ONLY = true;

    /** Every type; groups in the order kube-apiserver lists them in {@code /apis}. */
    public static final List<ResourceType> TYPES = List.of(
            // core/v1
            new ResourceType("", "v1", "ConfigMap", "configmaps", "configmap", true,
                    List.of("cm"), List.of(), Set.of(), ConfigMap.class),
            new ResourceType("", "v1", "Endpoints", "endpoints", "endpoints", true,
                    List.of("ep"), List.of(), Set.of(), Endpoints.class),
            new ResourceType("", "v1", "Event", "events", "event", true,
                    List.of("ev"), List.of(), Set.of(), Event.class),
            new ResourceType("", "v1", "LimitRange", "limitranges", "limitrange", true,
                    List.of("limits"), List.of(), Set.of(), LimitRange.class),
            new ResourceType("", "v1", "Namespace", "namespaces", "namespace", false,
                    List.of("ns"), List.of(), Set.of("status", "finalize"), Namespace.class),
            new ResourceType("", "v1", "Node", "nodes", "node", false,
                    List.of("no"), List.of(), Set.of("status"), Node.class),
            new ResourceType("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", "persistentvolumeclaim", true,
                    List.of("pvc"), List.of(), Set.of("status"), PersistentVolumeClaim.class),
            new ResourceType("", "v1", "PersistentVolume", "persistentvolumes", "persistentvolume", false,
                    List.of("pv"), List.of(), Set.of("status"), PersistentVolume.class),
            new ResourceType("", "v1", "Pod", "pods", "pod", true,
                    List.of("po"), ALL, Set.of("status", "binding", "log", "eviction", "ephemeralcontainers", "exec", "attach",
                            "portforward"), Pod.class),
            new ResourceType("", "v1", "PodTemplate", "podtemplates", "podtemplate", true,
                    List.of(), List.of(), Set.of(), PodTemplate.class),
            new ResourceType("", "v1", "ReplicationController", "replicationcontrollers", "replicationcontroller", true,
                    List.of("rc"), ALL, Set.of("status", "scale"), ReplicationController.class),
            new ResourceType("", "v1", "ResourceQuota", "resourcequotas", "resourcequota", true,
                    List.of("quota"), List.of(), Set.of("status"), ResourceQuota.class),
            new ResourceType("", "v1", "Secret", "secrets", "secret", true,
                    List.of(), List.of(), Set.of(), Secret.class),
            new ResourceType("", "v1", "ServiceAccount", "serviceaccounts", "serviceaccount", true,
                    List.of("sa"), List.of(), Set.of("token"), ServiceAccount.class),
            new ResourceType("", "v1", "Service", "services", "service", true,
                    List.of("svc"), ALL, Set.of("status"), Service.class),
            // apiregistration.k8s.io/v1
            new ResourceType("apiregistration.k8s.io", "v1", "APIService", "apiservices", "apiservice", false,
                    List.of(), API_EXTENSIONS, Set.of("status"), APIService.class),
            // apps/v1
            new ResourceType("apps", "v1", "ControllerRevision", "controllerrevisions", "controllerrevision", true,
                    List.of(), List.of(), Set.of(), ControllerRevision.class),
            new ResourceType("apps", "v1", "DaemonSet", "daemonsets", "daemonset", true,
                    List.of("ds"), ALL, Set.of("status"), DaemonSet.class),
            new ResourceType("apps", "v1", "Deployment", "deployments", "deployment", true,
                    List.of("deploy"), ALL, Set.of("status", "scale"), Deployment.class),
            new ResourceType("apps", "v1", "ReplicaSet", "replicasets", "replicaset", true,
                    List.of("rs"), ALL, Set.of("status", "scale"), ReplicaSet.class),
            new ResourceType("apps", "v1", "StatefulSet", "statefulsets", "statefulset", true,
                    List.of("sts"), ALL, Set.of("status", "scale"), StatefulSet.class),
            // events.k8s.io/v1
            new ResourceType("events.k8s.io", "v1", "Event", "events", "event", true,
                    List.of("ev"), List.of(), Set.of(), io.fabric8.kubernetes.api.model.events.v1.Event.class),
            // authentication.k8s.io/v1
            new ResourceType(AUTHENTICATION, "v1", "SelfSubjectReview", "selfsubjectreviews", "selfsubjectreview",
                    false, List.of(), List.of(), Set.of(), SelfSubjectReview.class, CREATE_ONLY),
            new ResourceType(AUTHENTICATION, "v1", "TokenReview", "tokenreviews", "tokenreview", false,
                    List.of(), List.of(), Set.of(), TokenReview.class, CREATE_ONLY),
            // authorization.k8s.io/v1
            new ResourceType(AUTHORIZATION, "v1", "LocalSubjectAccessReview", "localsubjectaccessreviews",
                    "localsubjectaccessreview", true, List.of(), List.of(), Set.of(), LocalSubjectAccessReview.class,
                    CREATE_ONLY),
            new ResourceType(AUTHORIZATION, "v1", "SelfSubjectAccessReview", "selfsubjectaccessreviews",
                    "selfsubjectaccessreview", false, List.of(), List.of(), Set.of(), SelfSubjectAccessReview.class,
                    CREATE_ONLY),
            new ResourceType(AUTHORIZATION, "v1", "SelfSubjectRulesReview", "selfsubjectrulesreviews",
                    "selfsubjectrulesreview", false, List.of(), List.of(), Set.of(), SelfSubjectRulesReview.class,
                    CREATE_ONLY),
            new ResourceType(AUTHORIZATION, "v1", "SubjectAccessReview", "subjectaccessreviews",
                    "subjectaccessreview", false, List.of(), List.of(), Set.of(), SubjectAccessReview.class,
                    CREATE_ONLY),
            // autoscaling/v2 and v1: one stored object (v2), v1 converted on the way in and out
            new ResourceType("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers",
                    "horizontalpodautoscaler", true, List.of("hpa"), ALL, Set.of("status"),
                    io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler.class),
            new ResourceType("autoscaling", "v1", "HorizontalPodAutoscaler", "horizontalpodautoscalers",
                    "horizontalpodautoscaler", true, List.of("hpa"), ALL, Set.of("status"),
                    io.fabric8.kubernetes.api.model.autoscaling.v1.HorizontalPodAutoscaler.class),
            // batch/v1
            new ResourceType("batch", "v1", "CronJob", "cronjobs", "cronjob", true,
                    List.of("cj"), ALL, Set.of("status"), CronJob.class),
            new ResourceType("batch", "v1", "Job", "jobs", "job", true,
                    List.of(), ALL, Set.of("status"), Job.class),
            // certificates.k8s.io/v1
            new ResourceType("certificates.k8s.io", "v1", "CertificateSigningRequest", "certificatesigningrequests",
                    "certificatesigningrequest", false, List.of("csr"), List.of(), Set.of("status", "approval"),
                    CertificateSigningRequest.class),
            // networking.k8s.io/v1
            new ResourceType("networking.k8s.io", "v1", "IngressClass", "ingressclasses", "ingressclass", false,
                    List.of(), List.of(), Set.of(), IngressClass.class),
            new ResourceType("networking.k8s.io", "v1", "Ingress", "ingresses", "ingress", true,
                    List.of("ing"), List.of(), Set.of("status"), Ingress.class),
            new ResourceType("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", "networkpolicy", true,
                    List.of("netpol"), List.of(), Set.of(), NetworkPolicy.class),
            // policy/v1
            new ResourceType("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", "poddisruptionbudget", true,
                    List.of("pdb"), List.of(), Set.of("status"), PodDisruptionBudget.class),
            // rbac.authorization.k8s.io/v1
            new ResourceType(RBAC, "v1", "ClusterRoleBinding", "clusterrolebindings", "clusterrolebinding", false,
                    List.of(), List.of(), Set.of(), ClusterRoleBinding.class),
            new ResourceType(RBAC, "v1", "ClusterRole", "clusterroles", "clusterrole", false,
                    List.of(), List.of(), Set.of(), ClusterRole.class),
            new ResourceType(RBAC, "v1", "RoleBinding", "rolebindings", "rolebinding", true,
                    List.of(), List.of(), Set.of(), RoleBinding.class),
            new ResourceType(RBAC, "v1", "Role", "roles", "role", true,
                    List.of(), List.of(), Set.of(), Role.class),
            // storage.k8s.io/v1
            new ResourceType("storage.k8s.io", "v1", "StorageClass", "storageclasses", "storageclass", false,
                    List.of("sc"), List.of(), Set.of(), StorageClass.class),
            // admissionregistration.k8s.io/v1
            new ResourceType(ADMISSION, "v1", "MutatingWebhookConfiguration", "mutatingwebhookconfigurations",
                    "mutatingwebhookconfiguration", false, List.of(), API_EXTENSIONS, Set.of(),
                    MutatingWebhookConfiguration.class),
            new ResourceType(ADMISSION, "v1", "ValidatingWebhookConfiguration", "validatingwebhookconfigurations",
                    "validatingwebhookconfiguration", false, List.of(), API_EXTENSIONS, Set.of(),
                    ValidatingWebhookConfiguration.class),
            // scheduling.k8s.io/v1
            new ResourceType("scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses", "priorityclass", false,
                    List.of("pc"), List.of(), Set.of(), PriorityClass.class),
            // coordination.k8s.io/v1
            new ResourceType("coordination.k8s.io", "v1", "Lease", "leases", "lease", true,
                    List.of(), List.of(), Set.of(), Lease.class),
            // discovery.k8s.io/v1
            new ResourceType("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", "endpointslice", true,
                    List.of(), List.of(), Set.of(), EndpointSlice.class));

    private BuiltinResources() {}

    public static Optional<ResourceType> find(String group, String version, String plural) {
        return TYPES.stream()
                .filter(t -> t.group().equals(group) && t.version().equals(version) && t.plural().equals(plural))
                .findFirst();
    }

    public static Optional<ResourceType> byKind(String apiVersion, String kind) {
        return TYPES.stream()
                .filter(t -> t.apiVersion().equals(apiVersion) && t.kind().equals(kind))
                .findFirst();
    }
}
