package io.platform.agent.testing;

import io.platform.agent.docker.DockerEngines;

/**
 * The Docker engine the tests use: {@code DOCKER_HOST}. Tests needing it carry
 * {@link RequiresDockerEngine}, so they are reported skipped without one.
 */
public final class DockerTestEngine {

    private DockerTestEngine() {}

    /** The engine's endpoint. */
    public static String host() {
        return DockerEngines.defaultHost();
    }
}
