package io.platform.api.auth.serviceaccount;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import io.platform.api.json.Json;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The ServiceAccount issuer's discovery documents, as kube-apiserver serves them so that relying parties outside
 * the cluster can verify its tokens: {@code /.well-known/openid-configuration} (issuer, where the keys are, what
 * is signed how) and {@code /openid/v1/jwks} (the public half of every current signing key, by key id). Both are
 * public and may be cached for an hour, as upstream allows.
 */
final class IssuerDiscovery {

    static final String CONFIGURATION_PATH = "/.well-known/openid-configuration";
    static final String JWKS_PATH = "/openid/v1/jwks";
    private static final MediaType JWK_SET = MediaType.parseMediaType("application/jwk-set+json");
    private static final String CACHE_CONTROL = "public, max-age=3600";

    private IssuerDiscovery() {}

    static RouterFunction<ServerResponse> routes(String issuer, String jwksUri, SigningKeys keys) {
        byte[] configuration = Json.bytes(configuration(issuer, jwksUri));
        return RouterFunctions.route()
                .GET(CONFIGURATION_PATH, request -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
                        .header("Cache-Control", CACHE_CONTROL).bodyValue(configuration))
                .GET(JWKS_PATH, request -> Mono.fromSupplier(() -> jwks(keys))
                        .flatMap(body -> ServerResponse.ok().contentType(JWK_SET)
                                .header("Cache-Control", CACHE_CONTROL).bodyValue(body)))
                .build();
    }

    static ObjectNode configuration(String issuer, String jwksUri) {
        ObjectNode document = Json.object();
        document.put("issuer", issuer);
        document.put("jwks_uri", jwksUri);
        document.putArray("response_types_supported").add("id_token");
        document.putArray("subject_types_supported").add("public");
        ArrayNode algorithms = document.putArray("id_token_signing_alg_values_supported");
        algorithms.add(JWSAlgorithm.RS256.getName());
        return document;
    }

    /** The JWK set of the current keys: RSA, use {@code sig}, RS256, {@code kid} as in the tokens' headers. */
    static String jwks(SigningKeys keys) {
        List<JWK> jwks = keys.all().stream()
                .map(key -> (JWK) new RSAKey.Builder(key.publicKey())
                        .keyID(key.keyId())
                        .keyUse(KeyUse.SIGNATURE)
                        .algorithm(JWSAlgorithm.RS256)
                        .build())
                .toList();
        return new JWKSet(jwks).toString(true);
    }
}
