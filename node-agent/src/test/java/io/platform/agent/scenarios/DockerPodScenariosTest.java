package io.platform.agent.scenarios;

import io.platform.agent.testing.RequiresDockerEngine;
import java.util.Map;

/** The pod scenarios on the Docker runtime. */
@RequiresDockerEngine
class DockerPodScenariosTest extends PodScenarios {

    @Override
    Map<String, Object> runtimeProperties() {
        return Map.of("platform.agent.runtime", "docker");
    }
}
