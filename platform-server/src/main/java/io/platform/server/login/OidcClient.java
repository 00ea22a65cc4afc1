package io.platform.server.login;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A public OIDC client as kubectl's exec plugin needs it: authorization code with PKCE through a
 * loopback redirect (RFC 8252), the device flow (RFC 8628), and refresh. Endpoints come from the
 * issuer's discovery document, so any OIDC provider works, not only the built-in one.
 */
final class OidcClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

    /** The provider refused (an OAuth error response); {@code error} is its code, e.g. invalid_grant. */
    static final class OidcException extends RuntimeException {
        private final String error;

        OidcException(String error, String message) {
            super(message);
            this.error = error;
        }

        String error() {
            return error;
        }
    }

    private final String issuer;
    private final String clientId;
    private final String scopes;
    private final HttpClient http;
    private final Clock clock;
    private @Nullable JsonNode discovery;

    OidcClient(String issuer, String clientId, String scopes, SSLContext ssl, Clock clock) {
        this.issuer = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        this.clientId = clientId;
        this.scopes = scopes;
        this.clock = clock;
        this.http = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * Signs in through the browser: listens on a loopback port, hands the authorization URL to
     * {@code openBrowser}, and exchanges the code the redirect brings back (state and PKCE checked).
     */
    Tokens authorizationCode(Consumer<URI> openBrowser, Duration timeout) {
        String verifier = random(32);
        String state = random(16);
        String nonce = random(16);
        CompletableFuture<Map<String, String>> callback = new CompletableFuture<>();
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on a loopback port for the sign-in redirect: " + e.getMessage(), e);
        }
        server.createContext("/callback", exchange -> {
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            boolean ok = state.equals(query.get("state")) && query.containsKey("code");
            byte[] page = (ok ? "Signed in. You can close this page and return to the terminal."
                    : "Sign-in failed: " + query.getOrDefault("error_description", query.getOrDefault("error", "no code")))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(ok ? 200 : 400, page.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(page);
            }
            callback.complete(query);
        });
        server.start();
        try {
            String redirectUri = "http://127.0.0.1:" + server.getAddress().getPort() + "/callback";
            Map<String, String> params = new LinkedHashMap<>();
            params.put("response_type", "code");
            params.put("client_id", clientId);
            params.put("redirect_uri", redirectUri);
            params.put("scope", scopes);
            params.put("state", state);
            params.put("nonce", nonce);
            params.put("code_challenge", challenge(verifier));
            params.put("code_challenge_method", "S256");
            openBrowser.accept(URI.create(endpoint("authorization_endpoint") + "?" + form(params)));
            Map<String, String> answer = callback.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (answer.containsKey("error")) {
                throw new OidcException(answer.get("error"), "the provider refused the sign-in: "
                        + answer.getOrDefault("error_description", answer.get("error")));
            }
            if (!state.equals(answer.get("state"))) {
                throw new OidcException("invalid_state", "the sign-in redirect carried another state; try again");
            }
            Tokens tokens = token(Map.of("grant_type", "authorization_code", "code", answer.getOrDefault("code", ""),
                    "redirect_uri", redirectUri, "client_id", clientId, "code_verifier", verifier));
            Object tokenNonce = tokens.claims().path("nonce").asString(null);
            if (tokenNonce != null && !nonce.equals(tokenNonce)) {
                throw new OidcException("invalid_nonce", "the id_token carries another nonce than requested");
            }
            return tokens;
        } catch (TimeoutException e) {
            throw new OidcException("timeout", "no sign-in within " + timeout.toSeconds() + "s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OidcException("interrupted", "interrupted while waiting for the sign-in");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            server.stop(0);
        }
    }

    /** Signs in with the device flow: prints where to go and the code, then polls until approved. */
    Tokens device(PrintStream err) {
        JsonNode started = post(endpoint("device_authorization_endpoint"), Map.of("client_id", clientId, "scope", scopes));
        String deviceCode = started.path("device_code").asString();
        String complete = started.path("verification_uri_complete").asString(null);
        err.println("To sign in, open " + started.path("verification_uri").asString() + " and enter the code "
                + started.path("user_code").asString());
        if (complete != null) {
            err.println("(or open " + complete + ")");
        }
        Duration interval = Duration.ofSeconds(Math.max(1, started.path("interval").asLong(5)));
        Instant deadline = clock.instant().plusSeconds(started.path("expires_in").asLong(600));
        while (clock.instant().isBefore(deadline)) {
            try {
                return token(Map.of("grant_type", DEVICE_GRANT, "device_code", deviceCode, "client_id", clientId));
            } catch (OidcException e) {
                switch (e.error()) {
                    case "authorization_pending" -> { }
                    // RFC 8628 section 3.5: wait five seconds longer from now on
                    case "slow_down" -> interval = interval.plusSeconds(5);
                    default -> throw e;
                }
            }
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OidcException("interrupted", "interrupted while waiting for the sign-in");
            }
        }
        throw new OidcException("expired_token", "the device code expired before the sign-in was approved");
    }

    /** Renews the id_token; the provider may rotate the refresh token (the old one is kept otherwise). */
    Tokens refresh(String refreshToken) {
        Tokens tokens = token(Map.of("grant_type", "refresh_token", "refresh_token", refreshToken, "client_id", clientId));
        return tokens.refreshToken() == null ? new Tokens(tokens.idToken(), refreshToken) : tokens;
    }

    private Tokens token(Map<String, String> params) {
        JsonNode body = post(endpoint("token_endpoint"), params);
        String idToken = body.path("id_token").asString(null);
        if (idToken == null) {
            throw new OidcException("no_id_token", "the provider answered without an id_token; is 'openid' among the scopes?");
        }
        return new Tokens(idToken, body.path("refresh_token").asString(null));
    }

    private String endpoint(String name) {
        if (discovery == null) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(issuer + "/.well-known/openid-configuration"))
                    .header("Accept", "application/json").GET().build());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the issuer " + issuer + " answered " + response.statusCode()
                        + " for its discovery document");
            }
            discovery = JSON.readTree(response.body());
        }
        String value = discovery.path(name).asString(null);
        if (value == null) {
            throw new IllegalStateException("the issuer " + issuer + " offers no " + name);
        }
        return value;
    }

    private JsonNode post(String uri, Map<String, String> params) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(uri))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form(params))).build());
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (RuntimeException e) {
            throw new IllegalStateException(uri + " answered " + response.statusCode() + " without JSON");
        }
        if (response.statusCode() != 200) {
            String error = body.path("error").asString("http_" + response.statusCode());
            throw new OidcException(error, uri + " refused: " + error
                    + (body.has("error_description") ? " (" + body.path("error_description").asString() + ")" : ""));
        }
        return body;
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach " + request.uri() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling " + request.uri());
        }
    }

    static String form(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    static Map<String, String> query(@Nullable String raw) {
        Map<String, String> values = new LinkedHashMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                values.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    private static String random(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }

    static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK offers no SHA-256", e);
        }
    }
}
