package io.platform.agent;

import io.platform.agent.docker.DockerEngines;
import io.platform.agent.docker.DockerRuntime;
import io.platform.agent.runtime.ContainerRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Chooses the node's runtime from {@code platform.agent.runtime}. */
final class ContainerRuntimes {

    private static final Logger log = LoggerFactory.getLogger(ContainerRuntimes.class);

    private ContainerRuntimes() {}

    static ContainerRuntime select(AgentProperties properties) {
        String host = properties.effectiveDockerHost();
        return switch (properties.runtime()) {
            case "docker", "auto" -> docker(properties, host);
            default -> throw new IllegalArgumentException("platform.agent.runtime must be docker, process, simulated or auto, not \""
                    + properties.runtime() + "\"");
        };
    }

    private static ContainerRuntime docker(AgentProperties properties, String host) {
        log.info("Node {} runs pods on the Docker engine at {}", properties.nodeName(), host);
        return new DockerRuntime(DockerEngines.connect(host), properties);
    }
}
