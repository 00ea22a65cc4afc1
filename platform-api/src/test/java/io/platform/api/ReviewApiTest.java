package io.platform.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.platform.api.pki.CertificateAuthority;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The create-only review APIs through the real server, answered by the RBAC authorizer (the admin is in
 * system:masters) and the token authenticator chain: what each answers, upstream's validation, and that nothing is
 * ever stored.
 */
class ReviewApiTest extends ApiServerTestSupport {

    private static final String AUTHORIZATION = "/apis/authorization.k8s.io/v1";
    private static final String AUTHENTICATION = "/apis/authentication.k8s.io/v1";

    @Test
    void selfSubjectAccessReviewsAreAllowedAndEchoTheSpec() {
        ObjectNode review = post(AUTHORIZATION + "/selfsubjectaccessreviews", selfReview(Map.of("resourceAttributes",
                Map.of("namespace", "x", "verb", "create", "group", "apps", "resource", "deployments"))), 201);
        assertThat(review.path("kind").asString()).isEqualTo("SelfSubjectAccessReview");
        assertThat(review.path("apiVersion").asString()).isEqualTo("authorization.k8s.io/v1");
        assertThat(review.at("/spec/resourceAttributes/resource").asString()).isEqualTo("deployments");
        assertThat(review.at("/status/allowed").asBoolean()).isTrue();
        assertThat(review.path("status").has("denied")).isFalse();

        ObjectNode nonResource = post(AUTHORIZATION + "/selfsubjectaccessreviews?dryRun=All",
                selfReview(Map.of("nonResourceAttributes", Map.of("path", "/healthz", "verb", "get"))), 201);
        assertThat(nonResource.at("/status/allowed").asBoolean()).isTrue();
    }

    @Test
    void accessReviewsNeedExactlyOneKindOfAttributes() {
        ObjectNode neither = post(AUTHORIZATION + "/selfsubjectaccessreviews", selfReview(Map.of()), 422);
        assertThat(neither.path("reason").asString()).isEqualTo("Invalid");
        assertThat(neither.path("message").asString()).isEqualTo("SelfSubjectAccessReview.authorization.k8s.io \"\""
                + " is invalid: spec.resourceAttributes: Invalid value: \"null\": exactly one of nonResourceAttributes"
                + " or resourceAttributes must be specified");
        assertThat(causeFields(neither)).containsExactly("spec.resourceAttributes");

        ObjectNode both = post(AUTHORIZATION + "/selfsubjectaccessreviews", selfReview(Map.of(
                "resourceAttributes", Map.of("verb", "get", "resource", "pods"),
                "nonResourceAttributes", Map.of("path", "/api", "verb", "get"))), 422);
        assertThat(both.at("/details/causes/0/message").asString()).isEqualTo("Invalid value:"
                + " authorization.NonResourceAttributes{Path:\"/api\", Verb:\"get\"}: cannot be specified in combination"
                + " with resourceAttributes");
        assertThat(causeFields(both)).containsExactly("spec.nonResourceAttributes");

        ObjectNode selectors = post(AUTHORIZATION + "/selfsubjectaccessreviews", selfReview(Map.of("resourceAttributes",
                Map.of("verb", "list", "resource", "pods",
                        "fieldSelector", Map.of("rawSelector", "spec.nodeName=n",
                                "requirements", List.of(Map.of("key", "spec.nodeName", "operator", "In"))),
                        "labelSelector", Map.of()))), 422);
        assertThat(causeFields(selectors)).containsExactly(
                "spec.resourceAttributes.fieldSelector.rawSelector",
                "spec.resourceAttributes.fieldSelector.requirements[0].values",
                "spec.resourceAttributes.labelSelector.requirements");

        ObjectNode named = post(AUTHORIZATION + "/selfsubjectaccessreviews",
                Map.of("apiVersion", "authorization.k8s.io/v1", "kind", "SelfSubjectAccessReview",
                        "metadata", Map.of("name", "mine"),
                        "spec", Map.of("nonResourceAttributes", Map.of("path", "/api", "verb", "get"))), 422);
        assertThat(causeFields(named)).containsExactly("metadata");
    }

    @Test
    void subjectAccessReviewsAskAboutANamedUserOrGroup() {
        ObjectNode nobody = post(AUTHORIZATION + "/subjectaccessreviews", review("SubjectAccessReview",
                Map.of("resourceAttributes", Map.of("verb", "get", "resource", "pods"))), 422);
        assertThat(nobody.at("/details/causes/0/field").asString()).isEqualTo("spec.user");
        assertThat(nobody.at("/details/causes/0/message").asString())
                .isEqualTo("Invalid value: \"\": at least one of user or group must be specified");

        ObjectNode allowed = post(AUTHORIZATION + "/subjectaccessreviews", review("SubjectAccessReview", Map.of(
                "user", "bob", "groups", List.of("system:masters"),
                "resourceAttributes", Map.of("namespace", "x", "verb", "delete", "resource", "secrets", "name", "s"))),
                201);
        assertThat(allowed.at("/status/allowed").asBoolean()).isTrue();
        assertThat(allowed.at("/spec/user").asString()).isEqualTo("bob");

        ObjectNode refused = post(AUTHORIZATION + "/subjectaccessreviews", review("SubjectAccessReview", Map.of(
                "user", "bob", "groups", List.of("dev"),
                "resourceAttributes", Map.of("namespace", "x", "verb", "delete", "resource", "secrets", "name", "s"))),
                201);
        assertThat(refused.at("/status/allowed").asBoolean()).isFalse();
    }

    @Test
    void localSubjectAccessReviewsStayInTheirNamespace() {
        String path = AUTHORIZATION + "/namespaces/x/localsubjectaccessreviews";
        ObjectNode allowed = post(path, review("LocalSubjectAccessReview", Map.of("groups", List.of("system:masters"),
                "resourceAttributes", Map.of("namespace", "x", "verb", "list", "resource", "pods"))), 201);
        assertThat(allowed.at("/status/allowed").asBoolean()).isTrue();
        assertThat(allowed.at("/metadata/namespace").asString()).isEqualTo("x");

        ObjectNode otherNamespace = post(path, review("LocalSubjectAccessReview", Map.of("user", "bob",
                "resourceAttributes", Map.of("namespace", "y", "verb", "list", "resource", "pods"))), 422);
        assertThat(otherNamespace.path("message").asString()).isEqualTo("LocalSubjectAccessReview.authorization.k8s.io"
                + " \"\" is invalid: spec.resourceAttributes.namespace: Invalid value: \"y\": must match"
                + " metadata.namespace");

        ObjectNode otherMetadata = post(path, Map.of("apiVersion", "authorization.k8s.io/v1",
                "kind", "LocalSubjectAccessReview", "metadata", Map.of("namespace", "y"),
                "spec", Map.of("user", "bob", "resourceAttributes", Map.of("namespace", "y", "verb", "get"))), 400);
        assertThat(otherMetadata.path("message").asString())
                .isEqualTo("the namespace of the provided object does not match the namespace sent on the request");

        ObjectNode nonResource = post(path, review("LocalSubjectAccessReview", Map.of("user", "bob",
                "nonResourceAttributes", Map.of("path", "/api", "verb", "get"))), 422);
        assertThat(causeFields(nonResource)).containsExactly("spec.nonResourceAttributes");
        assertThat(nonResource.at("/details/causes/0/message").asString()).endsWith("disallowed on this kind of request");
    }

    @Test
    void selfSubjectRulesReviewsListTheRequestersRbacRules() {
        ObjectNode missing = post(AUTHORIZATION + "/selfsubjectrulesreviews", review("SelfSubjectRulesReview", Map.of()),
                400);
        assertThat(missing.path("message").asString()).isEqualTo("no namespace on request");

        ObjectNode rules = post(AUTHORIZATION + "/selfsubjectrulesreviews",
                review("SelfSubjectRulesReview", Map.of("namespace", "default")), 201);
        assertThat(rules.path("kind").asString()).isEqualTo("SelfSubjectRulesReview");
        // the admin's cluster-admin binding (system:masters), besides what every authenticated user has
        assertThat(rules.at("/status/resourceRules").valueStream().map(JsonNode::toString))
                .contains("{\"verbs\":[\"*\"],\"apiGroups\":[\"*\"],\"resources\":[\"*\"]}");
        assertThat(rules.at("/status/nonResourceRules").valueStream().map(JsonNode::toString))
                .contains("{\"verbs\":[\"*\"],\"nonResourceURLs\":[\"*\"]}");
        assertThat(rules.at("/status/incomplete").isBoolean()).isTrue();
        assertThat(rules.at("/status/incomplete").asBoolean()).isFalse();
    }

    @Test
    void selfSubjectReviewsTellTheRequesterWhoTheyAre() {
        ObjectNode admin = post(AUTHENTICATION + "/selfsubjectreviews", review("SelfSubjectReview", null), 201);
        assertThat(admin.path("kind").asString()).isEqualTo("SelfSubjectReview");
        assertThat(admin.at("/status/userInfo/username").asString()).isEqualTo("admin");
        assertThat(strings(admin.at("/status/userInfo/groups"))).containsExactly("system:masters", "system:authenticated");
        assertThat(admin.at("/metadata/creationTimestamp").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");

        WebTestClient alice = client(CertificateAuthority.loadOrCreate(DATA_DIR.resolve("pki"))
                .issueClient("alice", List.of("dev", "ops")));
        ObjectNode aliceReview = exchange(alice.post().uri(AUTHENTICATION + "/selfsubjectreviews")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(review("SelfSubjectReview", null)), 201);
        assertThat(aliceReview.at("/status/userInfo/username").asString()).isEqualTo("alice");
        assertThat(strings(aliceReview.at("/status/userInfo/groups"))).containsExactly("dev", "ops", "system:authenticated");
    }

    @Test
    void tokenReviewsOfUnknownTokensAreUnauthenticated() {
        ObjectNode noToken = post(AUTHENTICATION + "/tokenreviews", review("TokenReview", Map.of()), 400);
        assertThat(noToken.path("message").asString()).isEqualTo("token is required for TokenReview in authentication");

        ObjectNode review = post(AUTHENTICATION + "/tokenreviews",
                review("TokenReview", Map.of("token", "abc.def.ghi", "audiences", List.of("api"))), 201);
        assertThat(review.at("/status/authenticated").asBoolean(true)).isFalse();
        assertThat(review.at("/status/user").isEmpty()).isTrue();
    }

    @Test
    void reviewsAreCreateOnlyAndNeverStored() {
        post(AUTHORIZATION + "/selfsubjectaccessreviews",
                selfReview(Map.of("nonResourceAttributes", Map.of("path", "/api", "verb", "get"))), 201);
        post(AUTHORIZATION + "/namespaces/default/localsubjectaccessreviews", review("LocalSubjectAccessReview",
                Map.of("user", "u", "resourceAttributes", Map.of("namespace", "default", "verb", "get"))), 201);
        post(AUTHENTICATION + "/selfsubjectreviews", review("SelfSubjectReview", null), 201);
        assertThat(store.count("/registry/authorization.k8s.io/")).isZero();
        assertThat(store.count("/registry/authentication.k8s.io/")).isZero();

        assertThat(get(AUTHORIZATION + "/selfsubjectaccessreviews", 405).path("reason").asString())
                .isEqualTo("MethodNotAllowed");
        get(AUTHORIZATION + "/selfsubjectaccessreviews?watch=true", 405);
        delete(AUTHENTICATION + "/tokenreviews", 405);
        get(AUTHORIZATION + "/namespaces/default/localsubjectaccessreviews", 405);
        get(AUTHORIZATION + "/selfsubjectaccessreviews/mine", 404);
        delete(AUTHENTICATION + "/selfsubjectreviews/mine", 404);
        get(AUTHORIZATION + "/namespaces/default/selfsubjectaccessreviews", 404);
    }

    @Test
    void reviewBodiesAreCheckedAsAnyCreate() {
        ObjectNode strict = post(AUTHORIZATION + "/selfsubjectaccessreviews?fieldValidation=Strict",
                selfReview(Map.of("nonResourceAttributes", Map.of("path", "/api", "verb", "get", "bogus", 1))), 400);
        assertThat(strict.path("message").asString())
                .isEqualTo("strict decoding error: unknown field \"spec.nonResourceAttributes.bogus\"");
        ObjectNode wrongKind = post(AUTHORIZATION + "/selfsubjectaccessreviews", review("SubjectAccessReview",
                Map.of("user", "u", "nonResourceAttributes", Map.of("path", "/api", "verb", "get"))), 400);
        assertThat(wrongKind.path("message").asString()).contains("does not match the expected kind");
        post(AUTHORIZATION + "/selfsubjectaccessreviews?dryRun=Bogus",
                selfReview(Map.of("nonResourceAttributes", Map.of("path", "/api", "verb", "get"))), 400);
    }

    @Test
    void discoveryAndOpenApiOfferOnlyCreate() {
        ObjectNode resources = get(AUTHORIZATION, 200);
        JsonNode ssar = resource(resources, "selfsubjectaccessreviews");
        assertThat(strings(ssar.path("verbs"))).containsExactly("create");
        assertThat(ssar.path("namespaced").asBoolean()).isFalse();
        assertThat(ssar.has("storageVersionHash")).isFalse();
        assertThat(resource(resources, "localsubjectaccessreviews").path("namespaced").asBoolean()).isTrue();
        assertThat(strings(resource(get(AUTHENTICATION, 200), "tokenreviews").path("verbs"))).containsExactly("create");

        ObjectNode aggregated = exchange(client().get().uri("/apis").accept(MediaType.parseMediaType(
                "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList")), 200);
        JsonNode authentication = aggregated.path("items").valueStream()
                .filter(item -> item.at("/metadata/name").asString().equals("authentication.k8s.io"))
                .findFirst().orElseThrow();
        JsonNode whoami = authentication.at("/versions/0/resources").valueStream()
                .filter(r -> r.path("resource").asString().equals("selfsubjectreviews")).findFirst().orElseThrow();
        assertThat(strings(whoami.path("verbs"))).containsExactly("create");
        assertThat(whoami.at("/responseKind/kind").asString()).isEqualTo("SelfSubjectReview");
        assertThat(whoami.path("scope").asString()).isEqualTo("Cluster");

        ObjectNode openApi = get("/openapi/v3/apis/authorization.k8s.io/v1", 200);
        JsonNode paths = openApi.path("paths");
        JsonNode local = paths.path("/apis/authorization.k8s.io/v1/namespaces/{namespace}/localsubjectaccessreviews");
        assertThat(local.path("post").path("operationId").asString())
                .isEqualTo("createAuthorizationV1NamespacedLocalSubjectAccessReview");
        assertThat(local.has("get")).isFalse();
        assertThat(paths.has("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews/{name}")).isFalse();
        assertThat(paths.has("/apis/authorization.k8s.io/v1/localsubjectaccessreviews")).isFalse();
        assertThat(openApi.at("/components/schemas/io.k8s.api.authorization.v1.SelfSubjectAccessReview"
                + "/x-kubernetes-group-version-kind/0/kind").asString()).isEqualTo("SelfSubjectAccessReview");
    }

    private static Map<String, Object> selfReview(Map<String, Object> spec) {
        return review("SelfSubjectAccessReview", spec);
    }

    private static Map<String, Object> review(String kind, Map<String, Object> spec) {
        String group = kind.equals("TokenReview") || kind.equals("SelfSubjectReview") ? "authentication.k8s.io"
                : "authorization.k8s.io";
        return spec == null ? Map.of("apiVersion", group + "/v1", "kind", kind)
                : Map.of("apiVersion", group + "/v1", "kind", kind, "spec", spec);
    }

    private static JsonNode resource(ObjectNode list, String name) {
        return list.path("resources").valueStream().filter(r -> r.path("name").asString().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no resource " + name + " in " + list));
    }

    private static List<String> causeFields(ObjectNode status) {
        return status.at("/details/causes").valueStream().map(c -> c.path("field").asString()).toList();
    }

    private static List<String> strings(JsonNode array) {
        return array.valueStream().map(JsonNode::asString).toList();
    }
}
