package io.platform.api.resource;

import io.platform.api.errors.ApiException;
import io.platform.api.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import tools.jackson.databind.node.ObjectNode;

/**
 * The opaque {@code continue} of a paged list: the revision the first page was read at and the
 * last key returned, base64-encoded JSON as upstream's etcd3 storage writes it.
 */
public record ContinueToken(long revision, String lastKey) {

    public String encode() {
        ObjectNode json = Json.object().put("v", "meta.k8s.io/v1").put("rv", revision).put("start", lastKey);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.bytes(json));
    }

    public static ContinueToken decode(String token) {
        try {
            ObjectNode json = Json.parseObject(Base64.getUrlDecoder().decode(token.replace('+', '-').replace('/', '_')));
            long revision = json.path("rv").asLong(0);
            String start = json.path("start").asString("");
            if (revision <= 0 || start.isEmpty()) {
                throw new IllegalArgumentException("missing revision or key");
            }
            return new ContinueToken(revision, start);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("continue key is not valid: " + e.getMessage());
        }
    }
}
