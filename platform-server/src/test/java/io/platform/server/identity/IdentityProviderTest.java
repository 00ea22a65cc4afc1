package io.platform.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The built-in provider on a free loopback port, driven as a browser and kubectl's plugin would. */
class IdentityProviderTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final PasswordEncoder PASSWORDS = PasswordEncoderFactories.createDelegatingPasswordEncoder();
    private static final String CALLBACK = "http://127.0.0.1:38111/callback";

    @TempDir
    static Path dataDir;

    private static ConfigurableApplicationContext provider;
    private static String issuer;
    private static TestBrowser client;
    private static LocalUsers users;

    @BeforeAll
    static void start() {
        provider = startProvider(dataDir);
        issuer = provider.getEnvironment().getProperty("platform.identity.issuer");
        client = new TestBrowser(dataDir.resolve("pki/ca.crt"));
        users = LocalUsers.open(dataDir);
        users.add("alice", PASSWORDS.encode("correct horse battery"), "alice@example.com", List.of("developers", "viewers"));
    }

    @AfterAll
    static void stop() {
        if (provider != null) {
            provider.close();
        }
    }

    static ConfigurableApplicationContext startProvider(Path dataDir) {
        int port = freePort();
        String issuer = IdentityProviderApplication.issuer("127.0.0.1", port);
        return IdentityProviderApplication.builder()
                .properties(IdentityProviderApplication.properties(dataDir, "127.0.0.1", port, issuer))
                .run();
    }

    @Test
    void authorizationCodeWithPkceGivesAnIdTokenWithTheUsersNameAndGroups() throws Exception {
        Map<String, String> tokens = signInWithCode(new TestBrowser(dataDir.resolve("pki/ca.crt")), "alice",
                "correct horse battery");

        SignedJWT idToken = verified(tokens.get("id_token"));
        assertThat(idToken.getJWTClaimsSet().getIssuer()).isEqualTo(issuer);
        assertThat(idToken.getJWTClaimsSet().getAudience()).containsExactly("kubectl");
        assertThat(idToken.getJWTClaimsSet().getStringClaim("preferred_username")).isEqualTo("alice");
        assertThat(idToken.getJWTClaimsSet().getStringListClaim("groups")).containsExactly("developers", "viewers");
        assertThat(idToken.getJWTClaimsSet().getStringClaim("email")).isEqualTo("alice@example.com");
        assertThat(idToken.getJWTClaimsSet().getStringClaim("nonce")).isEqualTo("n-0");
        // id-token-ttl (15m), not Spring's fixed 30 minutes
        assertThat(idToken.getJWTClaimsSet().getExpirationTime().getTime()
                - idToken.getJWTClaimsSet().getIssueTime().getTime()).isEqualTo(15 * 60 * 1000L);
        assertThat(tokens.get("refresh_token")).isNotBlank();
    }

    @Test
    void aRefreshGivesANewIdTokenAndRotatesTheRefreshToken() throws Exception {
        Map<String, String> first = signInWithCode(new TestBrowser(dataDir.resolve("pki/ca.crt")), "alice",
                "correct horse battery");

        HttpResponse<String> refreshed = token(Map.of("grant_type", "refresh_token",
                "refresh_token", first.get("refresh_token"), "client_id", "kubectl"));

        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(refreshed.body());
        SignedJWT idToken = verified(body.get("id_token").asString());
        assertThat(idToken.getJWTClaimsSet().getStringClaim("preferred_username")).isEqualTo("alice");
        assertThat(idToken.getJWTClaimsSet().getStringListClaim("groups")).containsExactly("developers", "viewers");
        assertThat(body.get("refresh_token").asString()).isNotEqualTo(first.get("refresh_token"));
        HttpResponse<String> reused = token(Map.of("grant_type", "refresh_token",
                "refresh_token", first.get("refresh_token"), "client_id", "kubectl"));
        assertThat(reused.statusCode()).isEqualTo(400);
        assertThat(reused.body()).contains("invalid_grant");
    }

    @Test
    void aRemovedUserCannotRefresh() {
        users.add("bob", PASSWORDS.encode("bobs password 1"), null, List.of("testers"));
        Map<String, String> tokens = signInWithCode(new TestBrowser(dataDir.resolve("pki/ca.crt")), "bob",
                "bobs password 1");
        assertThat(users.remove("bob")).isTrue();

        HttpResponse<String> refreshed = token(Map.of("grant_type", "refresh_token",
                "refresh_token", tokens.get("refresh_token"), "client_id", "kubectl"));

        assertThat(refreshed.statusCode()).isEqualTo(400);
        assertThat(refreshed.body()).contains("invalid_grant");
    }

    @Test
    void aWrongPasswordGetsNoCode() {
        TestBrowser browser = new TestBrowser(dataDir.resolve("pki/ca.crt"));
        HttpResponse<String> last = browser.signIn(authorizeUri(challenge("v".repeat(50)), "s-1", "n-1"), "alice",
                "wrong password");

        assertThat(last.statusCode()).isEqualTo(302);
        assertThat(last.headers().firstValue("Location").orElseThrow()).contains("/login?error")
                .doesNotContain("code=");
    }

    @Test
    void aCodeWithoutTheMatchingVerifierIsRefused() {
        String verifier = randomVerifier();
        TestBrowser browser = new TestBrowser(dataDir.resolve("pki/ca.crt"));
        URI callback = callback(browser.signIn(authorizeUri(challenge(verifier), "s-2", "n-2"), "alice",
                "correct horse battery"));

        HttpResponse<String> response = token(Map.of("grant_type", "authorization_code",
                "code", TestBrowser.query(callback).get("code"), "redirect_uri", CALLBACK, "client_id", "kubectl",
                "code_verifier", randomVerifier()));

        assertThat(response.statusCode()).isIn(400, 401);
    }

    @Test
    void theDeviceFlowGivesAnIdTokenOnceThePersonApproved() throws Exception {
        HttpResponse<String> started = post("/oauth2/device_authorization",
                Map.of("client_id", "kubectl", "scope", "openid profile email groups offline_access"));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        JsonNode device = JSON.readTree(started.body());
        assertThat(device.get("verification_uri").asString()).isEqualTo(issuer + "/activate");
        Map<String, String> poll = Map.of("grant_type", "urn:ietf:params:oauth:grant-type:device_code",
                "device_code", device.get("device_code").asString(), "client_id", "kubectl");
        assertThat(token(poll).body()).contains("authorization_pending");

        TestBrowser browser = new TestBrowser(dataDir.resolve("pki/ca.crt"));
        HttpResponse<String> form = browser.get(URI.create(device.get("verification_uri").asString()));
        assertThat(form.body()).contains("name=\"user_code\"");
        HttpResponse<String> approved = browser.signIn(URI.create(device.get("verification_uri_complete").asString()),
                "alice", "correct horse battery");
        assertThat(approved.statusCode()).isEqualTo(200);
        assertThat(approved.body()).contains("signed in");

        HttpResponse<String> granted = token(poll);
        assertThat(granted.statusCode()).as(granted.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(granted.body());
        SignedJWT idToken = verified(body.get("id_token").asString());
        assertThat(idToken.getJWTClaimsSet().getStringClaim("preferred_username")).isEqualTo("alice");
        assertThat(idToken.getJWTClaimsSet().getStringListClaim("groups")).containsExactly("developers", "viewers");
        HttpResponse<String> refreshed = token(Map.of("grant_type", "refresh_token",
                "refresh_token", body.get("refresh_token").asString(), "client_id", "kubectl"));
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
        assertThat(JSON.readTree(refreshed.body()).get("id_token").asString()).isNotBlank();
    }

    @Test
    void theSigningKeySurvivesARestart() throws Exception {
        String before = client.get(URI.create(issuer + "/oauth2/jwks")).body();
        try (ConfigurableApplicationContext second = startProvider(dataDir)) {
            String secondIssuer = second.getEnvironment().getProperty("platform.identity.issuer");
            String after = client.get(URI.create(secondIssuer + "/oauth2/jwks")).body();
            assertThat(JWKSet.parse(after).getKeys()).extracting(k -> k.getKeyID())
                    .containsExactlyElementsOf(JWKSet.parse(before).getKeys().stream().map(k -> k.getKeyID()).toList());
        }
    }

    @Test
    void aRefreshTokenStillWorksAfterARestart() throws Exception {
        Map<String, String> tokens = signInWithCode(new TestBrowser(dataDir.resolve("pki/ca.crt")), "alice",
                "correct horse battery");

        // a second provider on the same data dir, as after a restart of the platform
        try (ConfigurableApplicationContext restarted = startProvider(dataDir)) {
            String restartedIssuer = restarted.getEnvironment().getProperty("platform.identity.issuer");
            HttpResponse<String> refreshed = client.postForm(URI.create(restartedIssuer + "/oauth2/token"),
                    Map.of("grant_type", "refresh_token", "refresh_token", tokens.get("refresh_token"),
                            "client_id", "kubectl"));

            assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
            assertThat(SignedJWT.parse(JSON.readTree(refreshed.body()).get("id_token").asString()).getJWTClaimsSet()
                    .getStringListClaim("groups")).containsExactly("developers", "viewers");
        }
    }

    @Test
    void discoveryNamesTheEndpointsKubectlNeeds() throws Exception {
        JsonNode discovery = JSON.readTree(client.get(URI.create(issuer + "/.well-known/openid-configuration")).body());

        assertThat(discovery.get("issuer").asString()).isEqualTo(issuer);
        assertThat(discovery.get("authorization_endpoint").asString()).isEqualTo(issuer + "/oauth2/authorize");
        assertThat(discovery.get("token_endpoint").asString()).isEqualTo(issuer + "/oauth2/token");
        assertThat(discovery.get("device_authorization_endpoint").asString()).isEqualTo(issuer + "/oauth2/device_authorization");
        assertThat(discovery.get("jwks_uri").asString()).isEqualTo(issuer + "/oauth2/jwks");
    }

    static Map<String, String> signInWithCode(TestBrowser browser, String user, String password) {
        String verifier = randomVerifier();
        URI callback = callback(browser.signIn(authorizeUri(challenge(verifier), "s-0", "n-0"), user, password));
        Map<String, String> query = TestBrowser.query(callback);
        assertThat(query).containsEntry("state", "s-0").containsKey("code");
        HttpResponse<String> response = token(Map.of("grant_type", "authorization_code", "code", query.get("code"),
                "redirect_uri", CALLBACK, "client_id", "kubectl", "code_verifier", verifier));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        Map<String, String> tokens = new LinkedHashMap<>();
        body.properties().forEach(e -> tokens.put(e.getKey(), e.getValue().asString()));
        return tokens;
    }

    private static URI callback(HttpResponse<String> last) {
        assertThat(last.statusCode()).as(last.body()).isEqualTo(302);
        URI location = URI.create(last.headers().firstValue("Location").orElseThrow());
        assertThat(location.toString()).startsWith(CALLBACK);
        return location;
    }

    private static URI authorizeUri(String challenge, String state, String nonce) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", "kubectl");
        query.put("redirect_uri", CALLBACK);
        query.put("scope", "openid profile email groups offline_access");
        query.put("state", state);
        query.put("nonce", nonce);
        query.put("code_challenge", challenge);
        query.put("code_challenge_method", "S256");
        return URI.create(issuer + "/oauth2/authorize?" + TestBrowser.encode(query));
    }

    private static HttpResponse<String> token(Map<String, String> form) {
        return post("/oauth2/token", form);
    }

    private static HttpResponse<String> post(String path, Map<String, String> form) {
        return client.postForm(URI.create(issuer + path), form);
    }

    private static SignedJWT verified(String token) throws Exception {
        SignedJWT jwt = SignedJWT.parse(token);
        JWKSet keys = JWKSet.parse(client.get(URI.create(issuer + "/oauth2/jwks")).body());
        RSAKey key = (RSAKey) keys.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(key).as("signing key in the JWKS").isNotNull();
        assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();
        return jwt;
    }

    static String randomVerifier() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
