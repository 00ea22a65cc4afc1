package io.platform.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.platform.api.pki.CertificateAuthority;
import io.platform.api.pki.IssuedCertificate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * Requests on one HTTP/1.1 keep-alive TLS connection, written the moment the previous response
 * arrived, as kubectl does: a write followed by two more requests used to leave the third unread
 * in about one sequence in five with Reactor Netty 1.3.7 (reactor/reactor-netty#4361), so 25
 * sequences all but surely catch a regression.
 */
class KeepAliveConnectionTest extends ApiServerTestSupport {

    private static final int SEQUENCES = 25;

    @Test
    void everyRequestOnAKeepAliveConnectionIsAnswered() throws Exception {
        String namespace = newNamespace();
        SSLContext tls = adminTls();
        for (int i = 0; i < SEQUENCES; i++) {
            try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port)) {
                socket.setSoTimeout(10_000);
                String body = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"generateName\":\"k-\"}}";
                String post = "POST /api/v1/namespaces/" + namespace + "/configmaps HTTP/1.1\r\nHost: localhost\r\n"
                        + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
                String get = "GET /api HTTP/1.1\r\nHost: localhost\r\n\r\n";
                assertThat(List.of(exchange(socket, post), exchange(socket, get), exchange(socket, get),
                        exchange(socket, post))).as("sequence %d", i).containsExactly(201, 200, 200, 201);
            }
        }
    }

    /** Writes one request and reads its whole response; returns the status code. */
    private static int exchange(SSLSocket socket, String request) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.UTF_8));
        out.flush();
        InputStream in = socket.getInputStream();
        String statusLine = line(in);
        int contentLength = -1;
        boolean chunked = false;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                contentLength = Integer.parseInt(lower.substring("content-length:".length()).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        if (chunked) {
            for (int size = Integer.parseInt(line(in).trim(), 16); size > 0; size = Integer.parseInt(line(in).trim(), 16)) {
                in.readNBytes(size);
                line(in);
            }
            line(in);
        } else {
            assertThat(contentLength).as("Content-Length of %s", statusLine).isNotNegative();
            in.readNBytes(contentLength);
        }
        return Integer.parseInt(statusLine.split(" ")[1]);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed by the server");
            }
            if (b != '\r') {
                bytes.write(b);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static SSLContext adminTls() throws GeneralSecurityException, IOException {
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(DATA_DIR.resolve("pki"));
        IssuedCertificate admin = ca.issueClient("admin", List.of("system:masters"));
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        char[] password = "keep-alive".toCharArray();
        keys.setKeyEntry("admin", admin.privateKey(), password, new Certificate[] {admin.certificate()});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, password);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(ca.trustStore());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }
}
