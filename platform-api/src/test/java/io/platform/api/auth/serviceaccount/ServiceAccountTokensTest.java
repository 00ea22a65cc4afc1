package io.platform.api.auth.serviceaccount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jwt.SignedJWT;
import io.platform.api.admission.AdmissionChain;
import io.platform.api.admission.ObjectLookup;
import io.platform.api.auth.ApiAudiences;
import io.platform.api.auth.AuthenticatedUser;
import io.platform.api.auth.CachedObjects;
import io.platform.api.auth.TokenResult;
import io.platform.api.authorization.node.NodeRestriction;
import io.platform.api.cache.WatchCache;
import io.platform.api.errors.ApiException;
import io.platform.api.json.Json;
import io.platform.api.registry.BuiltinResources;
import io.platform.api.registry.ResourceType;
import io.platform.api.resource.DeleteOptions;
import io.platform.api.resource.ObjectKeys;
import io.platform.api.resource.ResourceStorage;
import io.platform.api.resource.UpdateMode;
import io.platform.api.resource.WriteContext;
import io.platform.api.storage.KeyValue;
import io.platform.api.storage.Store;
import io.platform.api.storage.sql.SqlStore;
import io.platform.api.storage.sql.SqlStoreProperties;
import io.platform.api.testing.MutableClock;
import io.platform.api.watch.WatchHub;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * ServiceAccount tokens from TokenRequest to authentication, against a real store and watch cache: upstream's
 * claims, TokenRequest defaults and refusals, and every reason a token stops authenticating.
 */
class ServiceAccountTokensTest {

    private static final String ISSUER = "https://kubernetes.default.svc.cluster.local";
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration MAX_TOKEN = Duration.ofHours(48);
    private static final ResourceType NAMESPACES = BuiltinResources.find("", "v1", "namespaces").orElseThrow();
    private static final ResourceType NODES = BuiltinResources.find("", "v1", "nodes").orElseThrow();

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private Store store;
    private WatchHub hub;
    private ResourceStorage storage;
    private SigningKeys keys;
    private static final AuthenticatedUser REQUESTER = new AuthenticatedUser("admin", List.of("system:masters"));

    private TokenRequests requests;
    private WatchCache cache;
    private ServiceAccountTokenAuthenticator authenticator;

    @BeforeEach
    void start() {
        store = SqlStore.open(SqlStoreProperties.sqlite(dir.resolve("state.db")).withPollInterval(Duration.ofMillis(100)));
        cache = new WatchCache(Duration.ofSeconds(3));
        hub = new WatchHub(store, 1000, cache);
        hub.start();
        storage = new ResourceStorage(store, clock, cache);
        storage.create(NAMESPACES, null, object("{\"metadata\":{\"name\":\"ns\"}}"), false);
        keys = SigningKeys.open(dir.resolve("sa-signing"), clock, Duration.ofDays(30), MAX_TOKEN);
        ApiAudiences audiences = new ApiAudiences(List.of(ISSUER));
        requests = new TokenRequests(storage, new ServiceAccountTokenIssuer(keys, ISSUER), audiences, MAX_TOKEN, clock);
        authenticator = new ServiceAccountTokenAuthenticator(keys, ISSUER, audiences, new CachedObjects(cache, store),
                clock);
    }

    @AfterEach
    void stop() {
        hub.close();
        store.close();
        keys.close();
    }

    @Test
    void aRequestedTokenCarriesUpstreamsClaimsAndAuthenticatesAsItsServiceAccount() throws Exception {
        String uid = serviceAccount("robot");
        TokenRequests.Answer answer = requests.create("ns", "robot", tokenRequest(Map.of()), WriteContext.of(REQUESTER));
        ObjectNode issued = answer.tokenRequest();
        assertThat(answer.warnings()).isEmpty();
        assertThat(issued.path("kind").asString()).isEqualTo("TokenRequest");
        assertThat(issued.path("apiVersion").asString()).isEqualTo("authentication.k8s.io/v1");
        assertThat(issued.at("/metadata/name").asString()).isEqualTo("robot");
        assertThat(issued.at("/metadata/namespace").asString()).isEqualTo("ns");
        assertThat(issued.at("/spec/audiences/0").asString()).isEqualTo(ISSUER);
        assertThat(issued.at("/spec/expirationSeconds").asLong()).isEqualTo(3600);
        assertThat(issued.at("/status/expirationTimestamp").asString()).isEqualTo("2026-01-01T01:00:00Z");

        String token = issued.at("/status/token").asString();
        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("RS256");
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(keys.signing().keyId());
        JsonNode claims = payload(token);
        assertThat(claims.path("iss").asString()).isEqualTo(ISSUER);
        assertThat(claims.path("sub").asString()).isEqualTo("system:serviceaccount:ns:robot");
        assertThat(claims.path("aud").isArray() ? claims.path("aud").get(0).asString() : claims.path("aud").asString())
                .isEqualTo(ISSUER);
        assertThat(claims.path("iat").asLong()).isEqualTo(T0.getEpochSecond());
        assertThat(claims.path("nbf").asLong()).isEqualTo(T0.getEpochSecond());
        assertThat(claims.path("exp").asLong()).isEqualTo(T0.getEpochSecond() + 3600);
        assertThat(claims.path("jti").asString()).isNotEmpty();
        assertThat(claims.at("/kubernetes.io/namespace").asString()).isEqualTo("ns");
        assertThat(claims.at("/kubernetes.io/serviceaccount/name").asString()).isEqualTo("robot");
        assertThat(claims.at("/kubernetes.io/serviceaccount/uid").asString()).isEqualTo(uid);
        assertThat(claims.path("kubernetes.io").has("pod")).isFalse();

        TokenResult result = authenticator.authenticate(token, List.of()).block();
        assertThat(result.user()).isEqualTo(new AuthenticatedUser("system:serviceaccount:ns:robot", uid,
                List.of("system:serviceaccounts", "system:serviceaccounts:ns"),
                Map.of("authentication.kubernetes.io/credential-id", List.of("JTI=" + claims.path("jti").asString()))));
        assertThat(result.audiences()).containsExactly(ISSUER);
    }

    @Test
    void aPodBoundTokenNamesThePodAndItsNodeAndDiesWithThePod() throws Exception {
        serviceAccount("robot");
        String nodeUid = storage.create(NODES, null, object("{\"metadata\":{\"name\":\"n1\"}}"), false)
                .at("/metadata/uid").asString();
        String podUid = pod("web", "robot", "n1");
        ObjectNode issued = requests.create("ns", "robot", tokenRequest(Map.of("boundObjectRef",
                Map.of("kind", "Pod", "apiVersion", "v1", "name", "web", "uid", podUid))), WriteContext.of(REQUESTER)).tokenRequest();
        String token = issued.at("/status/token").asString();
        JsonNode claims = payload(token);
        assertThat(claims.at("/kubernetes.io/pod/name").asString()).isEqualTo("web");
        assertThat(claims.at("/kubernetes.io/pod/uid").asString()).isEqualTo(podUid);
        assertThat(claims.at("/kubernetes.io/node/name").asString()).isEqualTo("n1");
        assertThat(claims.at("/kubernetes.io/node/uid").asString()).isEqualTo(nodeUid);

        AuthenticatedUser user = authenticator.authenticate(token, List.of()).block().user();
        assertThat(user.extra()).containsEntry("authentication.kubernetes.io/pod-name", List.of("web"))
                .containsEntry("authentication.kubernetes.io/pod-uid", List.of(podUid))
                .containsEntry("authentication.kubernetes.io/node-name", List.of("n1"))
                .containsEntry("authentication.kubernetes.io/node-uid", List.of(nodeUid))
                .containsKey("authentication.kubernetes.io/credential-id");

        storage.update(ServiceAccountTokenAuthenticator.PODS, "ns", "web", UpdateMode.MAIN, false, current -> {
            Json.metadata(current).putArray("finalizers").add("test/keep");
            return current;
        });
        storage.delete(ServiceAccountTokenAuthenticator.PODS, "ns", "web", new DeleteOptions(0L, null, null, null),
                false);
        // marked for deletion just now: still valid within the leeway, as upstream
        assertThat(authenticator.authenticate(token, List.of()).block().isAuthenticated()).isTrue();
        clock.advance(Duration.ofSeconds(61));
        // the authenticator reads the pod from the watch cache, which sees the deletion a moment later
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(authenticator.authenticate(token, List.of()).block().error())
                        .isEqualTo("service account token has been invalidated"));
    }

    @Test
    void aTokenOfADeletedPodOrARecreatedOneIsRefused() throws Exception {
        serviceAccount("robot");
        String podUid = pod("web", "robot", null);
        String token = requests.create("ns", "robot", tokenRequest(Map.of("boundObjectRef",
                Map.of("kind", "Pod", "apiVersion", "v1", "name", "web"))), WriteContext.of(REQUESTER)).tokenRequest().at("/status/token").asString();
        assertThat(authenticator.authenticate(token, List.of()).block().isAuthenticated()).isTrue();

        storage.delete(ServiceAccountTokenAuthenticator.PODS, "ns", "web", DeleteOptions.defaults(), false);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                authenticator.authenticate(token, List.of()).block().error())
                .isEqualTo("service account token has been invalidated"));

        String recreated = pod("web", "robot", null);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                authenticator.authenticate(token, List.of()).block().error())
                .isEqualTo("pod UID (" + recreated + ") does not match service account pod ref claim (" + podUid + ")"));
    }

    @Test
    void aTokenOfADeletedOrRecreatedServiceAccountIsRefused() {
        String uid = serviceAccount("robot");
        String token = token("robot", Map.of());
        storage.delete(ServiceAccountTokenAuthenticator.SERVICE_ACCOUNTS, "ns", "robot", DeleteOptions.defaults(), false);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                authenticator.authenticate(token, List.of()).block().error())
                .isEqualTo("serviceaccounts \"robot\" not found"));

        String recreated = serviceAccount("robot");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                authenticator.authenticate(token, List.of()).block().error())
                .isEqualTo("service account UID (" + recreated + ") does not match claim (" + uid + ")"));
    }

    @Test
    void aServiceAccountRecreatedBeforeTheCacheSawItIsReadFromTheStore() {
        serviceAccount("robot");
        KeyValue stale = store.get(ObjectKeys.key(ServiceAccountTokenAuthenticator.SERVICE_ACCOUNTS, "ns", "robot"))
                .orElseThrow();
        storage.delete(ServiceAccountTokenAuthenticator.SERVICE_ACCOUNTS, "ns", "robot", DeleteOptions.defaults(), false);
        String newUid = serviceAccount("robot");
        WatchCache lagging = new WatchCache(Duration.ZERO);
        lagging.replace(List.of(stale), stale.modRevision());
        ServiceAccountTokenAuthenticator lagged = new ServiceAccountTokenAuthenticator(keys, ISSUER,
                new ApiAudiences(List.of(ISSUER)), new CachedObjects(lagging, store), clock);

        TokenResult fresh = lagged.authenticate(token("robot", Map.of()), List.of()).block();
        assertThat(fresh.error()).isNull();
        assertThat(fresh.user().uid()).isEqualTo(newUid);
    }

    @Test
    void aSecretBoundTokenDiesWithTheSecret() {
        serviceAccount("robot");
        ObjectNode secret = storage.create(ServiceAccountTokenAuthenticator.SECRETS, "ns",
                object("{\"metadata\":{\"name\":\"s\"}}"), false);
        String token = token("robot", Map.of("boundObjectRef", Map.of("kind", "Secret", "apiVersion", "v1",
                "name", "s", "uid", secret.at("/metadata/uid").asString())));
        assertThat(authenticator.authenticate(token, List.of()).block().user().extra())
                .doesNotContainKey("authentication.kubernetes.io/pod-name");
        storage.delete(ServiceAccountTokenAuthenticator.SECRETS, "ns", "s", DeleteOptions.defaults(), false);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                authenticator.authenticate(token, List.of()).block().error())
                .isEqualTo("service account token has been invalidated"));
    }

    @Test
    void anExpiredTokenIsRefusedAfterTheLeeway() {
        serviceAccount("robot");
        String token = token("robot", Map.of("expirationSeconds", 600));
        clock.advance(Duration.ofSeconds(600 + 60));
        assertThat(authenticator.authenticate(token, List.of()).block().isAuthenticated()).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(authenticator.authenticate(token, List.of()).block().error())
                .isEqualTo("service account token has expired");
    }

    @Test
    void aTokenIsGoodOnlyForItsAudiences() {
        serviceAccount("robot");
        String token = token("robot", Map.of("audiences", List.of("vault", "other")));
        assertThat(authenticator.authenticate(token, List.of()).block().error()).isEqualTo(
                "token audiences [\"vault\" \"other\"] is invalid for the target audiences [\"" + ISSUER + "\"]");
        TokenResult forVault = authenticator.authenticate(token, List.of("vault")).block();
        assertThat(forVault.isAuthenticated()).isTrue();
        assertThat(forVault.audiences()).containsExactly("vault");
    }

    @Test
    void aTokenSignedWithAnotherKeyIsRefusedAndAnotherIssuersIsLeftToOthers() {
        serviceAccount("robot");
        String uid = storage.get(ServiceAccountTokenAuthenticator.SERVICE_ACCOUNTS, "ns", "robot").at("/metadata/uid")
                .asString();
        TokenBinding binding = new TokenBinding("ns", new TokenBinding.Reference("robot", uid), null, null, null);
        try (SigningKeys foreign = SigningKeys.open(dir.resolve("foreign"), clock, Duration.ofDays(30), MAX_TOKEN)) {
            String forged = new ServiceAccountTokenIssuer(foreign, ISSUER).issue(binding, List.of(ISSUER),
                    clock.instant(), Duration.ofHours(1));
            assertThat(authenticator.authenticate(forged, List.of()).block().error())
                    .isEqualTo("invalid signature: the token is not signed by any current ServiceAccount signing key");
            String otherIssuer = new ServiceAccountTokenIssuer(foreign, "https://elsewhere.example").issue(binding,
                    List.of(ISSUER), clock.instant(), Duration.ofHours(1));
            TokenResult notOurs = authenticator.authenticate(otherIssuer, List.of()).block();
            assertThat(notOurs.isAuthenticated()).isFalse();
            assertThat(notOurs.error()).isNull();
        }
        assertThat(authenticator.authenticate("not-a-jwt", List.of()).block()).isEqualTo(TokenResult.notRecognised());
    }

    @Test
    void tokensOfARotatedKeyVerifyUntilTheKeyIsRetired() {
        serviceAccount("robot");
        try (SigningKeys hourly = SigningKeys.open(dir.resolve("hourly"), clock, Duration.ofHours(1), MAX_TOKEN)) {
            ApiAudiences audiences = new ApiAudiences(List.of(ISSUER));
            TokenRequests hourlyRequests = new TokenRequests(storage, new ServiceAccountTokenIssuer(hourly, ISSUER),
                    audiences, MAX_TOKEN, clock);
            ServiceAccountTokenAuthenticator hourlyAuthenticator = new ServiceAccountTokenAuthenticator(hourly, ISSUER,
                    audiences, new CachedObjects(new WatchCache(Duration.ZERO), store), clock);
            String old = hourlyRequests.create("ns", "robot", tokenRequest(Map.of("expirationSeconds",
                    MAX_TOKEN.toSeconds())), WriteContext.of(REQUESTER)).tokenRequest().at("/status/token").asString();

            clock.advance(Duration.ofHours(1));
            hourly.maintain();
            String current = hourlyRequests.create("ns", "robot", tokenRequest(Map.of()), WriteContext.of(REQUESTER)).tokenRequest()
                    .at("/status/token").asString();
            assertThat(keyId(current)).isEqualTo(hourly.signing().keyId()).isNotEqualTo(keyId(old));
            assertThat(hourlyAuthenticator.authenticate(old, List.of()).block().isAuthenticated()).isTrue();
            assertThat(hourlyAuthenticator.authenticate(current, List.of()).block().isAuthenticated()).isTrue();

            // the first key stopped signing an hour in; its last tokens are gone MAX_TOKEN and the leeway later
            clock.advance(MAX_TOKEN.plus(ServiceAccountTokenAuthenticator.LEEWAY));
            hourly.maintain();
            assertThat(hourly.all()).extracting(SigningKey::keyId).doesNotContain(keyId(old)).contains(keyId(current));
            assertThat(hourlyAuthenticator.authenticate(old, List.of()).block().error())
                    .isEqualTo("invalid signature: the token is not signed by any current ServiceAccount signing key");
        }
    }

    @Test
    void tokenRequestsAreRefusedAsUpstreamRefusesThem() {
        serviceAccount("robot");
        assertRefused(() -> requests.create("ns", "nobody", tokenRequest(Map.of()), WriteContext.of(REQUESTER)), 404,
                "serviceaccounts \"nobody\" not found");
        assertRefused(() -> requests.create("ns", "robot", tokenRequest(Map.of("expirationSeconds", 599)), WriteContext.of(REQUESTER)), 422,
                "TokenRequest.authentication.k8s.io \"\" is invalid: spec.expirationSeconds: Invalid value: 599:"
                        + " may not specify a duration less than 10 minutes");
        ObjectNode named = tokenRequest(Map.of());
        Json.metadata(named).put("name", "other");
        assertRefused(() -> requests.create("ns", "robot", named, WriteContext.of(REQUESTER)), 422,
                "TokenRequest.authentication.k8s.io \"robot\" is invalid: metadata.name: Invalid value: \"other\":"
                        + " must match the service account name if specified");
        assertRefused(() -> requests.create("ns", "robot", tokenRequest(Map.of("boundObjectRef",
                Map.of("kind", "Node", "apiVersion", "v1", "name", "n1"))), WriteContext.of(REQUESTER)), 400,
                "cannot bind token to object of type /v1, Kind=Node");
        assertRefused(() -> requests.create("ns", "robot", tokenRequest(Map.of("boundObjectRef",
                Map.of("kind", "Pod", "apiVersion", "v1", "name", "missing"))), WriteContext.of(REQUESTER)), 404, "pods \"missing\" not found");
        pod("other-sa", "someone-else", null);
        assertRefused(() -> requests.create("ns", "robot", tokenRequest(Map.of("boundObjectRef",
                Map.of("kind", "Pod", "apiVersion", "v1", "name", "other-sa"))), WriteContext.of(REQUESTER)), 400,
                "cannot bind token for serviceaccount \"robot\" to pod running with different serviceaccount name.");
        pod("web", "robot", null);
        assertRefused(() -> requests.create("ns", "robot", tokenRequest(Map.of("boundObjectRef",
                Map.of("kind", "Pod", "apiVersion", "v1", "name", "web", "uid", "stale"))), WriteContext.of(REQUESTER)), 409,
                "Operation cannot be fulfilled on Pod \"web\": the UID in the bound object reference (stale) does not"
                        + " match the UID in record. The object might have been deleted and then recreated");
    }

    @Test
    void aLifetimeAboveTheMaximumIsShortenedWithAWarning() {
        serviceAccount("robot");
        TokenRequests.Answer answer = requests.create("ns", "robot",
                tokenRequest(Map.of("expirationSeconds", 7 * 24 * 3600)), WriteContext.of(REQUESTER));
        assertThat(answer.warnings()).containsExactly(
                "requested expiration of 604800 seconds shortened to 172800 seconds");
        assertThat(answer.tokenRequest().at("/spec/expirationSeconds").asLong()).isEqualTo(172800);
        assertThat(payload(answer.tokenRequest().at("/status/token").asString()).path("exp").asLong())
                .isEqualTo(T0.getEpochSecond() + 172800);
    }

    @Test
    void tokenRequestsGoThroughAdmissionSoANodeGetsOnlyTokensOfItsOwnPods() {
        serviceAccount("robot");
        String mine = pod("mine", "robot", "n1");
        String theirs = pod("theirs", "robot", "n2");
        ResourceStorage admitted = new ResourceStorage(store, clock, cache,
                AdmissionChain.of(List.of(NodeRestriction.reading(new ObjectLookup(store, cache)))));
        TokenRequests nodeRequests = new TokenRequests(admitted, new ServiceAccountTokenIssuer(keys, ISSUER),
                new ApiAudiences(List.of(ISSUER)), MAX_TOKEN, clock);
        AuthenticatedUser node = new AuthenticatedUser("system:node:n1", List.of("system:nodes"));

        assertThat(nodeRequests.create("ns", "robot", tokenRequest(Map.of("boundObjectRef",
                Map.of("kind", "Pod", "apiVersion", "v1", "name", "mine", "uid", mine))), WriteContext.of(node)).tokenRequest()
                .at("/status/token").asString()).isNotEmpty();
        assertRefused(() -> nodeRequests.create("ns", "robot", tokenRequest(Map.of()), WriteContext.of(node)), 403,
                "serviceaccounts \"robot\" is forbidden: node requested token not bound to a pod");
        assertRefused(() -> nodeRequests.create("ns", "robot", tokenRequest(Map.of("boundObjectRef",
                Map.of("kind", "Pod", "apiVersion", "v1", "name", "theirs", "uid", theirs))), WriteContext.of(node)), 403,
                "serviceaccounts \"robot\" is forbidden: node requested token bound to a pod scheduled on a different node");
        assertThat(nodeRequests.create("ns", "robot", tokenRequest(Map.of()), WriteContext.of(REQUESTER)).tokenRequest()
                .at("/status/token").asString()).isNotEmpty();
    }

    private static void assertRefused(Runnable call, int code, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    private String serviceAccount(String name) {
        return storage.create(ServiceAccountTokenAuthenticator.SERVICE_ACCOUNTS, "ns",
                object("{\"metadata\":{\"name\":\"" + name + "\"}}"), false).at("/metadata/uid").asString();
    }

    private String pod(String name, String serviceAccount, String nodeName) {
        ObjectNode pod = object("{\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"serviceAccountName\":\""
                + serviceAccount + "\",\"containers\":[{\"name\":\"c\",\"image\":\"busybox:1.35\"}]}}");
        if (nodeName != null) {
            ((ObjectNode) pod.get("spec")).put("nodeName", nodeName);
        }
        return storage.create(ServiceAccountTokenAuthenticator.PODS, "ns", pod, false).at("/metadata/uid").asString();
    }

    private String token(String serviceAccount, Map<String, Object> spec) {
        return requests.create("ns", serviceAccount, tokenRequest(spec), WriteContext.of(REQUESTER)).tokenRequest().at("/status/token").asString();
    }

    private static ObjectNode tokenRequest(Map<String, Object> spec) {
        ObjectNode request = Json.MAPPER.valueToTree(Map.of("apiVersion", "authentication.k8s.io/v1",
                "kind", "TokenRequest", "spec", spec));
        return request;
    }

    private static JsonNode payload(String token) {
        return Json.parseObject(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    }

    private static ObjectNode object(String json) {
        return Json.parseObject(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String keyId(String token) {
        return Json.parseObject(Base64.getUrlDecoder().decode(token.split("\\.")[0])).path("kid").asString();
    }
}
