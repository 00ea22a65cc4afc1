package io.platform.agent.scenarios;

import io.platform.agent.testing.RequiresRoot;
import java.util.Map;

/** The pod scenarios on the process runtime as root: a network namespace, mounts and cgroups per pod. */
@RequiresRoot
class ProcessPodScenariosTest extends PodScenarios {

    @Override
    Map<String, Object> runtimeProperties() {
        return Map.of("platform.agent.runtime", "process");
    }
}
