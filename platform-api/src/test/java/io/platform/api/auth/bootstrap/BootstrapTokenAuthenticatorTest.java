package io.platform.api.auth.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.platform.api.auth.AuthenticatedUser;
import io.platform.api.auth.CachedObjects;
import io.platform.api.auth.TokenResult;
import io.platform.api.cache.WatchCache;
import io.platform.api.json.Json;
import io.platform.api.registry.BuiltinResources;
import io.platform.api.registry.ResourceType;
import io.platform.api.resource.ResourceStorage;
import io.platform.api.storage.Store;
import io.platform.api.storage.sql.SqlStore;
import io.platform.api.storage.sql.SqlStoreProperties;
import io.platform.api.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/** Bootstrap tokens against Secrets in a real store, as kube-apiserver's bootstrap token authenticator. */
class BootstrapTokenAuthenticatorTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final ResourceType NAMESPACES = BuiltinResources.find("", "v1", "namespaces").orElseThrow();
    private static final ResourceType SECRETS = BuiltinResources.find("", "v1", "secrets").orElseThrow();
    private static final String TOKEN = "abcdef.0123456789abcdef";

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private Store store;
    private ResourceStorage storage;
    private BootstrapTokenAuthenticator authenticator;

    @BeforeEach
    void start() {
        store = SqlStore.open(SqlStoreProperties.sqlite(dir.resolve("state.db")));
        storage = new ResourceStorage(store, clock);
        storage.create(NAMESPACES, null, Json.MAPPER.valueToTree(Map.of("metadata", Map.of("name", "kube-system"))),
                false);
        authenticator = new BootstrapTokenAuthenticator(new CachedObjects(new WatchCache(Duration.ZERO), store), clock);
    }

    @AfterEach
    void stop() {
        store.close();
    }

    @Test
    void aValidTokenIsItsBootstrapUserWithTheExtraGroups() {
        secret("abcdef", data(Map.of("auth-extra-groups",
                "system:bootstrappers:kubeadm:default-node-token, system:bootstrappers:worker")));
        TokenResult result = authenticator.authenticate(TOKEN, List.of("api")).block();
        assertThat(result.user()).isEqualTo(new AuthenticatedUser("system:bootstrap:abcdef", List.of(
                "system:bootstrappers", "system:bootstrappers:kubeadm:default-node-token",
                "system:bootstrappers:worker")));
        assertThat(result.audiences()).containsExactly("api");
    }

    @Test
    void anExpirationInTheFutureIsHonouredAndOneInThePastRefuses() {
        secret("abcdef", data(Map.of("expiration", "2026-01-01T01:00:00Z")));
        assertThat(authenticator.authenticate(TOKEN, List.of()).block().isAuthenticated()).isTrue();
        clock.advance(Duration.ofHours(1));
        assertNotAuthenticated(TOKEN);
    }

    @Test
    void tokensThatDoNotMatchTheirSecretAreNotAuthenticated() {
        assertNotAuthenticated(TOKEN);
        secret("abcdef", data(Map.of()));
        assertNotAuthenticated("abcdef.0123456789abcdee");
        assertNotAuthenticated("abcdef.0123456789ABCDEF");
        assertNotAuthenticated("abcdef:0123456789abcdef");

        secret("notusg", data(Map.of("token-id", "notusg", "usage-bootstrap-authentication", "false")));
        assertNotAuthenticated("notusg.0123456789abcdef");
        secret("badgrp", data(Map.of("token-id", "badgrp", "auth-extra-groups", "system:masters")));
        assertNotAuthenticated("badgrp.0123456789abcdef");
        secret("mismat", data(Map.of("token-id", "other1")));
        assertNotAuthenticated("mismat.0123456789abcdef");

        Map<String, Object> opaque = new HashMap<>(data(Map.of("token-id", "opaque")));
        opaque.put("type", "Opaque");
        storage.create(SECRETS, "kube-system", Json.MAPPER.valueToTree(withName(opaque, "bootstrap-token-opaque")),
                false);
        assertNotAuthenticated("opaque.0123456789abcdef");
    }

    @Test
    void extraGroupsMustBeBootstrapperGroups() {
        assertThat(BootstrapTokenAuthenticator.groups("")).contains(List.of("system:bootstrappers"));
        assertThat(BootstrapTokenAuthenticator.groups("system:bootstrappers:a,system:bootstrappers:a"))
                .contains(List.of("system:bootstrappers", "system:bootstrappers:a"));
        assertThat(BootstrapTokenAuthenticator.groups("system:bootstrappers:")).isEmpty();
        assertThat(BootstrapTokenAuthenticator.groups("system:nodes")).isEmpty();
    }

    private void assertNotAuthenticated(String token) {
        TokenResult result = authenticator.authenticate(token, List.of()).block();
        assertThat(result.isAuthenticated()).isFalse();
        assertThat(result.error()).isNull();
    }

    private static Map<String, Object> data(Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>(Map.of("token-id", "abcdef", "token-secret", "0123456789abcdef",
                "usage-bootstrap-authentication", "true"));
        values.putAll(overrides);
        return Map.of("type", "bootstrap.kubernetes.io/token", "stringData", values);
    }

    private void secret(String id, Map<String, Object> body) {
        ObjectNode secret = Json.MAPPER.valueToTree(withName(body, "bootstrap-token-" + id));
        storage.create(SECRETS, "kube-system", secret, false);
    }

    private static Map<String, Object> withName(Map<String, Object> body, String name) {
        Map<String, Object> named = new HashMap<>(body);
        named.put("metadata", Map.of("name", name));
        return named;
    }
}
