package io.platform.server;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.platform.api.pki.ClusterPki;
import io.platform.api.pki.PkiException;
import io.platform.common.client.KubeconfigClients;
import io.platform.common.pki.PemFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.jspecify.annotations.Nullable;

/**
 * What {@code certs rotate-ca} does for a platform that is running, found at the address of {@code admin.kubeconfig}:
 * publishes the trust bundle in {@code kube-public/cluster-info} (joined node agents follow it), and, before
 * {@code --finish} drops the old CA, waits until the API server and every node agent that answers serve
 * certificates of the new CA (a TLS handshake that only looks at the certificate presented), so no client ever
 * distrusts a certificate a server still serves.
 */
final class CaRotationRollout {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration PAUSE = Duration.ofMillis(500);

    private final Path dataDir;
    private final Duration timeout;
    private final PrintStream out;
    private final Clock clock;

    CaRotationRollout(Path dataDir, Duration timeout, PrintStream out, Clock clock) {
        this.dataDir = dataDir;
        this.timeout = timeout;
        this.out = out;
        this.clock = clock;
    }

    private Path adminKubeconfig() {
        return dataDir.resolve("admin.kubeconfig");
    }

    /** True when the API server named by {@code admin.kubeconfig} accepts connections. */
    boolean running() {
        if (!adminKubeconfig().toFile().isFile()) {
            return false;
        }
        URI server = URI.create(KubeconfigClients.config(adminKubeconfig()).getMasterUrl());
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(server.getHost(), port(server)), (int) CONNECT_TIMEOUT.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Waits until the API server and every node agent that answers serve a certificate {@code newCa} signed; a
     * {@link PkiException} naming the servers still on the old CA when {@code timeout} passes.
     */
    void awaitServing(X509Certificate newCa) {
        Instant deadline = clock.instant().plus(timeout);
        URI server = URI.create(KubeconfigClients.config(adminKubeconfig()).getMasterUrl());
        Map<String, InetSocketAddress> endpoints = new LinkedHashMap<>();
        endpoints.put("the API server " + server.getHost() + ":" + port(server),
                new InetSocketAddress(server.getHost(), port(server)));
        out.println("Waiting (up to " + timeout.toSeconds() + "s) until the API server and the node agents serve"
                + " certificates of the new CA...");
        endpoints.putAll(retrying(deadline, CaRotationRollout::nodeEndpoints));
        List<String> waiting = new ArrayList<>(endpoints.keySet());
        while (true) {
            waiting.removeIf(name -> servesNewCa(endpoints.get(name), newCa, name.startsWith("the API server")));
            if (waiting.isEmpty()) {
                return;
            }
            if (!clock.instant().isBefore(deadline)) {
                throw new PkiException("after " + timeout.toSeconds() + "s " + String.join(", ", waiting)
                        + " still serve(s) a certificate of the old CA, so the old CA stays trusted and the rotation"
                        + " is not finished. Check that they run (a joined node requests its new certificates once it"
                        + " reads the new bundle), then run platform certs rotate-ca --finish again (--wait-timeout to"
                        + " wait longer)");
            }
            pause();
        }
    }

    /**
     * Writes the current {@code pki/ca-bundle.crt} into {@code kube-public/cluster-info} (re-signed for every token)
     * when the cluster publishes one; retries while the API server does not accept the new client certificate yet.
     * Returns false when there is no cluster-info (no node ever joined with a token).
     */
    boolean publishTrust() {
        String bundle = PemFiles.read(dataDir.resolve(ClusterPki.PKI_DIR).resolve(ClusterPki.CA_BUNDLE_FILE));
        Instant deadline = clock.instant().plus(timeout);
        return retrying(deadline, admin -> ClusterInfo.republish(admin, bundle, clock));
    }

    private KubernetesClient client() {
        return KubeconfigClients.fromFile(adminKubeconfig(), config -> {
            config.setRequestRetryBackoffLimit(0);
            config.setConnectionTimeout((int) CONNECT_TIMEOUT.toMillis());
        });
    }

    private interface Call<T> {
        T call(KubernetesClient admin);
    }

    /**
     * The API server reloads its client CAs within seconds of the rotation; until then our new certificate gets 401.
     * Each attempt has its own client: a kept-alive connection would keep the handshake that did not verify it.
     */
    private <T> T retrying(Instant deadline, Call<T> call) {
        while (true) {
            try (KubernetesClient admin = client()) {
                return call.call(admin);
            } catch (KubernetesClientException e) {
                if (!clock.instant().isBefore(deadline)) {
                    throw new PkiException("the API server did not answer within " + timeout.toSeconds() + "s: "
                            + e.getMessage());
                }
            }
            pause();
        }
    }

    private static Map<String, InetSocketAddress> nodeEndpoints(KubernetesClient admin) {
        Map<String, InetSocketAddress> endpoints = new LinkedHashMap<>();
        for (Node node : admin.nodes().list().getItems()) {
            if (node.getStatus() == null || node.getStatus().getDaemonEndpoints() == null
                    || node.getStatus().getDaemonEndpoints().getKubeletEndpoint() == null
                    || node.getStatus().getAddresses() == null) {
                continue;
            }
            Integer port = node.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort();
            String address = node.getStatus().getAddresses().stream()
                    .filter(a -> "InternalIP".equals(a.getType()))
                    .map(NodeAddress::getAddress)
                    .findFirst().orElse(null);
            if (port != null && port > 0 && address != null) {
                endpoints.put("the node agent of " + node.getMetadata().getName() + " (" + address + ":" + port + ")",
                        new InetSocketAddress(address, port));
            }
        }
        return endpoints;
    }

    /**
     * True when {@code endpoint} presents a certificate {@code newCa} signed; a node agent that does not answer counts
     * as done (it reads the new bundle and certificates when it comes back), the API server never.
     */
    private static boolean servesNewCa(InetSocketAddress endpoint, X509Certificate newCa, boolean required) {
        @Nullable X509Certificate served;
        try {
            served = presented(endpoint);
        } catch (IOException e) {
            return !required && !(e instanceof SSLException);
        }
        if (served == null) {
            return false;
        }
        try {
            served.verify(newCa.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The leaf certificate the server presents; nothing is sent after the handshake. */
    private static @Nullable X509Certificate presented(InetSocketAddress endpoint) throws IOException {
        Presented presented = new Presented();
        SSLContext context;
        try {
            context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {presented}, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
        try (Socket plain = new Socket()) {
            plain.connect(endpoint, (int) CONNECT_TIMEOUT.toMillis());
            plain.setSoTimeout((int) CONNECT_TIMEOUT.toMillis());
            try (SSLSocket tls = (SSLSocket) context.getSocketFactory()
                    .createSocket(plain, endpoint.getHostString(), endpoint.getPort(), false)) {
                tls.startHandshake();
            } catch (SSLException e) {
                // a server that wants a client certificate may end the handshake after presenting its own
                if (presented.leaf == null) {
                    throw e;
                }
            }
        }
        return presented.leaf;
    }

    /** Records the server's certificate and accepts it: this handshake only reads which certificate is served. */
    private static final class Presented implements X509TrustManager {

        private volatile @Nullable X509Certificate leaf;

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("client side only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            leaf = chain.length == 0 ? null : chain[0];
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    private static int port(URI server) {
        return server.getPort() > 0 ? server.getPort() : 443;
    }

    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PkiException("interrupted while waiting for the platform");
        }
    }
}
