package io.platform.server;

import io.platform.api.pki.CertificateAuthority;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Waits until the API server's {@code /readyz} answers 200 over HTTPS, trusting only the cluster CA. */
final class ApiReadiness {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration PAUSE = Duration.ofMillis(200);

    private ApiReadiness() {}

    static SSLContext trustingOnly(CertificateAuthority ca) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(ca.trustStore());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust the cluster CA: " + e.getMessage(), e);
        }
    }

    /**
     * Polls until ready; throws {@link IllegalStateException} naming the last answer or error when
     * {@code timeout} passes first.
     */
    static void await(String apiServerUrl, CertificateAuthority ca, Duration timeout) throws InterruptedException {
        URI readyz = URI.create(apiServerUrl + "/readyz");
        Instant deadline = Instant.now().plus(timeout);
        String last = "no answer";
        try (HttpClient client = HttpClient.newBuilder()
                .sslContext(trustingOnly(ca))
                .connectTimeout(REQUEST_TIMEOUT)
                .version(HttpClient.Version.HTTP_1_1)
                .build()) {
            while (true) {
                try {
                    HttpResponse<String> response = client.send(
                            HttpRequest.newBuilder(readyz).timeout(REQUEST_TIMEOUT).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200) {
                        return;
                    }
                    last = "HTTP " + response.statusCode() + " " + response.body().strip();
                } catch (IOException e) {
                    last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException(readyz + " did not answer 200 within " + timeout.toSeconds()
                            + "s (last: " + last + ")");
                }
                Thread.sleep(PAUSE);
            }
        }
    }
}
