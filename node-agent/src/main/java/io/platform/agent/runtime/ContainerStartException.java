package io.platform.agent.runtime;

import org.jspecify.annotations.Nullable;

/** The runtime created the container but could not start it (for example, no such executable). */
public final class ContainerStartException extends RuntimeException {

    private final String containerId;

    public ContainerStartException(String containerId, @Nullable String message) {
        super(message == null ? "container failed to start" : message);
        this.containerId = containerId;
    }

    public String containerId() {
        return containerId;
    }
}
