package io.platform.bench;

import io.platform.api.pki.ClusterPki;
import io.platform.api.pki.IssuedCertificate;
import io.platform.api.testing.RunningApiServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * The API phase: a real API server on one store, and concurrent clients POSTing new ConfigMaps over HTTPS/1.1
 * keep-alive connections with the admin client certificate, each create checked for 201 Created. One server
 * can be measured several times (the JIT warm-up does); every round writes its own names.
 */
final class ApiCreates implements AutoCloseable {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final RunningApiServer server;
    private final HttpClient http;
    private final URI configMaps;
    private int rounds;

    private ApiCreates(RunningApiServer server, HttpClient http) {
        this.server = server;
        this.http = http;
        this.configMaps = URI.create(server.url() + "/api/v1/namespaces/" + ConfigMapPayload.NAMESPACE + "/configmaps");
    }

    /** Starts an API server on the store at {@code storeUrl} and creates the namespace the ConfigMaps go to. */
    static ApiCreates start(String storeUrl) {
        RunningApiServer server = RunningApiServer.start("bench", Map.of(StoreWrites.STORE_URL, storeUrl));
        ApiCreates api = new ApiCreates(server, adminClient(server.pki()));
        try {
            create(api.http, URI.create(server.url() + "/api/v1/namespaces"),
                    ("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\""
                            + ConfigMapPayload.NAMESPACE + "\"}}").getBytes(StandardCharsets.UTF_8));
            return api;
        } catch (IOException e) {
            api.close();
            throw new UncheckedIOException("cannot create the namespace " + ConfigMapPayload.NAMESPACE, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            api.close();
            throw new IllegalStateException("interrupted while creating the namespace", e);
        }
    }

    Measurement measure(int clients, Duration warmup, Duration window, @Nullable Path recording,
            ConfigMapPayload payload) {
        int round = ++rounds;
        return ClosedLoop.run(clients, warmup, window, recording, (worker, sequence) ->
                create(http, configMaps, payload.json(ConfigMapPayload.name(round, worker, sequence))));
    }

    @Override
    public void close() {
        http.close();
        server.close();
    }

    private static void create(HttpClient http, URI collection, byte[] body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(collection)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .timeout(REQUEST_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 201) {
            throw new IOException("POST " + collection.getPath() + " answered " + response.statusCode() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
    }

    /** HTTP/1.1 only: each in-flight request has its own keep-alive connection, as clients without h2 do. */
    private static HttpClient adminClient(ClusterPki pki) {
        try {
            IssuedCertificate admin = pki.authority().issueClient(ClusterPki.ADMIN_USER, List.of(ClusterPki.MASTERS_GROUP));
            char[] password = "bench".toCharArray();
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("admin", admin.privateKey(), password, new Certificate[] {admin.certificate()});
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, password);
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(pki.authority().trustStore());
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
            return HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .sslContext(tls)
                    .connectTimeout(Duration.ofSeconds(5))
                    // response handling runs on the client's selector thread instead of hopping to a pool
                    // thread per step, so the load generator takes less of the CPU the server needs
                    .executor(Runnable::run)
                    .build();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the admin client's TLS context: " + e.getMessage(), e);
        }
    }
}
