package io.platform.api.pki;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.platform.common.client.KubeconfigClients;
import io.platform.common.pki.CertificateNames;
import io.platform.common.pki.PemFiles;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterPkiTest {

    private static final String API = "https://127.0.0.1:6443";

    @TempDir
    Path dataDir;

    @Test
    void writesEveryFileOfTheDataDirWithPrivateOnesReadableByTheOwnerOnly() throws Exception {
        ClusterPki pki = ClusterPki.loadOrCreate(dataDir, API, "node-1", "127.0.0.1");

        List<Path> expected = List.of(pki.clusterIdFile(), pki.caCertificate(), pki.caKey(), pki.caBundle(),
                pki.apiServerCertificate(), pki.apiServerKey(), pki.apiServerNodeClientCertificate(),
                pki.apiServerNodeClientKey(), pki.nodeAgentCertificate(), pki.nodeAgentKey(),
                pki.adminKubeconfig(), pki.schedulerKubeconfig(), pki.controllerManagerKubeconfig(),
                pki.nodeAgentKubeconfig(), pki.webConsoleKubeconfig());
        assertThat(pki.written()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(dataDir.resolve("pki/node-agent-node-1.crt")).exists();
        assertThat(dataDir.resolve("node-agent-node-1.kubeconfig")).exists();
        assertThat(Files.readString(pki.clusterIdFile()).strip()).isEqualTo(pki.clusterId()).matches("[0-9a-f]{16}");
        for (Path secret : List.of(pki.caKey(), pki.apiServerKey(), pki.nodeAgentKey(), pki.adminKubeconfig(),
                pki.webConsoleKubeconfig())) {
            assertThat(Files.getPosixFilePermissions(secret)).as(secret.toString()).isEqualTo(PemFiles.OWNER_ONLY);
        }

        X509Certificate serving = IssuedCertificate.read(pki.apiServerCertificate(), pki.apiServerKey()).certificate();
        for (String host : List.of("localhost", "127.0.0.1", "kubernetes", "kubernetes.default",
                "kubernetes.default.svc", "kubernetes.default.svc.cluster.local", "10.96.0.1", ClusterPki.hostName())) {
            assertThat(CertificateNames.covers(serving, host)).as(host).isTrue();
        }
        IssuedCertificate nodeClient = IssuedCertificate.read(pki.apiServerNodeClientCertificate(),
                pki.apiServerNodeClientKey());
        assertThat(nodeClient.commonName()).isEqualTo("system:apiserver");
        // no system:masters: RBAC grants system:apiserver system:kubelet-api-admin
        assertThat(CertificateNames.organizations(nodeClient.certificate())).isEmpty();
        X509Certificate agent = IssuedCertificate.read(pki.nodeAgentCertificate(), pki.nodeAgentKey()).certificate();
        assertThat(CertificateNames.commonName(agent)).isEqualTo("system:node:node-1");
        assertThat(CertificateNames.covers(agent, "127.0.0.1")).isTrue();
    }

    @Test
    void kubeconfigsParseWithFabric8AndCarryEachComponentsIdentity() throws Exception {
        ClusterPki pki = ClusterPki.loadOrCreate(dataDir, API, "node-1", "127.0.0.1");

        Config admin = KubeconfigClients.config(pki.adminKubeconfig());
        assertThat(admin.getMasterUrl()).startsWith(API);
        assertThat(admin.getCurrentContext().getName()).isEqualTo("admin@platform");
        assertThat(admin.getCurrentContext().getContext().getCluster()).isEqualTo("platform");
        X509Certificate adminCert = decodeCertificate(admin.getClientCertData());
        assertThat(CertificateNames.commonName(adminCert)).isEqualTo("admin");
        assertThat(CertificateNames.organizations(adminCert)).containsExactly("system:masters");
        assertThat(pki.authority().issued(adminCert)).isTrue();
        assertThat(decodeCertificate(admin.getCaCertData())).isEqualTo(pki.authority().certificate());
        // fabric8 reads the key algorithm from the PEM header, so EC keys are embedded as SEC1.
        assertThat(new String(Base64.getDecoder().decode(admin.getClientKeyData()), StandardCharsets.UTF_8))
                .startsWith("-----BEGIN EC PRIVATE KEY-----");

        assertIdentity(pki.schedulerKubeconfig(), "system:kube-scheduler", List.of());
        assertIdentity(pki.controllerManagerKubeconfig(), "system:kube-controller-manager", List.of());
        assertIdentity(pki.nodeAgentKubeconfig(), "system:node:node-1", List.of("system:nodes"));
        assertIdentity(pki.webConsoleKubeconfig(), "system:web-console", List.of());
        assertThat(KubeconfigClients.config(pki.nodeAgentKubeconfig()).getCurrentContext().getName())
                .isEqualTo("system:node:node-1@platform");
    }

    @Test
    void fabric8BuildsClientsFromEveryKubeconfig() {
        ClusterPki pki = ClusterPki.loadOrCreate(dataDir, API, "node-1", "127.0.0.1");
        for (Path kubeconfig : List.of(pki.adminKubeconfig(), pki.schedulerKubeconfig(),
                pki.controllerManagerKubeconfig(), pki.nodeAgentKubeconfig(), pki.webConsoleKubeconfig())) {
            // Building the client loads the key into its TLS context; an unreadable key fails here.
            try (KubernetesClient client = KubeconfigClients.fromFile(kubeconfig)) {
                assertThat(client.getMasterUrl().toString()).startsWith(API);
            }
        }
    }

    @Test
    void secondStartKeepsEverythingAndIssuesOnlyWhatANewNodeNeeds() throws Exception {
        ClusterPki first = ClusterPki.loadOrCreate(dataDir, API, "node-1", "127.0.0.1");
        String adminKubeconfig = Files.readString(first.adminKubeconfig());

        ClusterPki again = ClusterPki.loadOrCreate(dataDir, API, "node-1", "127.0.0.1");
        assertThat(again.written()).isEmpty();
        assertThat(again.clusterId()).isEqualTo(first.clusterId());
        assertThat(again.authority().certificate()).isEqualTo(first.authority().certificate());
        assertThat(Files.readString(again.adminKubeconfig())).isEqualTo(adminKubeconfig);

        ClusterPki otherNode = ClusterPki.loadOrCreate(dataDir, API, "node-2", "127.0.0.1");
        assertThat(otherNode.written()).containsExactlyInAnyOrder(otherNode.nodeAgentCertificate(),
                otherNode.nodeAgentKey(), otherNode.nodeAgentKubeconfig());
        assertThat(otherNode.authority().certificate()).isEqualTo(first.authority().certificate());
    }

    @Test
    void aNewApiAddressKeepsTheCredentialsAndCoversTheNewHost() throws Exception {
        ClusterPki first = ClusterPki.loadOrCreate(dataDir, API, "node-1", "127.0.0.1");
        String adminCert = KubeconfigClients.config(first.adminKubeconfig()).getClientCertData();

        ClusterPki moved = ClusterPki.loadOrCreate(dataDir, "https://10.1.2.3:7443", "node-1", "127.0.0.1");
        Config admin = KubeconfigClients.config(moved.adminKubeconfig());
        assertThat(admin.getMasterUrl()).startsWith("https://10.1.2.3:7443");
        assertThat(admin.getClientCertData()).isEqualTo(adminCert);
        X509Certificate serving = IssuedCertificate.read(moved.apiServerCertificate(), moved.apiServerKey())
                .certificate();
        assertThat(CertificateNames.covers(serving, "10.1.2.3")).isTrue();
        assertThat(moved.authority().certificate()).isEqualTo(first.authority().certificate());
    }

    @Test
    void aCertificateFromAnotherCaIsReplaced() throws Exception {
        ClusterPki pki = ClusterPki.loadOrCreate(dataDir, API, "node-1", "127.0.0.1");
        CertificateAuthority stranger = CertificateAuthority.create(Clock.systemUTC());
        stranger.issueClient("system:apiserver", List.of()).writeTo(pki.apiServerNodeClientCertificate(),
                pki.apiServerNodeClientKey());

        ClusterPki again = ClusterPki.loadOrCreate(dataDir, API, "node-1", "127.0.0.1");
        assertThat(again.written()).containsExactlyInAnyOrder(again.apiServerNodeClientCertificate(),
                again.apiServerNodeClientKey());
        assertThat(again.authority().issued(IssuedCertificate.read(again.apiServerNodeClientCertificate(),
                again.apiServerNodeClientKey()).certificate())).isTrue();
    }

    @Test
    void jdkTlsAcceptsTheServingCertificateAndTheAdminClientCertificate() throws Exception {
        ClusterPki pki = ClusterPki.loadOrCreate(dataDir, API, "node-1", "127.0.0.1");
        IssuedCertificate serving = IssuedCertificate.read(pki.apiServerCertificate(), pki.apiServerKey());
        Config admin = KubeconfigClients.config(pki.adminKubeconfig());
        IssuedCertificate client = new IssuedCertificate(decodeCertificate(admin.getClientCertData()),
                PemFiles.parsePrivateKey(new String(Base64.getDecoder().decode(admin.getClientKeyData()),
                        StandardCharsets.UTF_8), "client-key-data"));
        SSLContext serverContext = context(serving, pki.authority());
        SSLContext clientContext = context(client, pki.authority());

        try (SSLServerSocket server = (SSLServerSocket) serverContext.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.setNeedClientAuth(true);
            CompletableFuture<String> peer = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket accepted = (SSLSocket) server.accept()) {
                    accepted.startHandshake();
                    X509Certificate presented = (X509Certificate) accepted.getSession().getPeerCertificates()[0];
                    accepted.getOutputStream().write(1);
                    return CertificateNames.commonName(presented);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SSLSocket socket = (SSLSocket) clientContext.getSocketFactory()
                    .createSocket("127.0.0.1", server.getLocalPort())) {
                var parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                socket.setSSLParameters(parameters);
                socket.startHandshake();
                InputStream in = socket.getInputStream();
                assertThat(in.read()).isEqualTo(1);
            }
            assertThat(peer.get(10, TimeUnit.SECONDS)).isEqualTo("admin");
        }
    }

    private static SSLContext context(IssuedCertificate identity, CertificateAuthority ca) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("me", identity.privateKey(), new char[0], new Certificate[] {
                identity.certificate(), ca.certificate() });
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, new char[0]);
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(ca.trustStore());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return context;
    }

    private static void assertIdentity(Path kubeconfig, String user, List<String> groups) throws Exception {
        X509Certificate cert = decodeCertificate(KubeconfigClients.config(kubeconfig).getClientCertData());
        assertThat(CertificateNames.commonName(cert)).isEqualTo(user);
        assertThat(CertificateNames.organizations(cert)).containsExactlyElementsOf(groups);
    }

    private static X509Certificate decodeCertificate(String base64Pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(base64Pem)));
    }
}
