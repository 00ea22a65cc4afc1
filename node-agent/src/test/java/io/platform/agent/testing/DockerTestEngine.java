package io.platform.agent.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.platform.agent.docker.DockerEngines;

/** The Docker engine the tests use: {@code DOCKER_HOST}; tests needing it are skipped without one. */
public final class DockerTestEngine {

    private DockerTestEngine() {}

    /** The engine's endpoint; skips the calling test (with the reason) when nothing answers there. */
    public static String require() {
        String host = DockerEngines.defaultHost();
        assumeTrue(DockerEngines.answers(host),
                "no Docker engine answers at " + host + " (set DOCKER_HOST to a running engine to run this test)");
        return host;
    }
}
