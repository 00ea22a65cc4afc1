package io.platform.bench;

import io.platform.api.pki.ClusterPki;
import io.platform.api.pki.IssuedCertificate;
import io.platform.api.testing.RunningApiServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * The API phase: a real API server on one store, and concurrent clients POSTing new ConfigMaps over HTTPS/1.1
 * keep-alive connections (one per client, as clients without h2 do) with the admin client certificate, each create
 * checked for 201 Created. One server can be measured several times (the JIT warm-up does); every round writes its
 * own names.
 */
final class ApiCreates implements AutoCloseable {

    private final RunningApiServer server;
    private final SSLContext tls;
    private final URI base;
    private final String configMaps;
    private AtomicReferenceArray<@Nullable Http1Connection> connections = new AtomicReferenceArray<>(0);
    private int rounds;

    private ApiCreates(RunningApiServer server, SSLContext tls) {
        this.server = server;
        this.tls = tls;
        this.base = URI.create(server.url());
        this.configMaps = "/api/v1/namespaces/" + ConfigMapPayload.NAMESPACE + "/configmaps";
    }

    /** Starts an API server on the store at {@code storeUrl} and creates the namespace the ConfigMaps go to. */
    static ApiCreates start(String storeUrl) {
        RunningApiServer server = RunningApiServer.start("bench", Map.of(StoreWrites.STORE_URL, storeUrl));
        ApiCreates api = new ApiCreates(server, adminTls(server.pki()));
        try (Http1Connection connection = Http1Connection.open(api.tls, api.base)) {
            create(connection, "/api/v1/namespaces", ("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":"
                    + "{\"name\":\"" + ConfigMapPayload.NAMESPACE + "\"}}").getBytes(StandardCharsets.UTF_8));
            return api;
        } catch (IOException e) {
            api.close();
            throw new UncheckedIOException("cannot create the namespace " + ConfigMapPayload.NAMESPACE, e);
        }
    }

    Measurement measure(int clients, Duration warmup, Duration window, @Nullable Path recording,
            ConfigMapPayload payload) {
        int round = ++rounds;
        closeConnections();
        connections = new AtomicReferenceArray<>(clients);
        return ClosedLoop.run(clients, warmup, window, recording, (worker, sequence) ->
                create(worker, payload.json(ConfigMapPayload.name(round, worker, sequence))));
    }

    @Override
    public void close() {
        closeConnections();
        server.close();
    }

    /** A create on the worker's own connection; a connection that failed is replaced by the next create. */
    private void create(int worker, byte[] body) throws IOException {
        Http1Connection connection = connections.get(worker);
        if (connection == null) {
            connection = Http1Connection.open(tls, base);
            connections.set(worker, connection);
        }
        try {
            create(connection, configMaps, body);
        } catch (IOException e) {
            connections.set(worker, null);
            connection.close();
            throw e;
        }
    }

    private static void create(Http1Connection connection, String collection, byte[] body) throws IOException {
        Http1Connection.Response response = connection.postJson(collection, body);
        if (response.status() != 201) {
            throw new IOException("POST " + collection + " answered " + response.status() + ": " + response.text());
        }
    }

    private void closeConnections() {
        for (int i = 0; i < connections.length(); i++) {
            Http1Connection connection = connections.getAndSet(i, null);
            if (connection != null) {
                try {
                    connection.close();
                } catch (IOException e) {
                    // the connection is dropped either way
                }
            }
        }
    }

    private static SSLContext adminTls(ClusterPki pki) {
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
            return tls;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the admin client's TLS context: " + e.getMessage(), e);
        }
    }
}
