package io.platform.agent.runtime;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One instance of a pod's container (one start of one Kubernetes container, or the sandbox), as the
 * runtime reports it.
 *
 * @param name the Kubernetes container name, {@link #SANDBOX} for the sandbox
 * @param attempt which start this is; the restart count of the latest one
 * @param status the runtime's word for its state ({@code created}, {@code running}, {@code exited}, ...)
 * @param error why the runtime could not start it, when it never ran
 * @param ipAddress the pod's address, on the sandbox
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

    /** Name of the sandbox instance, as the kubelet's {@code POD} container. */
    public static final String SANDBOX = "POD";

    public boolean isSandbox() {
        return SANDBOX.equals(name);
    }

    /** Exited, or created but refused to start: either way it will not run again. */
    public boolean stopped() {
        return !running && (status.equals("exited") || status.equals("dead") || error != null);
    }

    /** When it stopped; a container that never started counts from its creation. */
    public @Nullable Instant stoppedAt() {
        return finishedAt != null ? finishedAt : createdAt;
    }
}
