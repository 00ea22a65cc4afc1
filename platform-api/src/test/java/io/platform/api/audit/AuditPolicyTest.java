package io.platform.api.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platform.api.auth.AuthenticatedUser;
import io.platform.api.authorization.Attributes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditPolicyTest {

    private static final AuthenticatedUser ALICE = new AuthenticatedUser("alice", List.of("dev", "system:authenticated"));
    private static final AuthenticatedUser NODE = new AuthenticatedUser("system:node:n1", List.of("system:nodes"));

    private static Attributes resource(AuthenticatedUser user, String verb, String group, String resource,
            String subresource, String namespace, String name) {
        return Attributes.resource(user, verb, group, "v1", resource, subresource, namespace, name);
    }

    private static AuditPolicy policy(String rules) {
        return AuditPolicy.parse(("apiVersion: audit.k8s.io/v1\nkind: Policy\n" + rules).getBytes(StandardCharsets.UTF_8),
                "test");
    }

    @Test
    void theDefaultPolicySkipsProbesAndRecordsEverythingElseAtMetadataWithoutBodies() {
        AuditPolicy policy = AuditPolicy.defaultPolicy();

        assertThat(policy.evaluate(Attributes.nonResource(ALICE, "get", "/livez")).level()).isEqualTo(AuditLevel.None);
        assertThat(policy.evaluate(Attributes.nonResource(ALICE, "get", "/readyz/ping")).level()).isEqualTo(AuditLevel.None);
        assertThat(policy.evaluate(Attributes.nonResource(ALICE, "get", "/version")).level()).isEqualTo(AuditLevel.None);
        assertThat(policy.evaluate(Attributes.nonResource(ALICE, "get", "/apis")).level()).isEqualTo(AuditLevel.Metadata);
        assertThat(policy.evaluate(resource(ALICE, "create", "", "secrets", "", "ns", "")).level())
                .isEqualTo(AuditLevel.Metadata);
        assertThat(policy.evaluate(resource(ALICE, "get", "apps", "deployments", "", "ns", "web")).level())
                .isEqualTo(AuditLevel.Metadata);
        assertThat(policy.evaluate(resource(ALICE, "get", "", "pods", "", "ns", "p")).omitStages())
                .containsExactly(AuditStage.RequestReceived);
        assertThat(policy.recordsBodies()).isFalse();
    }

    @Test
    void theFirstMatchingRuleDecidesAndNoMatchIsNone() {
        AuditPolicy policy = policy("""
                omitStages: [RequestReceived]
                rules:
                  - level: None
                    users: [system:node:n1]
                    verbs: [get]
                  - level: RequestResponse
                    userGroups: [dev]
                    resources:
                      - group: ""
                        resources: [pods/log, "*/status"]
                  - level: Request
                    namespaces: [prod]
                    resources:
                      - group: apps
                        resources: [deployments]
                        resourceNames: [web]
                  - level: Metadata
                    resources:
                      - group: ""
                        resources: [pods/*]
                    omitStages: [ResponseStarted]
                  - level: Metadata
                    nonResourceURLs: [/apis/*]
                """);

        assertThat(policy.evaluate(resource(NODE, "get", "", "pods", "", "ns", "p")).level()).isEqualTo(AuditLevel.None);
        // only get is skipped for the node; as upstream, pods/* also matches pods itself
        assertThat(policy.evaluate(resource(NODE, "list", "", "pods", "", "ns", "")).level())
                .isEqualTo(AuditLevel.Metadata);
        assertThat(policy.evaluate(resource(ALICE, "get", "", "pods", "log", "ns", "p")).level())
                .isEqualTo(AuditLevel.RequestResponse);
        assertThat(policy.evaluate(resource(ALICE, "update", "", "nodes", "status", "", "n1")).level())
                .isEqualTo(AuditLevel.RequestResponse);
        assertThat(policy.evaluate(resource(ALICE, "update", "apps", "deployments", "", "prod", "web")).level())
                .isEqualTo(AuditLevel.Request);
        assertThat(policy.evaluate(resource(ALICE, "update", "apps", "deployments", "", "prod", "other")).level())
                .isEqualTo(AuditLevel.None);
        assertThat(policy.evaluate(resource(ALICE, "update", "apps", "deployments", "", "test", "web")).level())
                .isEqualTo(AuditLevel.None);
        AuditPolicy.Decision exec = policy.evaluate(resource(NODE, "create", "", "pods", "exec", "ns", "p"));
        assertThat(exec.level()).isEqualTo(AuditLevel.Metadata);
        assertThat(exec.omitStages()).containsExactlyInAnyOrder(AuditStage.RequestReceived, AuditStage.ResponseStarted);
        assertThat(policy.evaluate(resource(NODE, "create", "", "services", "", "ns", "p")).level())
                .isEqualTo(AuditLevel.None);
        assertThat(policy.evaluate(Attributes.nonResource(ALICE, "get", "/apis/apps")).level()).isEqualTo(AuditLevel.Metadata);
        assertThat(policy.evaluate(Attributes.nonResource(ALICE, "get", "/api")).level()).isEqualTo(AuditLevel.None);
        assertThat(policy.recordsBodies()).isTrue();
    }

    @Test
    void anInvalidPolicyIsRefusedNamingTheProblem() {
        assertThatThrownBy(() -> policy("rules:\n  - level: Everything\n"))
                .hasMessageContaining("unknown audit level 'Everything'");
        assertThatThrownBy(() -> policy("rules:\n  - verbs: [get]\n")).hasMessage("test: rule 1 has no level");
        assertThatThrownBy(() -> policy("omitStages: [Sometimes]\nrules: []\n"))
                .hasMessageContaining("unknown audit stage 'Sometimes'");
        assertThatThrownBy(() -> AuditPolicy.parse("kind: Pod".getBytes(StandardCharsets.UTF_8), "p.yaml"))
                .hasMessage("p.yaml: expected apiVersion audit.k8s.io/v1 and kind Policy");
    }
}
