package io.platform.agent.pod;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ContainerNetwork;
import io.platform.agent.docker.ClusterContainers;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One Docker container of a pod (one start of one Kubernetes container, or the sandbox), as the
 * engine reports it.
 *
 * @param name the Kubernetes container name, {@code POD} for the sandbox
 * @param attempt which start this is; the restart count of the latest one
 * @param error why the engine could not start it, when it never ran
 */
public record ContainerInstance(
        String id,
        String name,
        int attempt,
        String imageId,
        String status,
        boolean running,
        int exitCode,
        boolean oomKilled,
        @Nullable String error,
        @Nullable Instant createdAt,
        @Nullable Instant startedAt,
        @Nullable Instant finishedAt,
        @Nullable String ipAddress) {

    static ContainerInstance of(InspectContainerResponse inspect) {
        Map<String, String> labels = inspect.getConfig().getLabels();
        InspectContainerResponse.ContainerState state = inspect.getState();
        String ip = null;
        if (inspect.getNetworkSettings() != null && inspect.getNetworkSettings().getNetworks() != null) {
            ContainerNetwork bridge = inspect.getNetworkSettings().getNetworks().get("bridge");
            if (bridge != null && bridge.getIpAddress() != null && !bridge.getIpAddress().isEmpty()) {
                ip = bridge.getIpAddress();
            }
        }
        String error = state.getError();
        return new ContainerInstance(
                inspect.getId(),
                labels.getOrDefault(ClusterContainers.CONTAINER, ""),
                parseAttempt(labels.get(ClusterContainers.ATTEMPT)),
                inspect.getImageId(),
                state.getStatus() == null ? "unknown" : state.getStatus(),
                Boolean.TRUE.equals(state.getRunning()),
                state.getExitCodeLong() == null ? 0 : state.getExitCodeLong().intValue(),
                Boolean.TRUE.equals(state.getOOMKilled()),
                error == null || error.isEmpty() ? null : error,
                instant(inspect.getCreated()),
                instant(state.getStartedAt()),
                instant(state.getFinishedAt()),
                ip);
    }

    boolean isSandbox() {
        return ClusterContainers.SANDBOX.equals(name);
    }

    /** Exited, or created but refused to start: either way it will not run again. */
    boolean stopped() {
        return !running && (status.equals("exited") || status.equals("dead") || error != null);
    }

    /** When it stopped; a container that never started counts from its creation. */
    @Nullable Instant stoppedAt() {
        return finishedAt != null ? finishedAt : createdAt;
    }

    private static int parseAttempt(@Nullable String value) {
        try {
            return value == null ? 0 : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Docker's timestamps, with its zero time ({@code 0001-01-01T00:00:00Z}) as absent. */
    private static @Nullable Instant instant(@Nullable String value) {
        if (value == null || value.isEmpty() || value.startsWith("0001-01-01")) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
