package io.platform.agent.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.platform.agent.runtime.ContainerInstance;
import io.platform.agent.runtime.ContainerRuntime;
import io.platform.agent.runtime.LogOptions;
import io.platform.agent.volume.PodVolumes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Termination messages as the kubelet's: a per-instance host file mounted at the container's
 * {@code terminationMessagePath}, read once the instance stopped (at most 4096 bytes), with
 * {@code FallbackToLogsOnError} taking the log's tail when the file is empty and the exit failed.
 */
final class TerminationMessages {

    private static final Logger log = LoggerFactory.getLogger(TerminationMessages.class);
    static final String DEFAULT_PATH = "/dev/termination-log";
    private static final int MAX_BYTES = 4096;
    private static final int FALLBACK_LINES = 80;
    private static final int FALLBACK_BYTES = 2048;
    private static final Duration LOG_READ_TIMEOUT = Duration.ofSeconds(5);

    private final Path podsDir;
    private final ContainerRuntime runtime;
    /** Messages of stopped instances, by pod uid then instance id: they never change once read. */
    private final Map<String, Map<String, String>> read = new ConcurrentHashMap<>();

    TerminationMessages(Path rootDir, ContainerRuntime runtime) {
        this.podsDir = rootDir.toAbsolutePath().normalize().resolve("pods");
        this.runtime = runtime;
    }

    /** Creates the empty, world-writable message file of one start of a container and the mount for it. */
    PodVolumes.Mount mount(Pod pod, Container spec, int attempt) throws IOException {
        Path file = file(pod.getMetadata().getUid(), spec.getName(), attempt);
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        Files.createFile(file);
        // any user the image runs as must be able to write it, as the kubelet's 0666 file
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        String path = spec.getTerminationMessagePath() == null || spec.getTerminationMessagePath().isEmpty()
                ? DEFAULT_PATH : spec.getTerminationMessagePath();
        return new PodVolumes.Mount(file, path, false);
    }

    /** The message of a stopped instance of one of the pod's containers, or null when it left none. */
    @Nullable String message(Pod pod, @Nullable Container spec, ContainerInstance instance) {
        Map<String, String> podMessages = read.computeIfAbsent(pod.getMetadata().getUid(), uid -> new ConcurrentHashMap<>());
        String known = podMessages.get(instance.id());
        if (known != null) {
            return known.isEmpty() ? null : known;
        }
        String message = readFile(file(pod.getMetadata().getUid(), instance.name(), instance.attempt()));
        if (message.isEmpty() && instance.exitCode() != 0 && spec != null
                && "FallbackToLogsOnError".equals(spec.getTerminationMessagePolicy())) {
            message = logTail(instance.id());
        }
        podMessages.put(instance.id(), message);
        return message.isEmpty() ? null : message;
    }

    void forget(String podUid) {
        read.remove(podUid);
    }

    private Path file(String podUid, String container, int attempt) {
        return podsDir.resolve(podUid).resolve("containers").resolve(container).resolve(Integer.toString(attempt));
    }

    private static String readFile(Path file) {
        if (!Files.isRegularFile(file)) {
            return "";
        }
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(MAX_BYTES), StandardCharsets.UTF_8);
        } catch (IOException e) {
            log.debug("reading termination message {} failed: {}", file, e.getMessage());
            return "";
        }
    }

    /** The last 80 lines of the instance's log, cut to their last 2048 bytes, as the kubelet's fallback. */
    private String logTail(String containerId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            runtime.logs(containerId, new LogOptions(false, false, FALLBACK_LINES, null))
                    .doOnNext(out::writeBytes)
                    .blockLast(LOG_READ_TIMEOUT);
        } catch (RuntimeException e) {
            log.debug("reading the log of {} for its termination message failed: {}", containerId, e.getMessage());
        }
        byte[] bytes = out.toByteArray();
        int from = Math.max(0, bytes.length - FALLBACK_BYTES);
        return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
    }
}
