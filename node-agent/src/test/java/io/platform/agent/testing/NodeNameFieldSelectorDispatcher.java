package io.platform.agent.testing;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;

/**
 * fabric8's CRUD mock server understands only {@code metadata.*} field selectors and matches
 * nothing for {@code spec.nodeName}; this drops that selector, so the agent's informer sees the
 * pods (the tests bind every pod to the agent's node, and the agent checks the node name itself).
 */
public final class NodeNameFieldSelectorDispatcher extends KubernetesCrudDispatcher {

    @Override
    public MockResponse handleGet(String path) {
        return super.handleGet(strip(path));
    }

    @Override
    public MockResponse handleWatch(String path) {
        return super.handleWatch(strip(path));
    }

    static String strip(String path) {
        return path.replaceAll("fieldSelector=spec\\.nodeName(%3D|=)[^&]*&?", "").replaceAll("[?&]$", "");
    }
}
