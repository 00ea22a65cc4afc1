package io.platform.server.identity;

import java.io.ByteArrayInputStream;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * What a person's browser does against the built-in provider, with a plain HttpClient: follows
 * redirects by hand (so the loopback callback is seen, not called), keeps cookies, fills in the
 * login form with its CSRF token.
 */
public final class TestBrowser {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");
    private static final Pattern HIDDEN = Pattern.compile("type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"");
    private static final Pattern SCOPE = Pattern.compile("name=\"scope\" value=\"([^\"]+)\"");
    private static final Pattern ACTION = Pattern.compile("<form name=\"consent_form\" method=\"post\" action=\"([^\"]+)\"");

    private final HttpClient client;

    public TestBrowser(Path caFile) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(caFile))));
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, factory.getTrustManagers(), null);
            client = HttpClient.newBuilder().sslContext(ssl).cookieHandler(new CookieManager())
                    .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> get(URI uri) {
        return send(HttpRequest.newBuilder(uri).header("Accept", "text/html").GET().build());
    }

    public HttpResponse<String> postForm(URI uri, Map<String, String> form) {
        return send(HttpRequest.newBuilder(uri).header("Accept", "text/html")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(form))).build());
    }

    /**
     * Opens {@code start} and follows redirects on the provider, signing in on the login form when
     * it appears, until a redirect leaves the provider (the loopback callback) or a page answers.
     * Returns the last response: a redirect to elsewhere, or the final page.
     */
    public HttpResponse<String> signIn(URI start, String user, String password) {
        HttpResponse<String> response = get(start);
        for (int hops = 0; hops < 10; hops++) {
            if (response.statusCode() / 100 == 3) {
                URI next = response.uri().resolve(response.headers().firstValue("Location").orElseThrow());
                if (!next.getAuthority().equals(start.getAuthority())) {
                    return response;
                }
                response = get(next);
            } else if (response.statusCode() == 200 && response.body().contains("name=\"password\"")) {
                Matcher csrf = CSRF.matcher(response.body());
                Map<String, String> form = new LinkedHashMap<>();
                form.put("username", user);
                form.put("password", password);
                if (csrf.find()) {
                    form.put("_csrf", csrf.group(1));
                }
                HttpResponse<String> posted = postForm(response.uri().resolve("/login"), form);
                if (posted.statusCode() / 100 == 3 && posted.headers().firstValue("Location").orElse("").contains("error")) {
                    return posted;
                }
                response = posted;
            } else if (response.statusCode() == 200 && response.body().contains("name=\"consent_form\"")) {
                response = consent(response);
            } else {
                return response;
            }
        }
        throw new IllegalStateException("too many redirects from " + start);
    }

    /** Approves every scope on the provider's consent page (the device flow asks to confirm the code). */
    private HttpResponse<String> consent(HttpResponse<String> page) {
        Matcher action = ACTION.matcher(page.body());
        if (!action.find()) {
            throw new IllegalStateException("consent page without a form: " + page.body());
        }
        StringBuilder form = new StringBuilder();
        Matcher hidden = HIDDEN.matcher(page.body());
        while (hidden.find()) {
            form.append(form.isEmpty() ? "" : "&").append(encode(Map.of(hidden.group(1), hidden.group(2))));
        }
        Matcher scope = SCOPE.matcher(page.body());
        while (scope.find()) {
            form.append('&').append(encode(Map.of("scope", scope.group(1))));
        }
        return send(HttpRequest.newBuilder(page.uri().resolve(action.group(1))).header("Accept", "text/html")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(request.uri() + ": " + e.getMessage(), e);
        }
    }

    public static String encode(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    public static Map<String, String> query(URI uri) {
        Map<String, String> values = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                values.put(java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }
}
