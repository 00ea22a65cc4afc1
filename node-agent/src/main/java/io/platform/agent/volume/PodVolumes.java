package io.platform.agent.volume;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapProjection;
import io.fabric8.kubernetes.api.model.ConfigMapVolumeSource;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.DownwardAPIProjection;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeSource;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ProjectedVolumeSource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretProjection;
import io.fabric8.kubernetes.api.model.SecretVolumeSource;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.platform.common.golang.GoSyntax;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The volumes of a pod that the agent writes itself, as the kubelet's projected, configMap, secret
 * and downwardAPI volume plugins: each is a directory under
 * {@code <root-dir>/pods/<uid>/volumes/kubernetes.io~<plugin>/<volume>} written with
 * {@link AtomicVolumeWriter} on every sync (so tokens are refreshed and changed ConfigMaps and
 * Secrets reach running containers) and bind-mounted read-only into the containers that mount it.
 * Also the other volume types a node serves: {@code emptyDir} ({@link EmptyDirs}), {@code hostPath}
 * ({@link HostPaths}) and {@code persistentVolumeClaim} ({@link LocalPaths}), bind-mounted as their
 * volumeMounts say.
 */
public final class PodVolumes {

    private static final Logger log = LoggerFactory.getLogger(PodVolumes.class);
    /** As the API's defaulting of {@code defaultMode}: 0644. */
    static final int DEFAULT_MODE = 0644;
    /** As the API's defaulting of a projected token's {@code expirationSeconds}: one hour. */
    static final long DEFAULT_TOKEN_SECONDS = 3600;

    /** A volume could not be written; the pod's containers wait (the kubelet's FailedMount). */
    public static final class VolumeException extends Exception {
        VolumeException(String message) {
            super(message);
        }
    }

    /**
     * One bind mount of a volume (or a path in it) into a container.
     *
     * @param propagation the volumeMount's {@code mountPropagation}: {@code None}, {@code HostToContainer} or
     *     {@code Bidirectional}
     */
    public record Mount(Path hostPath, String containerPath, boolean readOnly, String propagation) {
        public Mount(Path hostPath, String containerPath, boolean readOnly) {
            this(hostPath, containerPath, readOnly, "None");
        }
    }

    /** The Node annotation naming {@link #localPathRoot(Path)}, as the controllers' local-path provisioner reads it. */
    public static final String LOCAL_PATH_ROOT_ANNOTATION = "volume.platform.io/local-path-root";

    /** Plugin directories of the volume types the kubelet always mounts read-only (its ReadOnlyAPIDataVolumes). */
    private static final Set<String> READ_ONLY_PLUGINS = Set.of("kubernetes.io~projected", "kubernetes.io~configmap",
            "kubernetes.io~secret", "kubernetes.io~downward-api");

    private final KubernetesClient client;
    private final Path rootDir;
    private final ServiceAccountTokens tokens;
    private final AtomicVolumeWriter writer;
    private final EmptyDirs emptyDirs;
    private final LocalPaths localPaths;

    public PodVolumes(KubernetesClient client, Path rootDir, Clock clock) {
        this(client, rootDir, clock, EmptyDirs.root());
    }

    /** @param canMount whether tmpfs may be mounted for {@code emptyDir} volumes of {@code medium: Memory} (root) */
    PodVolumes(KubernetesClient client, Path rootDir, Clock clock, boolean canMount) {
        this.client = client;
        this.rootDir = rootDir.toAbsolutePath().normalize();
        this.tokens = new ServiceAccountTokens(client, clock);
        this.writer = new AtomicVolumeWriter(clock);
        this.emptyDirs = new EmptyDirs(canMount);
        this.localPaths = new LocalPaths(client, this.rootDir);
    }

    /**
     * Sets up every volume of the pod and returns each one's host path by volume name: writes the API data volumes,
     * makes emptyDir directories (and tmpfs), checks hostPath types and resolves persistentVolumeClaims to their
     * PersistentVolume's path.
     */
    public Map<String, Path> setUp(Pod pod) throws VolumeException {
        Map<String, Path> written = new LinkedHashMap<>();
        if (pod.getSpec().getVolumes() == null) {
            return written;
        }
        for (Volume volume : pod.getSpec().getVolumes()) {
            written.put(volume.getName(), setUp(pod, volume));
        }
        return written;
    }

    private Path setUp(Pod pod, Volume volume) throws VolumeException {
        String plugin = plugin(volume);
        if (plugin != null) {
            Path dir = volumeDir(pod, plugin, volume.getName());
            try {
                if (writer.write(dir, payload(pod, volume))) {
                    log.info("Pod {}/{}: wrote volume {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), volume.getName());
                }
            } catch (IOException | IllegalArgumentException e) {
                throw failed(volume, e.getMessage());
            }
            return dir;
        }
        if (volume.getEmptyDir() != null) {
            Path dir = volumeDir(pod, EmptyDirs.PLUGIN, volume.getName());
            try {
                emptyDirs.setUp(pod, volume.getEmptyDir(), dir);
            } catch (IOException e) {
                throw failed(volume, e.getMessage());
            }
            return dir;
        }
        if (volume.getHostPath() != null) {
            return hostPath(volume, volume.getHostPath().getPath(), volume.getHostPath().getType());
        }
        if (volume.getPersistentVolumeClaim() != null) {
            PersistentVolume bound;
            try {
                bound = localPaths.boundVolume(pod.getMetadata().getNamespace(), volume.getPersistentVolumeClaim().getClaimName());
            } catch (LocalPaths.ClaimException e) {
                throw new VolumeException(e.getMessage());
            }
            if (bound.getSpec().getHostPath() != null) {
                return hostPath(volume, bound.getSpec().getHostPath().getPath(), bound.getSpec().getHostPath().getType());
            }
            if (bound.getSpec().getLocal() != null) {
                // a local volume's path must exist, as the kubelet's local plugin
                return hostPath(volume, bound.getSpec().getLocal().getPath(), "Directory");
            }
            throw failed(volume, "PersistentVolume " + bound.getMetadata().getName()
                    + " is of a type this node agent cannot mount (hostPath and local only)");
        }
        throw failed(volume, "volume type not supported by this node agent");
    }

    private static Path hostPath(Volume volume, @Nullable String path, @Nullable String type) throws VolumeException {
        if (path == null || path.isEmpty()) {
            throw failed(volume, "hostPath path is empty");
        }
        Path host = Path.of(path);
        try {
            HostPaths.check(host, type);
        } catch (HostPaths.HostPathTypeException e) {
            throw failed(volume, e.getMessage());
        } catch (IOException e) {
            throw failed(volume, "hostPath type check failed: " + e.getMessage());
        }
        return host;
    }

    private Path volumeDir(Pod pod, String plugin, String volume) {
        return podDir(pod.getMetadata().getUid()).resolve("volumes").resolve("kubernetes.io~" + plugin).resolve(volume);
    }

    /**
     * The kubelet's eviction message for the first {@code emptyDir} volume of the pod whose usage exceeds its
     * {@code sizeLimit}, or null; measured now, so the pod worker calls it on each sync.
     */
    public @Nullable String exceeded(Pod pod) {
        if (pod.getSpec().getVolumes() == null) {
            return null;
        }
        for (Volume volume : pod.getSpec().getVolumes()) {
            if (volume.getEmptyDir() != null) {
                String message = EmptyDirs.exceeded(volume.getName(), volume.getEmptyDir(),
                        volumeDir(pod, EmptyDirs.PLUGIN, volume.getName()));
                if (message != null) {
                    return message;
                }
            }
        }
        return null;
    }

    /**
     * Where the local-path provisioner puts this node's PersistentVolumes; the agent publishes it on its Node as
     * {@link #LOCAL_PATH_ROOT_ANNOTATION}, which the provisioner reads.
     */
    public static Path localPathRoot(Path agentRootDir) {
        return agentRootDir.toAbsolutePath().normalize().resolve(LocalPaths.DIRECTORY);
    }

    /**
     * Removes the local-path provisioner's directories of PersistentVolumes that were deleted (reclaim policy
     * {@code Delete}); for the pod worker's orphan sweep.
     */
    public void removeReleasedLocalPaths() {
        localPaths.removeReleased();
    }

    /**
     * The container's bind mounts of the volumes {@link #setUp} returned, as the kubelet makes them: configMap,
     * secret, downwardAPI and projected volumes always read-only, others as the volumeMount's {@code readOnly} (or
     * the claim's); {@code subPath}, or {@code subPathExpr} expanded with the container's environment
     * ({@code NAME=value} entries), made inside the volume when missing.
     */
    public static List<Mount> mounts(Pod pod, Container container, Map<String, Path> volumes, List<String> env)
            throws VolumeException {
        Map<String, Volume> specs = new LinkedHashMap<>();
        for (Volume volume : pod.getSpec().getVolumes() == null ? List.<Volume>of() : pod.getSpec().getVolumes()) {
            specs.put(volume.getName(), volume);
        }
        Map<String, String> variables = new LinkedHashMap<>();
        for (String entry : env) {
            int equals = entry.indexOf('=');
            if (equals > 0) {
                variables.put(entry.substring(0, equals), entry.substring(equals + 1));
            }
        }
        return mounts(container, volumes, name -> {
            Volume volume = specs.get(name);
            return volume != null && (plugin(volume) != null || (volume.getPersistentVolumeClaim() != null
                    && Boolean.TRUE.equals(volume.getPersistentVolumeClaim().getReadOnly())));
        }, variables);
    }

    private static List<Mount> mounts(Container container, Map<String, Path> volumes, Predicate<String> alwaysReadOnly,
            Map<String, String> env) throws VolumeException {
        List<Mount> mounts = new ArrayList<>();
        if (container.getVolumeMounts() == null) {
            return mounts;
        }
        for (VolumeMount mount : container.getVolumeMounts()) {
            Path host = volumes.get(mount.getName());
            if (host == null) {
                continue;
            }
            String subPath = mount.getSubPath();
            if (mount.getSubPathExpr() != null && !mount.getSubPathExpr().isEmpty()) {
                subPath = SubPaths.expand(mount.getSubPathExpr(), env);
            }
            if (subPath != null && !subPath.isEmpty()) {
                host = SubPaths.resolve(host, subPath, container.getName(), mount.getName());
            }
            boolean readOnly = alwaysReadOnly.test(mount.getName()) || Boolean.TRUE.equals(mount.getReadOnly());
            String propagation = mount.getMountPropagation() == null || mount.getMountPropagation().isEmpty()
                    ? "None" : mount.getMountPropagation();
            mounts.add(new Mount(host, mount.getMountPath(), readOnly, propagation));
        }
        return mounts;
    }

    /** Removes everything set up for a pod that is gone (unmounting its tmpfs first), and forgets its tokens. */
    public void tearDown(String podUid) {
        tokens.forget(podUid);
        try {
            EmptyDirs.Mounts.unmountAll(podDir(podUid));
            AtomicVolumeWriter.deleteTree(podDir(podUid));
        } catch (IOException e) {
            log.warn("Pod {}: removing its volumes failed: {}", podUid, e.getMessage());
        }
    }

    /** Uids of the pods that have a directory here, to find those left by pods deleted while the agent was down. */
    public Set<String> podsWithVolumes() {
        Path pods = rootDir.resolve("pods");
        if (!Files.isDirectory(pods)) {
            return Set.of();
        }
        try (Stream<Path> dirs = Files.list(pods)) {
            return dirs.map(dir -> dir.getFileName().toString()).collect(Collectors.toSet());
        } catch (IOException e) {
            log.warn("listing pod volume directories in {} failed: {}", pods, e.getMessage());
            return Set.of();
        }
    }

    Path podDir(String podUid) {
        return rootDir.resolve("pods").resolve(podUid);
    }

    private static @Nullable String plugin(Volume volume) {
        if (volume.getProjected() != null) {
            return "projected";
        }
        if (volume.getConfigMap() != null) {
            return "configmap";
        }
        if (volume.getSecret() != null) {
            return "secret";
        }
        if (volume.getDownwardAPI() != null) {
            return "downward-api";
        }
        return null;
    }

    /** The files of one volume, by path inside it. */
    Map<String, VolumeFile> payload(Pod pod, Volume volume) throws VolumeException {
        Map<String, VolumeFile> files = new TreeMap<>();
        String namespace = pod.getMetadata().getNamespace();
        if (volume.getProjected() != null) {
            ProjectedVolumeSource projected = volume.getProjected();
            int mode = mode(projected.getDefaultMode(), DEFAULT_MODE);
            for (VolumeProjection source : projected.getSources() == null ? List.<VolumeProjection>of() : projected.getSources()) {
                if (source.getServiceAccountToken() != null) {
                    files.put(source.getServiceAccountToken().getPath(), VolumeFile.of(token(pod, volume, source.getServiceAccountToken()), mode));
                } else if (source.getConfigMap() != null) {
                    ConfigMapProjection ref = source.getConfigMap();
                    configMapFiles(files, volume, namespace, ref.getName(), ref.getItems(), Boolean.TRUE.equals(ref.getOptional()), mode);
                } else if (source.getSecret() != null) {
                    SecretProjection ref = source.getSecret();
                    secretFiles(files, volume, namespace, ref.getName(), ref.getItems(), Boolean.TRUE.equals(ref.getOptional()), mode);
                } else if (source.getDownwardAPI() != null) {
                    DownwardAPIProjection ref = source.getDownwardAPI();
                    downwardApiFiles(files, volume, pod, ref.getItems(), mode);
                } else {
                    throw failed(volume, "projected volume source of a kind this node agent does not support");
                }
            }
        } else if (volume.getConfigMap() != null) {
            ConfigMapVolumeSource ref = volume.getConfigMap();
            configMapFiles(files, volume, namespace, ref.getName(), ref.getItems(), Boolean.TRUE.equals(ref.getOptional()),
                    mode(ref.getDefaultMode(), DEFAULT_MODE));
        } else if (volume.getSecret() != null) {
            SecretVolumeSource ref = volume.getSecret();
            secretFiles(files, volume, namespace, ref.getSecretName(), ref.getItems(), Boolean.TRUE.equals(ref.getOptional()),
                    mode(ref.getDefaultMode(), DEFAULT_MODE));
        } else if (volume.getDownwardAPI() != null) {
            DownwardAPIVolumeSource ref = volume.getDownwardAPI();
            downwardApiFiles(files, volume, pod, ref.getItems(), mode(ref.getDefaultMode(), DEFAULT_MODE));
        }
        return files;
    }

    private String token(Pod pod, Volume volume, ServiceAccountTokenProjection source) throws VolumeException {
        long seconds = source.getExpirationSeconds() == null ? DEFAULT_TOKEN_SECONDS : source.getExpirationSeconds();
        try {
            return tokens.token(pod, source.getAudience() == null ? "" : source.getAudience(), seconds);
        } catch (KubernetesClientException e) {
            throw failed(volume, "failed to fetch token: " + apiMessage(e));
        } catch (RuntimeException e) {
            throw failed(volume, "failed to fetch token: " + e.getMessage());
        }
    }

    private void configMapFiles(Map<String, VolumeFile> files, Volume volume, String namespace, String name,
            @Nullable List<KeyToPath> items, boolean optional, int mode) throws VolumeException {
        ConfigMap configMap;
        try {
            configMap = client.configMaps().inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            throw failed(volume, "configmap \"" + name + "\": " + apiMessage(e));
        }
        if (configMap == null) {
            if (optional) {
                return;
            }
            throw failed(volume, "configmap \"" + name + "\" not found");
        }
        Map<String, byte[]> values = new TreeMap<>();
        if (configMap.getData() != null) {
            configMap.getData().forEach((key, value) -> values.put(key, value.getBytes(StandardCharsets.UTF_8)));
        }
        if (configMap.getBinaryData() != null) {
            configMap.getBinaryData().forEach((key, value) -> values.put(key, Base64.getDecoder().decode(value)));
        }
        keyedFiles(files, volume, values, items, optional, mode, "configmap references non-existent config key: ");
    }

    private void secretFiles(Map<String, VolumeFile> files, Volume volume, String namespace, String name,
            @Nullable List<KeyToPath> items, boolean optional, int mode) throws VolumeException {
        Secret secret;
        try {
            secret = client.secrets().inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            throw failed(volume, "secret \"" + name + "\": " + apiMessage(e));
        }
        if (secret == null) {
            if (optional) {
                return;
            }
            throw failed(volume, "secret \"" + name + "\" not found");
        }
        Map<String, byte[]> values = new TreeMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((key, value) -> values.put(key, Base64.getDecoder().decode(value)));
        }
        keyedFiles(files, volume, values, items, optional, mode, "references non-existent secret key: ");
    }

    /** All keys as files, or only the listed items at their paths, as the kubelet's MakePayload. */
    private static void keyedFiles(Map<String, VolumeFile> files, Volume volume, Map<String, byte[]> values,
            @Nullable List<KeyToPath> items, boolean optional, int mode, String missingKey) throws VolumeException {
        if (items == null || items.isEmpty()) {
            values.forEach((key, value) -> files.put(key, new VolumeFile(value, mode)));
            return;
        }
        for (KeyToPath item : items) {
            byte[] value = values.get(item.getKey());
            if (value == null) {
                if (optional) {
                    continue;
                }
                throw failed(volume, missingKey + item.getKey());
            }
            files.put(item.getPath(), new VolumeFile(value, mode(item.getMode(), mode)));
        }
    }

    private static void downwardApiFiles(Map<String, VolumeFile> files, Volume volume, Pod pod,
            @Nullable List<DownwardAPIVolumeFile> items, int mode) throws VolumeException {
        for (DownwardAPIVolumeFile item : items == null ? List.<DownwardAPIVolumeFile>of() : items) {
            if (item.getFieldRef() == null) {
                throw failed(volume, "downward API item " + item.getPath()
                        + ": only fieldRef items are supported by this node agent");
            }
            String value = field(pod, item.getFieldRef().getFieldPath());
            if (value == null) {
                throw failed(volume, "downward API item " + item.getPath() + ": unsupported fieldPath "
                        + item.getFieldRef().getFieldPath());
            }
            files.put(item.getPath(), VolumeFile.of(value, mode(item.getMode(), mode)));
        }
    }

    /** The metadata fields a downward API volume may show, formatted as the kubelet writes them. */
    static @Nullable String field(Pod pod, String path) {
        return switch (path) {
            case "metadata.name" -> pod.getMetadata().getName();
            case "metadata.namespace" -> pod.getMetadata().getNamespace();
            case "metadata.uid" -> pod.getMetadata().getUid();
            case "metadata.labels" -> formatMap(pod.getMetadata().getLabels());
            case "metadata.annotations" -> formatMap(pod.getMetadata().getAnnotations());
            default -> {
                for (String prefix : List.of("metadata.labels['", "metadata.annotations['")) {
                    if (path.startsWith(prefix) && path.endsWith("']")) {
                        String key = path.substring(prefix.length(), path.length() - 2);
                        Map<String, String> values = prefix.contains("labels")
                                ? pod.getMetadata().getLabels() : pod.getMetadata().getAnnotations();
                        yield values == null ? "" : values.getOrDefault(key, "");
                    }
                }
                yield null;
            }
        };
    }

    /** As the kubelet's FormatMap: {@code key="value"} lines sorted by key, values quoted as Go's %q. */
    static String formatMap(@Nullable Map<String, String> values) {
        if (values == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        new TreeMap<>(values).forEach((key, value) -> {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append(key).append('=').append(GoSyntax.quote(value));
        });
        return out.toString();
    }

    private static int mode(@Nullable Integer mode, int fallback) {
        return mode == null ? fallback : mode;
    }

    private static String apiMessage(KubernetesClientException e) {
        return e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
    }

    /** The kubelet's FailedMount wording. */
    private static VolumeException failed(Volume volume, @Nullable String reason) {
        return new VolumeException("MountVolume.SetUp failed for volume \"" + volume.getName() + "\" : " + reason);
    }
}
