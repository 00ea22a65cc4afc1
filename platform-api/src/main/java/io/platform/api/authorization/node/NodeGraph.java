package io.platform.api.authorization.node;

import io.platform.api.authorization.StoreFeed;
import io.platform.api.resource.ObjectKeys;
import io.platform.api.storage.KeyValue;
import io.platform.api.storage.WatchEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which objects each node may read because a pod bound to it references them, as upstream's node authorizer graph:
 * kept from the pod watch (a {@link StoreFeed} over {@code /registry/pods/}), counted per node so that an object two
 * pods share stays readable until both are gone. Lookups hold a short lock and do no I/O.
 */
public final class NodeGraph implements StoreFeed.Listener {

    /** The store prefix of pods. */
    public static final String PODS_PREFIX = "/registry/pods/";

    private final Map<String, PodReferences> pods = new HashMap<>();
    private final Map<String, Map<String, Integer>> edgesByNode = new HashMap<>();

    static String edge(String resource, String namespace, String name) {
        return resource + "/" + namespace + "/" + name;
    }

    @Override
    public synchronized void replace(List<KeyValue> items) {
        pods.clear();
        edgesByNode.clear();
        items.forEach(kv -> put(kv.key(), PodReferences.of(ObjectKeys.decode(kv))));
    }

    @Override
    public synchronized void apply(WatchEvent event) {
        String key = event.kv().key();
        remove(key);
        if (event.type() != WatchEvent.Type.DELETED) {
            put(key, PodReferences.of(ObjectKeys.decode(event.kv())));
        }
    }

    /** Records a pod (by its store key), for tests and the feed. */
    synchronized void put(String podKey, PodReferences references) {
        remove(podKey);
        if (references.nodeName().isEmpty()) {
            return;
        }
        pods.put(podKey, references);
        Map<String, Integer> edges = edgesByNode.computeIfAbsent(references.nodeName(), n -> new HashMap<>());
        references.edges().forEach(edge -> edges.merge(edge, 1, Integer::sum));
    }

    synchronized void remove(String podKey) {
        PodReferences old = pods.remove(podKey);
        if (old == null) {
            return;
        }
        Map<String, Integer> edges = edgesByNode.get(old.nodeName());
        Set<String> oldEdges = old.edges();
        oldEdges.forEach(edge -> edges.computeIfPresent(edge, (e, count) -> count == 1 ? null : count - 1));
        if (edges.isEmpty()) {
            edgesByNode.remove(old.nodeName());
        }
    }

    /** Whether a pod bound to {@code node} references {@code resource} {@code namespace/name}. */
    public synchronized boolean references(String node, String resource, String namespace, String name) {
        Map<String, Integer> edges = edgesByNode.get(node);
        return edges != null && edges.containsKey(edge(resource, namespace, name));
    }
}
