package io.platform.common.client;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.jspecify.annotations.Nullable;

/**
 * A TLS server on loopback answering {@code GET /version} as an API server does and recording, per request, the
 * client certificate of the connection. Every answer closes its connection, so each request is a new handshake.
 */
final class RecordingHttpsServer implements AutoCloseable {

    /** What one request carried: the serial of its client certificate (null without one), its bearer token. */
    record Seen(@Nullable BigInteger serial, @Nullable String authorization) {}

    private final HttpsServer server;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    private RecordingHttpsServer(HttpsServer server) {
        this.server = server;
    }

    /**
     * Listens on {@code port} (0: any free port) with {@code tls}; client certificates are required when
     * {@code requireClientCertificate}, else requests need {@code Authorization: Bearer <token>}.
     */
    static RecordingHttpsServer start(int port, SSLContext tls, boolean requireClientCertificate, @Nullable String token) {
        try {
            HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(tls) {
                @Override
                public void configure(HttpsParameters parameters) {
                    if (requireClientCertificate) {
                        parameters.setNeedClientAuth(true);
                    }
                }
            });
            RecordingHttpsServer recording = new RecordingHttpsServer(server);
            server.createContext("/version", exchange -> {
                String authorization = exchange.getRequestHeaders().getFirst("Authorization");
                recording.seen.add(new Seen(serial((HttpsExchange) exchange), authorization));
                boolean allowed = requireClientCertificate || ("Bearer " + token).equals(authorization);
                byte[] body = (allowed ? "{\"major\":\"1\",\"minor\":\"32\",\"gitVersion\":\"v1.32.0\"}"
                        : "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":401}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.getResponseHeaders().add("Connection", "close");
                exchange.sendResponseHeaders(allowed ? 200 : 401, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return recording;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url() {
        return "https://127.0.0.1:" + port();
    }

    List<Seen> seen() {
        return List.copyOf(seen);
    }

    Seen last() {
        return seen.getLast();
    }

    private static @Nullable BigInteger serial(HttpsExchange exchange) {
        try {
            Certificate[] chain = exchange.getSSLSession().getPeerCertificates();
            return ((X509Certificate) chain[0]).getSerialNumber();
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
