package io.platform.server.login;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a sign-in or refresh left: the id_token kubectl sends as bearer token, and the refresh token
 * that renews it. The expiry is the id_token's {@code exp}, read without verifying the signature
 * (the API server verifies; the plugin only needs to know when to renew).
 */
record Tokens(String idToken, @Nullable String refreshToken) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    Instant expiry() {
        return Instant.ofEpochSecond(claims().path("exp").asLong(0));
    }

    JsonNode claims() {
        String[] parts = idToken.split("\\.");
        if (parts.length < 2) {
            throw new IllegalStateException("the id_token is not a JWT");
        }
        return JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    }
}
