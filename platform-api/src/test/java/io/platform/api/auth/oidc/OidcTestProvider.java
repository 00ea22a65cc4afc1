package io.platform.api.auth.oidc;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.SignedJWT;
import io.platform.api.json.Json;
import io.platform.api.pki.CertificateAuthority;
import io.platform.api.pki.IssuedCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.NettyWrapper;
import no.nav.security.mock.oauth2.http.Ssl;
import no.nav.security.mock.oauth2.http.SslKeystore;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.KeyProvider;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;

/**
 * A real OIDC provider for tests (NAV's mock-oauth2-server, in-process): HTTPS on a free loopback port with a
 * certificate from a CA of its own (written to {@link #caFile()}, for the issuer's {@code ca-file}), a discovery
 * document and JWKS per issuer id, and signed id_tokens with the claims a test chooses. Shipped in platform-api's
 * test jar for the end-to-end suites.
 */
public final class OidcTestProvider implements AutoCloseable {

    private static final char[] KEYSTORE_PASSWORD = "oidc-test".toCharArray();

    private final RotatingKeys keys = new RotatingKeys();
    private final AtomicReference<Duration> backdating = new AtomicReference<>(Duration.ZERO);
    private final Ssl ssl;
    private final Path caFile;
    private MockOAuth2Server server;
    private int port;

    private OidcTestProvider(Ssl ssl, Path caFile) {
        this.ssl = ssl;
        this.caFile = caFile;
        this.server = serve(0);
        this.port = server.baseUrl().port();
    }

    /** Starts a provider on a free loopback port; its CA certificate goes to {@code dir/oidc-provider-ca.crt}. */
    public static OidcTestProvider start(Path dir) {
        try {
            CertificateAuthority ca = CertificateAuthority.create(Clock.systemUTC());
            IssuedCertificate tls = ca.issueServer("oidc-provider", List.of("localhost"), List.of("127.0.0.1"));
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            keyStore.setKeyEntry("tls", tls.privateKey(), KEYSTORE_PASSWORD,
                    new Certificate[] {tls.certificate(), ca.certificate()});
            Path caFile = dir.resolve("oidc-provider-ca.crt");
            Files.writeString(caFile, ca.certificatePem());
            return new OidcTestProvider(new Ssl(new SslKeystore(new String(KEYSTORE_PASSWORD), keyStore)), caFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private MockOAuth2Server serve(int port) {
        OAuth2TokenProvider tokens = new OAuth2TokenProvider(keys, () -> Instant.now().minus(backdating.get()));
        MockOAuth2Server started = new MockOAuth2Server(
                new OAuth2Config(false, null, null, false, tokens, Set.of(), new NettyWrapper(ssl)));
        try {
            started.start(InetAddress.getByName("127.0.0.1"), port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return started;
    }

    /** The issuer URL of {@code issuerId}, as its tokens' {@code iss} and its discovery document say. */
    public synchronized String issuerUrl(String issuerId) {
        return server.issuerUrl(issuerId).toString();
    }

    public int port() {
        return port;
    }

    /** The PEM certificate of the CA that signed the provider's TLS certificate. */
    public Path caFile() {
        return caFile;
    }

    /**
     * An id_token as {@link #idToken} makes, but issued {@code ago} in the past (its {@code iat} and {@code exp}
     * move with it), e.g. one that has expired.
     */
    public synchronized String idTokenIssued(Duration ago, String issuerId, String subject, List<String> audiences,
            Map<String, Object> claims, Duration lifetime) {
        backdating.set(ago);
        try {
            return idToken(issuerId, subject, audiences, claims, lifetime);
        } finally {
            backdating.set(Duration.ZERO);
        }
    }

    /**
     * A signed id_token from {@code issuerId} for {@code subject}, meant for {@code audiences} (the first one is
     * the authorized party, {@code azp}), with the extra claims, valid for {@code lifetime} from now.
     */
    public synchronized String idToken(String issuerId, String subject, List<String> audiences, Map<String, Object> claims,
            Duration lifetime) {
        return server.issueToken(issuerId, audiences.getFirst(), new DefaultOAuth2TokenCallback(
                issuerId, subject, "JWT", audiences, claims, lifetime.toSeconds())).serialize();
    }

    /**
     * An id_token the way a client gets one: the authorization code flow against the provider's authorization and
     * token endpoints over HTTPS (the provider signs in {@code subject} without a login page), the token then
     * carrying the extra claims. Its audience and {@code azp} are {@code clientId}.
     */
    public synchronized String idTokenFromTokenEndpoint(String issuerId, String clientId, String subject,
            Map<String, Object> claims) {
        server.enqueueCallback(new DefaultOAuth2TokenCallback(issuerId, subject, "JWT", List.of(clientId), claims,
                Duration.ofHours(1).toSeconds()));
        String redirect = "http://127.0.0.1/callback";
        try {
            HttpClient http = HttpClient.newBuilder().sslContext(trustingCa()).followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            URI authorize = URI.create(server.authorizationEndpointUrl(issuerId) + "?client_id=" + clientId
                    + "&response_type=code&scope=openid&state=s1&nonce=n1&redirect_uri=" + form(redirect));
            HttpResponse<String> signedIn = http.send(HttpRequest.newBuilder(authorize).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            String location = signedIn.headers().firstValue("Location").orElseThrow(() ->
                    new IllegalStateException("no redirect from the authorization endpoint: " + signedIn.statusCode()));
            String code = URI.create(location).getQuery().lines().flatMap(q -> List.of(q.split("&")).stream())
                    .filter(parameter -> parameter.startsWith("code=")).map(parameter -> parameter.substring(5))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no code in " + location));
            String body = "grant_type=authorization_code&code=" + code + "&redirect_uri=" + form(redirect)
                    + "&client_id=" + form(clientId) + "&client_secret=secret";
            HttpResponse<String> tokens = http.send(HttpRequest.newBuilder(URI.create(
                            server.tokenEndpointUrl(issuerId).toString()))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (tokens.statusCode() != 200) {
                throw new IllegalStateException("token endpoint answered " + tokens.statusCode() + ": " + tokens.body());
            }
            return Json.parseObject(tokens.body().getBytes(StandardCharsets.UTF_8)).path("id_token").asString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private SSLContext trustingCa() {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            try (InputStream pem = Files.newInputStream(caFile)) {
                trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(pem));
            }
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The key id a token was signed with. */
    public static String keyId(String token) {
        try {
            return SignedJWT.parse(token).getHeader().getKeyID();
        } catch (ParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /**
     * Gives {@code issuerId} a new signing key with a new key id, as a provider rotating its keys does: its JWKS
     * publishes only the new key from then on.
     */
    public void rotateKeys(String issuerId) {
        keys.rotate(issuerId);
    }

    /** The provider's keys, where an issuer's key can be replaced (the provider keys them by the name asked for). */
    private static final class RotatingKeys extends KeyProvider {

        private final Map<String, Integer> generations = new ConcurrentHashMap<>();

        @Override
        public JWK signingKey(String issuerId) {
            int generation = generations.getOrDefault(issuerId, 0);
            return super.signingKey(generation == 0 ? issuerId : issuerId + "-" + generation);
        }

        void rotate(String issuerId) {
            generations.merge(issuerId, 1, Integer::sum);
        }
    }

    /** Stops serving (the issuer is unreachable) until {@link #resume()}. */
    synchronized void pause() {
        server.shutdown();
    }

    /** Serves again on the same port, with the same certificate and keys. */
    synchronized void resume() {
        server = serve(port);
    }

    @Override
    public synchronized void close() {
        server.shutdown();
    }
}
