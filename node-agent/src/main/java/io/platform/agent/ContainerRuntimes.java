package io.platform.agent;

import io.platform.agent.docker.DockerEngines;
import io.platform.agent.docker.DockerRuntime;
import io.platform.agent.process.ProcessRuntime;
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
            case "docker" -> docker(properties, host);
            case "process" -> process(properties);
            case "auto" -> DockerEngines.answers(host) ? docker(properties, host) : processFallback(properties, host);
            default -> throw new IllegalArgumentException("platform.agent.runtime must be docker, process, simulated or auto, not \""
                    + properties.runtime() + "\"");
        };
    }

    private static ContainerRuntime process(AgentProperties properties) {
        ProcessRuntime runtime = new ProcessRuntime(properties);
        log.info("Node {} runs pods as host processes (process runtime, {})", properties.nodeName(),
                runtime.isolated() ? "a network namespace and cgroups per pod" : "not isolated");
        return runtime;
    }

    /** As the issue asks: a node without an engine still runs pods, and says loudly that they are not containers. */
    private static ContainerRuntime processFallback(AgentProperties properties, String host) {
        log.warn("*** No Docker engine answers at {}: node {} falls back to the process runtime. Containers are NOT isolated: "
                + "they run as host processes, no image is used, only their command; the Node is labelled "
                + "platform.io/runtime=process ***", host, properties.nodeName());
        return process(properties);
    }

    private static ContainerRuntime docker(AgentProperties properties, String host) {
        log.info("Node {} runs pods on the Docker engine at {}", properties.nodeName(), host);
        return new DockerRuntime(DockerEngines.connect(host), properties);
    }
}
