package io.platform.api.auth;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;

/**
 * Finds the bearer token of a request where kube-apiserver looks for one: the {@code Authorization: Bearer} header,
 * or, for WebSocket upgrades (browsers cannot set headers there), a subprotocol
 * {@code base64url.bearer.authorization.k8s.io.<token as unpadded base64url>}.
 *
 * @param token the token; null when the request carries none (or a malformed one, see {@code error})
 * @param error why the credentials are unusable, as upstream's WebSocket protocol authenticator answers; null when
 *     they are fine or absent
 * @param fromWebSocketProtocol whether the token came in a subprotocol, which must then be removed
 * @param remainingProtocols the other subprotocols, to pass on in place of the offered ones
 */
record BearerCredentials(@Nullable String token, @Nullable String error, boolean fromWebSocketProtocol,
        List<String> remainingProtocols) {

    static final String WEBSOCKET_PROTOCOL_PREFIX = "base64url.bearer.authorization.k8s.io.";
    static final String WEBSOCKET_PROTOCOL = "Sec-WebSocket-Protocol";

    private static final BearerCredentials NONE = new BearerCredentials(null, null, false, List.of());

    BearerCredentials {
        remainingProtocols = List.copyOf(remainingProtocols);
    }

    static BearerCredentials of(HttpHeaders headers) {
        BearerCredentials header = fromAuthorizationHeader(headers.getFirst(HttpHeaders.AUTHORIZATION));
        if (header.token() != null) {
            return header;
        }
        return isWebSocketUpgrade(headers) ? fromWebSocketProtocols(headers.getOrEmpty(WEBSOCKET_PROTOCOL)) : NONE;
    }

    boolean present() {
        return token != null || error != null;
    }

    /** As upstream's bearertoken authenticator: a scheme other than Bearer, or an empty token, is no token. */
    static BearerCredentials fromAuthorizationHeader(@Nullable String value) {
        if (value == null) {
            return NONE;
        }
        String[] parts = value.trim().split(" ", 3);
        if (parts.length < 2 || !parts[0].toLowerCase(Locale.ROOT).equals("bearer") || parts[1].isEmpty()) {
            return NONE;
        }
        return new BearerCredentials(parts[1], null, false, List.of());
    }

    private static boolean isWebSocketUpgrade(HttpHeaders headers) {
        String upgrade = headers.getFirst(HttpHeaders.UPGRADE);
        return upgrade != null && upgrade.trim().equalsIgnoreCase("websocket")
                && headers.getOrEmpty(HttpHeaders.CONNECTION).stream()
                        .anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("upgrade"));
    }

    /** As upstream's WebSocket protocol authenticator, including its refusals. */
    static BearerCredentials fromWebSocketProtocols(List<String> headerValues) {
        String token = null;
        List<String> remaining = new ArrayList<>();
        for (String headerValue : headerValues) {
            for (String raw : headerValue.split(",")) {
                String protocol = raw.trim();
                if (!protocol.startsWith(WEBSOCKET_PROTOCOL_PREFIX)) {
                    remaining.add(protocol);
                    continue;
                }
                if (token != null) {
                    return failed("multiple base64.bearer.authorization tokens specified");
                }
                byte[] decoded;
                try {
                    decoded = Base64.getUrlDecoder().decode(protocol.substring(WEBSOCKET_PROTOCOL_PREFIX.length()));
                } catch (IllegalArgumentException e) {
                    return failed("invalid base64.bearer.authorization token encoding");
                }
                try {
                    token = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(decoded)).toString();
                } catch (CharacterCodingException e) {
                    return failed("invalid base64.bearer.authorization token");
                }
            }
        }
        if (token == null || token.isEmpty()) {
            return NONE;
        }
        // the token's protocol is removed, so another must remain for the server to echo back
        if (remaining.isEmpty()) {
            return failed("missing additional subprotocol");
        }
        return new BearerCredentials(token, null, true, remaining);
    }

    private static BearerCredentials failed(String error) {
        return new BearerCredentials(null, error, false, List.of());
    }
}
