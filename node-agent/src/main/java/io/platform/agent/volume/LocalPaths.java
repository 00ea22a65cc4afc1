package io.platform.agent.volume;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code persistentVolumeClaim} volumes: the claim, then its bound PersistentVolume, then the PV's {@code hostPath}
 * or {@code local} path on this node, as the kubelet's volume manager resolves them. Also the node's half of the
 * local-path provisioner's {@code Delete} reclaim: the controllers cannot reach the node's disk, so the agent removes
 * the directories under {@code <root-dir>/local-path} whose PersistentVolume no longer exists.
 */
final class LocalPaths {

    private static final Logger log = LoggerFactory.getLogger(LocalPaths.class);
    /** The local-path provisioner's directory under the agent's root dir; names are {@code <ns>_<claim>_<pv>}. */
    static final String DIRECTORY = "local-path";

    private final KubernetesClient client;
    private final Path root;

    LocalPaths(KubernetesClient client, Path agentRootDir) {
        this.client = client;
        this.root = agentRootDir.resolve(DIRECTORY);
    }

    /** The bound PV of a claim the pod uses, with the kubelet's reasons when it is not usable yet. */
    PersistentVolume boundVolume(String namespace, String claimName) throws ClaimException {
        PersistentVolumeClaim claim;
        try {
            claim = client.persistentVolumeClaims().inNamespace(namespace).withName(claimName).get();
        } catch (KubernetesClientException e) {
            throw new ClaimException("error processing PVC " + namespace + "/" + claimName
                    + ": failed to fetch PVC from API server: " + e.getMessage());
        }
        if (claim == null) {
            throw new ClaimException("persistentvolumeclaim \"" + claimName + "\" not found");
        }
        if (claim.getMetadata().getDeletionTimestamp() != null) {
            throw new ClaimException("can't start pod because PVC " + namespace + "/" + claimName + " is being deleted");
        }
        String phase = claim.getStatus() == null ? "" : String.valueOf(claim.getStatus().getPhase());
        String volumeName = claim.getSpec().getVolumeName() == null ? "" : claim.getSpec().getVolumeName();
        if (!"Bound".equals(phase) || volumeName.isEmpty()) {
            throw new ClaimException("PVC " + namespace + "/" + claimName + " has non-bound phase (\"" + phase
                    + "\") or empty pvc.Spec.VolumeName (\"" + volumeName + "\")");
        }
        PersistentVolume volume;
        try {
            volume = client.persistentVolumes().withName(volumeName).get();
        } catch (KubernetesClientException e) {
            throw new ClaimException("error processing PVC " + namespace + "/" + claimName + ": failed to fetch PV "
                    + volumeName + " from API server: " + e.getMessage());
        }
        if (volume == null) {
            throw new ClaimException("error processing PVC " + namespace + "/" + claimName + ": failed to fetch PV "
                    + volumeName + " from API server: persistentvolumes \"" + volumeName + "\" not found");
        }
        if (volume.getSpec().getClaimRef() == null
                || !claim.getMetadata().getUid().equals(volume.getSpec().getClaimRef().getUid())) {
            throw new ClaimException("error processing PVC " + namespace + "/" + claimName + ": PV " + volumeName
                    + " is not bound to this claim");
        }
        return volume;
    }

    /** Removes the local-path directories whose PersistentVolume is gone; keeps any whose PV cannot be read now. */
    void removeReleased() {
        if (!Files.isDirectory(root)) {
            return;
        }
        List<Path> dirs = new ArrayList<>();
        try (Stream<Path> list = Files.list(root)) {
            list.filter(Files::isDirectory).forEach(dirs::add);
        } catch (IOException e) {
            log.warn("listing {} failed: {}", root, e.getMessage());
            return;
        }
        for (Path dir : dirs) {
            String[] parts = dir.getFileName().toString().split("_");
            if (parts.length != 3) {
                continue;
            }
            try {
                if (client.persistentVolumes().withName(parts[2]).get() != null) {
                    continue;
                }
            } catch (KubernetesClientException e) {
                log.debug("PersistentVolume {}: cannot be read now ({}); its directory stays", parts[2], e.getMessage());
                continue;
            }
            try {
                AtomicVolumeWriter.deleteTree(dir);
                log.info("PersistentVolume {}: deleted; removed its directory {}", parts[2], dir);
            } catch (IOException e) {
                log.warn("PersistentVolume {}: removing its directory {} failed: {}", parts[2], dir, e.getMessage());
            }
        }
    }

    /** A claim that cannot be mounted (yet). */
    static final class ClaimException extends Exception {
        ClaimException(String message) {
            super(message);
        }
    }
}
