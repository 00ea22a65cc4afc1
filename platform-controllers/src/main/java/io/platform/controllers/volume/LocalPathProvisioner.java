package io.platform.controllers.volume;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatusBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.platform.common.reconcile.Controller;
import io.platform.common.reconcile.ObjectKey;
import io.platform.common.reconcile.Reconciler;
import io.platform.common.reconcile.Result;
import io.platform.common.reconcile.SharedInformers;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PersistentVolume binder and the local-path provisioner, keyed by claim, as kube-controller-manager's
 * persistent-volume-binder with an external provisioner beside it:
 * <ul>
 *   <li>a claim of a class whose provisioner is {@value #PROVISIONER} gets a PersistentVolume of its own, a
 *       {@code hostPath} directory {@code <local-path root>/<namespace>_<claim>_<pv>} ({@code DirectoryOrCreate}, made
 *       by the node agent at the first mount) with {@code nodeAffinity} to the node, once that node is known: the
 *       claim's {@code volume.kubernetes.io/selected-node} annotation, else the node of a pod using the claim (the
 *       classes are {@code WaitForFirstConsumer}); the local-path root is the node's
 *       {@value #ROOT_ANNOTATION} annotation, published by its agent;</li>
 *   <li>a claim is bound to its pre-bound or provisioned volume, or to an Available volume of its class that is large
 *       enough with its access modes, Pending or Available (not for {@code WaitForFirstConsumer} classes): {@code claimRef} on the volume,
 *       {@code spec.volumeName} and the {@code pv.kubernetes.io/bind-completed} and {@code bound-by-controller}
 *       annotations on the claim, both phases {@code Bound};</li>
 *   <li>a volume whose claim is gone is {@code Released}, and deleted when its reclaim policy is {@code Delete} and
 *       this provisioner made it (the node agent removes the directory once the volume is gone).</li>
 * </ul>
 */
public final class LocalPathProvisioner implements Reconciler {

    private static final Logger log = LoggerFactory.getLogger(LocalPathProvisioner.class);
    public static final String PROVISIONER = "platform.io/local-path";
    /** The node annotation naming its local-path directory; the node agent sets it. */
    public static final String ROOT_ANNOTATION = "volume.platform.io/local-path-root";
    static final String SELECTED_NODE = "volume.kubernetes.io/selected-node";
    static final String PROVISIONED_BY = "pv.kubernetes.io/provisioned-by";
    static final String BIND_COMPLETED = "pv.kubernetes.io/bind-completed";
    static final String BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller";
    static final String HOSTNAME_LABEL = "kubernetes.io/hostname";

    private final KubernetesClient client;
    private final SharedInformers informers;
    /** Nodes already reported as not publishing their local-path root, so that it is said once. */
    private final Set<String> reportedNodes = ConcurrentHashMap.newKeySet();

    public LocalPathProvisioner(KubernetesClient client, SharedInformers informers) {
        this.client = client;
        this.informers = informers;
    }

    /**
     * Claims, woken by their volumes, by pods using them being bound to a node, and by that node publishing its
     * local-path root; storage classes are read from their informer.
     */
    public static Controller controller(SharedInformers informers, Reconciler reconciler, int workers,
            Duration backoffBase, Duration backoffMax) {
        return Controller.builder("persistentvolume-binder", informers)
                .forType(PersistentVolumeClaim.class)
                .watches(PersistentVolume.class, volume -> volume.getSpec().getClaimRef() == null
                        ? unboundClaims(informers)
                        : List.of(new ObjectKey(volume.getSpec().getClaimRef().getNamespace(), volume.getSpec().getClaimRef().getName())))
                .watches(Pod.class, LocalPathProvisioner::claimsOf)
                .watches(Node.class, node -> informers.list(Pod.class).stream()
                        .filter(pod -> node.getMetadata().getName().equals(pod.getSpec().getNodeName()))
                        .flatMap(pod -> claimsOf(pod).stream()).toList())
                .watches(StorageClass.class, storageClass -> List.of())
                .reconciler(reconciler)
                .workers(workers)
                .backoff(backoffBase, backoffMax)
                .build();
    }

    /** Claims still without a volume, which a free volume may now satisfy. */
    private static List<ObjectKey> unboundClaims(SharedInformers informers) {
        return informers.list(PersistentVolumeClaim.class).stream()
                .filter(claim -> claim.getSpec().getVolumeName() == null || claim.getSpec().getVolumeName().isEmpty())
                .map(ObjectKey::of)
                .toList();
    }

    private static List<ObjectKey> claimsOf(Pod pod) {
        if (pod.getSpec().getNodeName() == null || pod.getSpec().getVolumes() == null) {
            return List.of();
        }
        return pod.getSpec().getVolumes().stream()
                .filter(volume -> volume.getPersistentVolumeClaim() != null)
                .map(volume -> new ObjectKey(pod.getMetadata().getNamespace(), volume.getPersistentVolumeClaim().getClaimName()))
                .toList();
    }

    @Override
    public Result reconcile(ObjectKey key) {
        PersistentVolumeClaim claim = informers.get(PersistentVolumeClaim.class, key).orElse(null);
        List<PersistentVolume> referencing = informers.list(PersistentVolume.class).stream()
                .filter(volume -> volume.getSpec().getClaimRef() != null
                        && key.namespace().equals(volume.getSpec().getClaimRef().getNamespace())
                        && key.name().equals(volume.getSpec().getClaimRef().getName()))
                .toList();
        for (PersistentVolume volume : referencing) {
            String refUid = volume.getSpec().getClaimRef().getUid();
            if (refUid != null && !refUid.isEmpty() && (claim == null || !refUid.equals(claim.getMetadata().getUid()))) {
                release(volume);
            }
        }
        if (claim == null || claim.getMetadata().getDeletionTimestamp() != null) {
            return Result.done();
        }
        String volumeName = claim.getSpec().getVolumeName();
        if (volumeName != null && !volumeName.isEmpty()) {
            PersistentVolume volume = informers.get(PersistentVolume.class, new ObjectKey("", volumeName)).orElse(null);
            if (volume == null) {
                claimStatus(claim, "Lost", null);
                return Result.done();
            }
            if (volume.getSpec().getClaimRef() == null || claimedBy(volume, claim)) {
                bind(claim, volume);
            }
            return Result.done();
        }
        Optional<PersistentVolume> candidate = referencing.stream()
                .filter(volume -> claimedBy(volume, claim) && !"Released".equals(phase(volume)))
                .findFirst();
        StorageClass storageClass = storageClass(claim);
        boolean waitForConsumer = storageClass != null && "WaitForFirstConsumer".equals(storageClass.getVolumeBindingMode());
        if (candidate.isEmpty() && !waitForConsumer) {
            candidate = informers.list(PersistentVolume.class).stream().filter(volume -> matches(volume, claim)).findFirst();
        }
        if (candidate.isPresent()) {
            bind(claim, candidate.get());
            return Result.done();
        }
        if (storageClass != null && PROVISIONER.equals(storageClass.getProvisioner())) {
            provision(claim, storageClass);
        }
        return Result.done();
    }

    /** The claim's class, or null when it names none or one that does not exist. */
    private @Nullable StorageClass storageClass(PersistentVolumeClaim claim) {
        String name = claim.getSpec().getStorageClassName();
        return name == null || name.isEmpty() ? null : informers.get(StorageClass.class, new ObjectKey("", name)).orElse(null);
    }

    /** Pre-bound to this claim (by name, or by name and uid). */
    private static boolean claimedBy(PersistentVolume volume, PersistentVolumeClaim claim) {
        var ref = volume.getSpec().getClaimRef();
        return ref != null && claim.getMetadata().getNamespace().equals(ref.getNamespace())
                && claim.getMetadata().getName().equals(ref.getName())
                && (ref.getUid() == null || ref.getUid().isEmpty() || ref.getUid().equals(claim.getMetadata().getUid()));
    }

    /** An Available, unclaimed volume of the claim's class, large enough, offering every access mode the claim asks. */
    private static boolean matches(PersistentVolume volume, PersistentVolumeClaim claim) {
        // a new volume is Pending until a binder marks it Available: either is free
        if (volume.getSpec().getClaimRef() != null || !Set.of("", "Pending", "Available").contains(phase(volume))
                || volume.getMetadata().getDeletionTimestamp() != null) {
            return false;
        }
        String wanted = claim.getSpec().getStorageClassName() == null ? "" : claim.getSpec().getStorageClassName();
        String offered = volume.getSpec().getStorageClassName() == null ? "" : volume.getSpec().getStorageClassName();
        if (!wanted.equals(offered)) {
            return false;
        }
        List<String> modes = volume.getSpec().getAccessModes() == null ? List.of() : volume.getSpec().getAccessModes();
        if (claim.getSpec().getAccessModes() != null && !modes.containsAll(claim.getSpec().getAccessModes())) {
            return false;
        }
        Quantity requested = requested(claim);
        Quantity capacity = volume.getSpec().getCapacity() == null ? null : volume.getSpec().getCapacity().get("storage");
        return requested == null || (capacity != null
                && Quantity.getAmountInBytes(capacity).compareTo(Quantity.getAmountInBytes(requested)) >= 0);
    }

    private static @Nullable Quantity requested(PersistentVolumeClaim claim) {
        return claim.getSpec().getResources() == null || claim.getSpec().getResources().getRequests() == null
                ? null : claim.getSpec().getResources().getRequests().get("storage");
    }

    private static String phase(PersistentVolume volume) {
        return volume.getStatus() == null || volume.getStatus().getPhase() == null ? "" : volume.getStatus().getPhase();
    }

    /**
     * Makes the claim's volume on its node. The node comes from {@code selected-node}, set by a scheduler that
     * binds volumes; this scheduler does not yet, so the node of a pod using the claim stands in until its
     * VolumeBinding plugin sets the annotation.
     */
    private void provision(PersistentVolumeClaim claim, StorageClass storageClass) {
        String nodeName = annotation(claim, SELECTED_NODE);
        if (nodeName == null) {
            nodeName = informers.listInNamespace(Pod.class, claim.getMetadata().getNamespace()).stream()
                    .filter(pod -> pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty())
                    .filter(pod -> usesClaim(pod, claim.getMetadata().getName()))
                    .map(pod -> pod.getSpec().getNodeName())
                    .findFirst().orElse(null);
        }
        if (nodeName == null) {
            return;
        }
        Node node = informers.get(Node.class, new ObjectKey("", nodeName)).orElse(null);
        String root = node == null ? null : annotation(node, ROOT_ANNOTATION);
        if (root == null || root.isEmpty()) {
            if (reportedNodes.add(nodeName)) {
                log.warn("persistentvolumeclaim {}/{}: node {} does not publish its local-path directory ({}); waiting",
                        claim.getMetadata().getNamespace(), claim.getMetadata().getName(), nodeName, ROOT_ANNOTATION);
            }
            return;
        }
        String volumeName = "pvc-" + claim.getMetadata().getUid();
        String path = root.replaceAll("/+$", "") + "/" + claim.getMetadata().getNamespace() + "_"
                + claim.getMetadata().getName() + "_" + volumeName;
        Quantity requested = requested(claim);
        PersistentVolume volume = new PersistentVolumeBuilder()
                .withNewMetadata().withName(volumeName).addToAnnotations(PROVISIONED_BY, PROVISIONER).endMetadata()
                .withNewSpec()
                .addToCapacity("storage", requested == null ? new Quantity("0") : requested)
                .withAccessModes(claim.getSpec().getAccessModes())
                .withPersistentVolumeReclaimPolicy(storageClass.getReclaimPolicy() == null ? "Delete" : storageClass.getReclaimPolicy())
                .withStorageClassName(storageClass.getMetadata().getName())
                .withVolumeMode(claim.getSpec().getVolumeMode() == null ? "Filesystem" : claim.getSpec().getVolumeMode())
                .withNewHostPath().withPath(path).withType("DirectoryOrCreate").endHostPath()
                .withNewNodeAffinity().withNewRequired().addNewNodeSelectorTerm().addNewMatchExpression()
                .withKey(HOSTNAME_LABEL).withOperator("In").withValues(nodeName).endMatchExpression()
                .endNodeSelectorTerm().endRequired().endNodeAffinity()
                .withClaimRef(new ObjectReferenceBuilder().withKind("PersistentVolumeClaim").withApiVersion("v1")
                        .withNamespace(claim.getMetadata().getNamespace()).withName(claim.getMetadata().getName())
                        .withUid(claim.getMetadata().getUid()).withResourceVersion(claim.getMetadata().getResourceVersion()).build())
                .endSpec()
                .build();
        try {
            client.persistentVolumes().resource(volume).create();
            log.info("persistentvolumeclaim {}/{}: provisioned {} at {} on node {}", claim.getMetadata().getNamespace(),
                    claim.getMetadata().getName(), volumeName, path, nodeName);
        } catch (KubernetesClientException e) {
            // made by an earlier reconcile whose event is still on its way
            if (e.getCode() != 409) {
                throw e;
            }
        }
    }

    private static boolean usesClaim(Pod pod, String claimName) {
        return pod.getSpec().getVolumes() != null && pod.getSpec().getVolumes().stream()
                .map(Volume::getPersistentVolumeClaim)
                .anyMatch(source -> source != null && claimName.equals(source.getClaimName()));
    }

    /** Both halves of the binding, each written only when it differs, volume first as upstream. */
    private void bind(PersistentVolumeClaim claim, PersistentVolume volume) {
        String volumeName = volume.getMetadata().getName();
        var ref = volume.getSpec().getClaimRef();
        boolean refComplete = ref != null && claim.getMetadata().getUid().equals(ref.getUid());
        PersistentVolume bound = volume;
        if (!refComplete) {
            bound = client.getKubernetesSerialization().clone(volume);
            bound.getSpec().setClaimRef(new ObjectReferenceBuilder().withKind("PersistentVolumeClaim").withApiVersion("v1")
                    .withNamespace(claim.getMetadata().getNamespace()).withName(claim.getMetadata().getName())
                    .withUid(claim.getMetadata().getUid()).withResourceVersion(claim.getMetadata().getResourceVersion()).build());
            if (ref == null) {
                bound.getMetadata().setAnnotations(with(bound.getMetadata().getAnnotations(), BOUND_BY_CONTROLLER, "yes"));
            }
            bound = client.persistentVolumes().resource(bound).update();
        }
        if (!"Bound".equals(phase(bound))) {
            PersistentVolume status = client.getKubernetesSerialization().clone(bound);
            status.setStatus(new PersistentVolumeStatusBuilder().withPhase("Bound").build());
            client.persistentVolumes().resource(status).updateStatus();
            log.info("persistentvolume {}: bound to {}/{}", volumeName, claim.getMetadata().getNamespace(), claim.getMetadata().getName());
        }
        PersistentVolumeClaim current = claim;
        boolean annotated = "yes".equals(annotation(claim, BIND_COMPLETED));
        if (!volumeName.equals(claim.getSpec().getVolumeName()) || !annotated) {
            current = client.getKubernetesSerialization().clone(claim);
            Map<String, String> annotations = with(current.getMetadata().getAnnotations(), BIND_COMPLETED, "yes");
            if (claim.getSpec().getVolumeName() == null || claim.getSpec().getVolumeName().isEmpty()) {
                annotations.put(BOUND_BY_CONTROLLER, "yes");
            }
            current.getMetadata().setAnnotations(annotations);
            current.getSpec().setVolumeName(volumeName);
            current = client.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace()).resource(current).update();
        }
        claimStatus(current, "Bound", bound);
    }

    private void claimStatus(PersistentVolumeClaim claim, String phase, @Nullable PersistentVolume volume) {
        String currentPhase = claim.getStatus() == null ? null : claim.getStatus().getPhase();
        if (phase.equals(currentPhase)) {
            return;
        }
        PersistentVolumeClaim status = client.getKubernetesSerialization().clone(claim);
        var builder = new PersistentVolumeClaimStatusBuilder().withPhase(phase);
        if (volume != null) {
            builder.withAccessModes(volume.getSpec().getAccessModes()).withCapacity(volume.getSpec().getCapacity());
        }
        status.setStatus(builder.build());
        client.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace()).resource(status).updateStatus();
        log.info("persistentvolumeclaim {}/{}: {}", claim.getMetadata().getNamespace(), claim.getMetadata().getName(), phase);
    }

    /** The claim is gone: Released, then deleted when this provisioner made it and its policy says Delete. */
    private void release(PersistentVolume volume) {
        String name = volume.getMetadata().getName();
        boolean ours = PROVISIONER.equals(annotation(volume, PROVISIONED_BY));
        try {
            if (ours && "Delete".equals(volume.getSpec().getPersistentVolumeReclaimPolicy())) {
                client.persistentVolumes().withName(name).delete();
                log.info("persistentvolume {}: claim gone, deleted (reclaim policy Delete)", name);
                return;
            }
            if (!"Released".equals(phase(volume)) && !"Failed".equals(phase(volume))) {
                PersistentVolume status = client.getKubernetesSerialization().clone(volume);
                status.setStatus(new PersistentVolumeStatusBuilder().withPhase("Released").build());
                client.persistentVolumes().resource(status).updateStatus();
                log.info("persistentvolume {}: claim gone, Released", name);
            }
        } catch (KubernetesClientException e) {
            // gone meanwhile
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    private static @Nullable String annotation(HasMetadata object, String name) {
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(name);
    }

    private static Map<String, String> with(@Nullable Map<String, String> annotations, String key, String value) {
        Map<String, String> copy = annotations == null ? new HashMap<>() : new HashMap<>(annotations);
        copy.put(key, value);
        return copy;
    }
}
