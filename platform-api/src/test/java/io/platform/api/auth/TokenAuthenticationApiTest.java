package io.platform.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.platform.api.ApiServerProperties;
import io.platform.api.ApiServerTestSupport;
import io.platform.api.json.Json;
import io.platform.api.pki.CertificateAuthority;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Bearer tokens, anonymous requests and impersonation through the real API server over TLS, with the default
 * authorization (RBAC behind system:masters): a ServiceAccount token from TokenRequest is that ServiceAccount with
 * its RBAC rights, TokenReview reports it, bad tokens and missing credentials are 401 except on the public paths,
 * and impersonation needs the impersonate verb.
 */
class TokenAuthenticationApiTest extends ApiServerTestSupport {

    private static final String ISSUER = "https://kubernetes.default.svc.cluster.local";
    private static final String AUTHENTICATION = "/apis/authentication.k8s.io/v1";
    private static final String RBAC = "/apis/rbac.authorization.k8s.io/v1";

    @Autowired
    ApiServerProperties properties;

    @Test
    void aRequestedTokenAuthenticatesAsItsServiceAccountWithItsRbacRights() {
        String namespace = newNamespace();
        String uid = post("/api/v1/namespaces/" + namespace + "/serviceaccounts",
                Map.of("metadata", Map.of("name", "robot")), 201).at("/metadata/uid").asString();
        ObjectNode issued = post("/api/v1/namespaces/" + namespace + "/serviceaccounts/robot/token",
                Map.of("apiVersion", "authentication.k8s.io/v1", "kind", "TokenRequest", "spec", Map.of()), 201);
        assertThat(issued.at("/spec/audiences/0").asString()).isEqualTo(ISSUER);
        assertThat(issued.at("/spec/expirationSeconds").asLong()).isEqualTo(3600);
        String token = issued.at("/status/token").asString();

        ObjectNode whoami = exchange(bearer(token).post().uri(AUTHENTICATION + "/selfsubjectreviews")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("apiVersion", "authentication.k8s.io/v1", "kind", "SelfSubjectReview")), 201);
        JsonNode userInfo = whoami.at("/status/userInfo");
        assertThat(userInfo.path("username").asString()).isEqualTo("system:serviceaccount:" + namespace + ":robot");
        assertThat(userInfo.path("uid").asString()).isEqualTo(uid);
        assertThat(Json.strings(userInfo.path("groups"))).containsExactly("system:serviceaccounts",
                "system:serviceaccounts:" + namespace, "system:authenticated");
        assertThat(Json.strings(userInfo.at("/extra/authentication.kubernetes.io~1credential-id")))
                .singleElement().asString().startsWith("JTI=");

        ObjectNode forbidden = exchange(bearer(token).get().uri("/api/v1/namespaces/" + namespace + "/pods"), 403);
        assertThat(forbidden.path("message").asString()).isEqualTo("pods is forbidden: User \"system:serviceaccount:"
                + namespace + ":robot\" cannot list resource \"pods\" in API group \"\" in the namespace \""
                + namespace + "\"");
        post(RBAC + "/namespaces/" + namespace + "/roles", Map.of("metadata", Map.of("name", "pod-reader"),
                "rules", List.of(Map.of("apiGroups", List.of(""), "resources", List.of("pods"),
                        "verbs", List.of("list")))), 201);
        post(RBAC + "/namespaces/" + namespace + "/rolebindings", Map.of("metadata", Map.of("name", "robot-reads"),
                "roleRef", Map.of("apiGroup", "rbac.authorization.k8s.io", "kind", "Role", "name", "pod-reader"),
                "subjects", List.of(Map.of("kind", "ServiceAccount", "name", "robot", "namespace", namespace))), 201);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                bearer(token).get().uri("/api/v1/namespaces/" + namespace + "/pods").exchange().expectStatus().isOk());
    }

    @Test
    void aTokenReviewReportsTheServiceAccountAndItsAudiences() {
        String namespace = newNamespace();
        post("/api/v1/namespaces/" + namespace + "/serviceaccounts", Map.of("metadata", Map.of("name", "robot")), 201);
        String token = post("/api/v1/namespaces/" + namespace + "/serviceaccounts/robot/token",
                Map.of("spec", Map.of("audiences", List.of("vault"))), 201).at("/status/token").asString();

        ObjectNode review = post(AUTHENTICATION + "/tokenreviews", Map.of("apiVersion", "authentication.k8s.io/v1",
                "kind", "TokenReview", "spec", Map.of("token", token, "audiences", List.of("vault"))), 201);
        assertThat(review.at("/status/authenticated").asBoolean()).isTrue();
        assertThat(review.at("/status/user/username").asString())
                .isEqualTo("system:serviceaccount:" + namespace + ":robot");
        assertThat(review.at("/status/user/uid").asString()).isNotEmpty();
        assertThat(Json.strings(review.at("/status/audiences"))).containsExactly("vault");

        // a token for vault is no good for the API server itself
        ObjectNode forApi = post(AUTHENTICATION + "/tokenreviews", Map.of("spec", Map.of("token", token)), 201);
        assertThat(forApi.at("/status/authenticated").asBoolean()).isFalse();
        assertThat(forApi.at("/status/error").asString())
                .isEqualTo("token audiences [\"vault\"] is invalid for the target audiences [\"" + ISSUER + "\"]");
        exchange(bearer(token).get().uri("/api"), 401);
    }

    @Test
    void aTokenRequestForAMissingServiceAccountIsNotFound() {
        String namespace = newNamespace();
        ObjectNode missing = post("/api/v1/namespaces/" + namespace + "/serviceaccounts/nobody/token",
                Map.of("spec", Map.of()), 404);
        assertThat(missing.path("message").asString()).isEqualTo("serviceaccounts \"nobody\" not found");
        ObjectNode notAllowed = exchange(client().get().uri("/api/v1/namespaces/" + namespace
                + "/serviceaccounts/nobody/token"), 405);
        assertThat(notAllowed.path("reason").asString()).isEqualTo("MethodNotAllowed");
    }

    @Test
    void invalidTokensAreUnauthorizedAndAnonymousRequestsReachOnlyThePublicPaths() {
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"RS256\"}".getBytes())
                + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(("{\"iss\":\"" + ISSUER
                + "\",\"sub\":\"system:serviceaccount:default:default\"}").getBytes()) + ".c2ln";
        for (String token : List.of("not-a-token", forged)) {
            for (String path : List.of("/api/v1/namespaces", "/version")) {
                ObjectNode status = exchange(bearer(token).get().uri(path), 401);
                assertThat(status.path("kind").asString()).isEqualTo("Status");
                assertThat(status.path("reason").asString()).isEqualTo("Unauthorized");
                assertThat(status.path("message").asString()).isEqualTo("Unauthorized");
            }
        }

        WebTestClient anonymous = client(null);
        exchange(anonymous.get().uri("/api"), 401);
        exchange(anonymous.get().uri("/api/v1/namespaces/default/pods"), 401);
        exchange(anonymous.get().uri("/version"), 200);
        ObjectNode discovery = exchange(anonymous.get().uri("/.well-known/openid-configuration"), 200);
        assertThat(discovery.path("issuer").asString()).isEqualTo(ISSUER);
        assertThat(discovery.path("jwks_uri").asString()).isEqualTo(ISSUER + "/openid/v1/jwks");
        assertThat(Json.strings(discovery.path("response_types_supported"))).containsExactly("id_token");
        assertThat(Json.strings(discovery.path("subject_types_supported"))).containsExactly("public");
        assertThat(Json.strings(discovery.path("id_token_signing_alg_values_supported"))).containsExactly("RS256");

        String namespace = newNamespace();
        post("/api/v1/namespaces/" + namespace + "/serviceaccounts", Map.of("metadata", Map.of("name", "robot")), 201);
        String token = post("/api/v1/namespaces/" + namespace + "/serviceaccounts/robot/token", Map.of(), 201)
                .at("/status/token").asString();
        String keyId = Json.parseObject(Base64.getUrlDecoder().decode(token.split("\\.")[0])).path("kid").asString();
        ObjectNode jwks = exchange(anonymous.get().uri("/openid/v1/jwks"), 200);
        assertThat(jwks.path("keys").valueStream().map(key -> key.path("kid").asString())).contains(keyId);
        assertThat(jwks.path("keys").valueStream()).allSatisfy(key -> {
            assertThat(key.path("kty").asString()).isEqualTo("RSA");
            assertThat(key.path("use").asString()).isEqualTo("sig");
            assertThat(key.path("alg").asString()).isEqualTo("RS256");
            assertThat(key.has("d")).as("no private part").isFalse();
        });
    }

    @Test
    void anAdminImpersonatesAndTheImpersonatedUserIsAuthorizedAsItself() {
        String namespace = newNamespace();
        ObjectNode whoami = exchange(client().post().uri(AUTHENTICATION + "/selfsubjectreviews")
                .header("Impersonate-User", "bob").header("Impersonate-Group", "dev")
                .header("Impersonate-Extra-Scopes", "view")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("kind", "SelfSubjectReview",
                        "apiVersion", "authentication.k8s.io/v1")), 201);
        assertThat(whoami.at("/status/userInfo/username").asString()).isEqualTo("bob");
        assertThat(Json.strings(whoami.at("/status/userInfo/groups"))).containsExactly("dev", "system:authenticated");
        assertThat(Json.strings(whoami.at("/status/userInfo/extra/scopes"))).containsExactly("view");

        ObjectNode asBob = exchange(client().get().uri("/api/v1/namespaces/" + namespace + "/pods")
                .header("Impersonate-User", "bob"), 403);
        assertThat(asBob.path("message").asString()).isEqualTo("pods is forbidden: User \"bob\" cannot list resource"
                + " \"pods\" in API group \"\" in the namespace \"" + namespace + "\"");
        exchange(client().get().uri("/api/v1/namespaces/" + namespace + "/pods")
                .header("Impersonate-User", "system:serviceaccount:" + namespace + ":default")
                .header("Impersonate-Group", "system:masters"), 200);
    }

    @Test
    void impersonationNeedsTheImpersonateVerb() {
        WebTestClient alice = client(CertificateAuthority.loadOrCreate(properties.pkiDir())
                .issueClient("alice-" + System.nanoTime(), List.of()));
        String aliceName = exchange(alice.post().uri(AUTHENTICATION + "/selfsubjectreviews")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("kind", "SelfSubjectReview",
                        "apiVersion", "authentication.k8s.io/v1")), 201).at("/status/userInfo/username").asString();
        ObjectNode refused = exchange(alice.get().uri("/api").header("Impersonate-User", "bob"), 403);
        assertThat(refused.path("reason").asString()).isEqualTo("Forbidden");
        assertThat(refused.path("message").asString()).isEqualTo("users \"bob\" is forbidden: User \"" + aliceName
                + "\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope");
        assertThat(refused.at("/details/kind").asString()).isEqualTo("users");

        post(RBAC + "/clusterroles", Map.of("metadata", Map.of("name", aliceName + "-impersonates-bob"),
                "rules", List.of(Map.of("apiGroups", List.of(""), "resources", List.of("users"),
                        "resourceNames", List.of("bob"), "verbs", List.of("impersonate")))), 201);
        post(RBAC + "/clusterrolebindings", Map.of("metadata", Map.of("name", aliceName + "-impersonates-bob"),
                "roleRef", Map.of("apiGroup", "rbac.authorization.k8s.io", "kind", "ClusterRole",
                        "name", aliceName + "-impersonates-bob"),
                "subjects", List.of(Map.of("apiGroup", "rbac.authorization.k8s.io", "kind", "User",
                        "name", aliceName))), 201);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(exchange(alice.post()
                .uri(AUTHENTICATION + "/selfsubjectreviews").header("Impersonate-User", "bob")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("kind", "SelfSubjectReview",
                        "apiVersion", "authentication.k8s.io/v1")), 201).at("/status/userInfo/username").asString())
                .isEqualTo("bob"));
        // bob only: another user, or a group on top, still needs its own grant
        exchange(alice.get().uri("/api").header("Impersonate-User", "carol"), 403);
        ObjectNode group = exchange(alice.get().uri("/api").header("Impersonate-User", "bob")
                .header("Impersonate-Group", "system:masters"), 403);
        assertThat(group.path("message").asString()).startsWith("groups \"system:masters\" is forbidden: User \"" + aliceName
                + "\" cannot impersonate resource \"groups\" in API group \"\" at the cluster scope");
    }

    private WebTestClient bearer(String token) {
        return client(null).mutate().defaultHeader("Authorization", "Bearer " + token).build();
    }
}
