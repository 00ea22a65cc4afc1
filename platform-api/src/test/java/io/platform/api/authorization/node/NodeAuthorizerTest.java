package io.platform.api.authorization.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.platform.api.auth.AuthenticatedUser;
import io.platform.api.authorization.Attributes;
import io.platform.api.authorization.Decision;
import io.platform.api.authorization.bootstrap.BootstrapPolicy;
import io.platform.api.json.Json;
import io.platform.api.storage.KeyValue;
import io.platform.api.storage.WatchEvent;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** The node graph from pods and what the Node authorizer lets a node do with it. */
class NodeAuthorizerTest {

    private static final AuthenticatedUser N1 = node("n1");
    private static final AuthenticatedUser N2 = node("n2");

    private final NodeGraph graph = new NodeGraph();
    private final NodeAuthorizer authorizer = new NodeAuthorizer(graph, BootstrapPolicy.nodeRules());
    private long revision = 1;

    @BeforeEach
    void fill() {
        graph.replace(List.of(stored(pod("web", "n1", """
                {"serviceAccountName": "robot",
                 "imagePullSecrets": [{"name": "pull"}],
                 "volumes": [{"name": "v", "secret": {"secretName": "vol-secret"}},
                             {"name": "c", "configMap": {"name": "vol-config"}},
                             {"name": "d", "persistentVolumeClaim": {"claimName": "data"}},
                             {"name": "p", "projected": {"sources": [{"secret": {"name": "proj-secret"}},
                                                                       {"configMap": {"name": "proj-config"}}]}}],
                 "initContainers": [{"name": "i", "envFrom": [{"secretRef": {"name": "init-env"}}]}],
                 "containers": [{"name": "c", "env": [
                     {"name": "A", "valueFrom": {"secretKeyRef": {"name": "env-secret", "key": "k"}}},
                     {"name": "B", "valueFrom": {"configMapKeyRef": {"name": "env-config", "key": "k"}}}]}]}
                """)), stored(pod("pending", "", """
                {"containers": [{"name": "c", "envFrom": [{"secretRef": {"name": "unscheduled"}}]}]}
                """))));
    }

    @Test
    void aNodeReadsWhatItsPodsReference() {
        for (String secret : List.of("pull", "vol-secret", "proj-secret", "init-env", "env-secret")) {
            assertThat(authorizer.decide(get(N1, "secrets", secret)).allowed()).as(secret).isTrue();
        }
        for (String configMap : List.of("vol-config", "proj-config", "env-config")) {
            assertThat(authorizer.decide(get(N1, "configmaps", configMap)).allowed()).as(configMap).isTrue();
        }
        assertThat(authorizer.decide(get(N1, "persistentvolumeclaims", "data")).allowed()).isTrue();
        assertThat(authorizer.decide(get(N1, "serviceaccounts", "robot")).allowed()).isTrue();
        assertThat(authorizer.decide(Attributes.resource(N1, "create", "", "v1", "serviceaccounts", "token", "team",
                "robot")).allowed()).isTrue();
        // a single-object watch (metadata.name field selector) is a read of that object
        assertThat(authorizer.decide(Attributes.resource(N1, "watch", "", "v1", "secrets", "", "team", "pull"))
                .allowed()).isTrue();
    }

    @Test
    void nothingElseAndNoOtherNode() {
        Decision other = authorizer.decide(get(N1, "secrets", "unrelated"));
        assertThat(other.allowed()).isFalse();
        assertThat(other.reason()).isEqualTo("no relationship found between node 'n1' and this object");
        assertThat(authorizer.decide(get(N2, "secrets", "pull")).allowed()).isFalse();
        assertThat(authorizer.decide(get(N1, "secrets", "unscheduled")).allowed()).isFalse();
        assertThat(authorizer.decide(Attributes.resource(N1, "list", "", "v1", "secrets", "", "team", "")).reason())
                .isEqualTo("No Object name found");
        assertThat(authorizer.decide(Attributes.resource(N1, "update", "", "v1", "secrets", "", "team", "pull"))
                .reason()).isEqualTo("can only read resources of this type");
        AuthenticatedUser notANode = new AuthenticatedUser("system:node:n1", List.of("system:authenticated"));
        assertThat(authorizer.decide(get(notANode, "secrets", "pull")))
                .isEqualTo(Decision.noOpinion(""));
    }

    @Test
    void theGraphFollowsPodChanges() {
        KeyValue moved = stored(pod("web", "n2", "{\"containers\": [{\"name\": \"c\"}],"
                + " \"imagePullSecrets\": [{\"name\": \"pull\"}]}"));
        graph.apply(new WatchEvent(WatchEvent.Type.UPDATED, moved, null));
        assertThat(authorizer.decide(get(N1, "secrets", "pull")).allowed()).isFalse();
        assertThat(authorizer.decide(get(N2, "secrets", "pull")).allowed()).isTrue();
        assertThat(authorizer.decide(get(N2, "secrets", "vol-secret")).allowed()).isFalse();

        graph.apply(new WatchEvent(WatchEvent.Type.DELETED, moved, moved));
        assertThat(authorizer.decide(get(N2, "secrets", "pull")).allowed()).isFalse();
    }

    @Test
    void sharedReferencesStayUntilTheLastPodGoes() {
        KeyValue second = stored(pod("second", "n1", "{\"imagePullSecrets\": [{\"name\": \"pull\"}]}"));
        graph.apply(new WatchEvent(WatchEvent.Type.CREATED, second, null));
        KeyValue web = stored(pod("web", "n1", "{}"));
        graph.apply(new WatchEvent(WatchEvent.Type.DELETED, web, web));
        assertThat(authorizer.decide(get(N1, "secrets", "pull")).allowed()).isTrue();
        graph.apply(new WatchEvent(WatchEvent.Type.DELETED, second, second));
        assertThat(authorizer.decide(get(N1, "secrets", "pull")).allowed()).isFalse();
    }

    @Test
    void leasesOnlyItsOwnAndOtherwiseTheNodeRules() {
        assertThat(authorizer.decide(lease(N1, "update", "kube-node-lease", "n1")).allowed()).isTrue();
        assertThat(authorizer.decide(lease(N1, "update", "kube-node-lease", "n2")).reason())
                .isEqualTo("can only access node lease with the same name as the requesting node");
        assertThat(authorizer.decide(lease(N1, "get", "default", "n1")).allowed()).isFalse();
        assertThat(authorizer.decide(Attributes.resource(N1, "update", "", "v1", "pods", "status", "team", "web"))
                .allowed()).isTrue();
        assertThat(authorizer.decide(Attributes.resource(N1, "update", "", "v1", "pods", "", "team", "web"))
                .allowed()).isFalse();
        assertThat(authorizer.decide(Attributes.resource(N1, "list", "", "v1", "nodes", "", "", "")).allowed())
                .isTrue();
        assertThat(authorizer.rulesFor(N1, "team").incomplete()).isTrue();
    }

    private KeyValue stored(ObjectNode pod) {
        long rev = revision++;
        return new KeyValue(NodeGraph.PODS_PREFIX + "team/" + pod.path("metadata").path("name").asString(),
                Json.bytes(pod), rev, rev);
    }

    private static ObjectNode pod(String name, String node, String spec) {
        ObjectNode pod = Json.object();
        pod.put("apiVersion", "v1").put("kind", "Pod");
        pod.putObject("metadata").put("name", name).put("namespace", "team");
        ObjectNode parsed = Json.parseObject(spec.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (!node.isEmpty()) {
            parsed.put("nodeName", node);
        }
        pod.set("spec", parsed);
        return pod;
    }

    private static Attributes get(AuthenticatedUser user, String resource, String name) {
        return Attributes.resource(user, "get", "", "v1", resource, "", "team", name);
    }

    private static Attributes lease(AuthenticatedUser user, String verb, String namespace, String name) {
        return Attributes.resource(user, verb, "coordination.k8s.io", "v1", "leases", "", namespace, name);
    }

    private static AuthenticatedUser node(String name) {
        return new AuthenticatedUser("system:node:" + name, List.of("system:nodes", "system:authenticated"));
    }
}
