package io.platform.controllers.garbagecollector;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplate;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
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

/**
 * The built-in types the garbage collector follows, each both as a possible owner and as a possible dependent,
 * as upstream's collector monitors every deletable resource: any of them may be deleted with {@code Orphan} or
 * {@code Foreground} propagation and must then lose its finalizer. Nodes, namespaces (emptied by the API server)
 * and events (no owners, much churn) are left out.
 */
public final class CollectedTypes {

    public static final List<Class<? extends HasMetadata>> ALL = List.of(
            Pod.class, ReplicaSet.class, Deployment.class, StatefulSet.class, DaemonSet.class, ControllerRevision.class,
            Job.class, CronJob.class, ReplicationController.class, PodTemplate.class,
            ConfigMap.class, Secret.class, ServiceAccount.class, Service.class, Endpoints.class, EndpointSlice.class,
            PersistentVolumeClaim.class, PersistentVolume.class, LimitRange.class, ResourceQuota.class,
            HorizontalPodAutoscaler.class, Ingress.class, IngressClass.class, NetworkPolicy.class,
            PodDisruptionBudget.class, Role.class, RoleBinding.class, ClusterRole.class, ClusterRoleBinding.class,
            Lease.class, PriorityClass.class, StorageClass.class, CertificateSigningRequest.class);

    private CollectedTypes() {}
}
