package io.platform.api.pki;

import io.platform.common.pki.CertificateNames;
import io.platform.common.pki.PemFiles;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every credential of one cluster in its data dir: the cluster id, the CA, the serving and client
 * certificates of the components and their kubeconfigs.
 *
 * <p>{@link #loadOrCreate} writes what is missing and keeps what exists, so a restart keeps the
 * CA and every kubeconfig handed out. It only replaces a file that can no longer work: a
 * certificate not (or no longer validly) signed by the CA, a serving certificate that does not
 * name the host it must serve, and the {@code server:} line of a kubeconfig whose API address
 * changed (its credentials are kept).
 */
public final class ClusterPki {

    public static final String CLUSTER_ID_FILE = "cluster-id";
    public static final String PKI_DIR = "pki";
    /** Every CA certificate the cluster trusts: the current CA, and the previous one during a CA rotation. */
    public static final String CA_BUNDLE_FILE = "ca-bundle.crt";
    /** The previous CA's certificate while a rotation is in progress (its key is not kept). */
    public static final String OLD_CA_FILE = "ca-old.crt";
    public static final String API_SERVER_USER = "system:apiserver";
    public static final String ADMIN_USER = "admin";
    public static final String SCHEDULER_USER = "system:kube-scheduler";
    public static final String CONTROLLER_MANAGER_USER = "system:kube-controller-manager";
    public static final String WEB_CONSOLE_USER = "system:web-console";
    public static final String MASTERS_GROUP = "system:masters";
    public static final String NODES_GROUP = "system:nodes";

    /** The names in-cluster clients use for the API server, as kube-apiserver's serving certificate carries them. */
    /** The first address of the service range, the {@code default/kubernetes} Service's ClusterIP. */
    public static final String KUBERNETES_SERVICE_IP = "10.96.0.1";
    static final List<String> KUBERNETES_SERVICE_NAMES = List.of("kubernetes", "kubernetes.default",
            "kubernetes.default.svc", "kubernetes.default.svc.cluster.local");

    private static final Logger log = LoggerFactory.getLogger(ClusterPki.class);
    private static final Pattern SERVER_LINE = Pattern.compile("(?m)^(\\s+server:\\s*)(\"?)([^\"\\r\\n]*)(\"?)\\s*$");
    private static final Pattern CLIENT_CERT_DATA = Pattern.compile("(?m)^\\s+client-certificate-data:\\s*(\\S+)\\s*$");

    private final Path dataDir;
    private final String nodeName;
    private final String clusterId;
    private final CertificateAuthority authority;
    private final List<X509Certificate> trustedCas;
    private final List<Path> written;

    private ClusterPki(Path dataDir, String nodeName, String clusterId, CertificateAuthority authority,
            List<X509Certificate> trustedCas, List<Path> written) {
        this.dataDir = dataDir;
        this.nodeName = nodeName;
        this.clusterId = clusterId;
        this.authority = authority;
        this.trustedCas = List.copyOf(trustedCas);
        this.written = List.copyOf(written);
    }

    public static ClusterPki loadOrCreate(Path dataDir, String apiServerUrl, String nodeName, String nodeAddress) {
        return loadOrCreate(dataDir, apiServerUrl, nodeName, nodeAddress, Clock.systemUTC());
    }

    public static ClusterPki loadOrCreate(Path dataDir, String apiServerUrl, String nodeName, String nodeAddress,
            Clock clock) {
        return loadOrCreate(dataDir, apiServerUrl, nodeName, nodeAddress, clock, CertificateAuthority.DEFAULT_LEAF_VALIDITY);
    }

    /** As {@link #loadOrCreate(Path, String, String, String, Clock)}, new leaf certificates valid {@code leafValidity}. */
    public static ClusterPki loadOrCreate(Path dataDir, String apiServerUrl, String nodeName, String nodeAddress,
            Clock clock, Duration leafValidity) {
        Path dir = dataDir.toAbsolutePath().normalize();
        PemFiles.createPrivateDirectory(dir);
        List<Path> written = new ArrayList<>();
        String clusterId = loadOrCreateClusterId(dir.resolve(CLUSTER_ID_FILE), written);
        Path pkiDir = dir.resolve(PKI_DIR);
        boolean caExisted = Files.exists(pkiDir.resolve(CertificateAuthority.CA_CERT_FILE));
        CertificateAuthority authority = CertificateAuthority.loadOrCreate(pkiDir, clock).withLeafValidity(leafValidity);
        if (!caExisted) {
            written.add(pkiDir.resolve(CertificateAuthority.CA_CERT_FILE));
            written.add(pkiDir.resolve(CertificateAuthority.CA_KEY_FILE));
        }
        ensureBundle(pkiDir, authority, written);
        // during a CA rotation, certificates of the previous CA stay in use until the rotation is finished
        List<X509Certificate> trustedCas = PemFiles.parseCertificates(PemFiles.read(pkiDir.resolve(CA_BUNDLE_FILE)),
                CA_BUNDLE_FILE);
        ClusterPki pki = new ClusterPki(dir, nodeName, clusterId, authority, trustedCas, List.of());
        String apiHost = host(apiServerUrl);
        String hostName = hostName();

        Set<String> apiServerHosts = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
        apiServerHosts.addAll(KUBERNETES_SERVICE_NAMES);
        // the default/kubernetes Service's ClusterIP, which pods reach the API server at
        apiServerHosts.add(KUBERNETES_SERVICE_IP);
        apiServerHosts.add(hostName);
        addIfSpecific(apiServerHosts, apiHost);
        addIfSpecific(apiServerHosts, nodeAddress);
        pki.ensureServing(pki.apiServerCertificate(), pki.apiServerKey(), "kube-apiserver", apiServerHosts,
                List.of(apiHost), written);
        // least privilege: RBAC binds system:apiserver to system:kubelet-api-admin, as upstream
        pki.ensureClient(pki.apiServerNodeClientCertificate(), pki.apiServerNodeClientKey(), API_SERVER_USER,
                List.of(), written);

        Set<String> nodeHosts = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", hostName));
        addIfSpecific(nodeHosts, nodeAddress);
        addIfSpecific(nodeHosts, nodeName);
        pki.ensureServing(pki.nodeAgentCertificate(), pki.nodeAgentKey(), nodeUser(nodeName), nodeHosts,
                List.of(nodeAddress), written);

        pki.ensureKubeconfig(pki.adminKubeconfig(), apiServerUrl, ADMIN_USER, List.of(MASTERS_GROUP), written);
        pki.ensureKubeconfig(pki.schedulerKubeconfig(), apiServerUrl, SCHEDULER_USER, List.of(), written);
        pki.ensureKubeconfig(pki.controllerManagerKubeconfig(), apiServerUrl, CONTROLLER_MANAGER_USER, List.of(),
                written);
        pki.ensureKubeconfig(pki.nodeAgentKubeconfig(), apiServerUrl, nodeUser(nodeName), List.of(NODES_GROUP),
                written);
        pki.ensureKubeconfig(pki.webConsoleKubeconfig(), apiServerUrl, WEB_CONSOLE_USER, List.of(), written);
        return new ClusterPki(dir, nodeName, clusterId, authority, trustedCas, written);
    }

    /** The user name of a node's agent, as the Kubernetes node authorizer expects it. */
    public static String nodeUser(String nodeName) {
        return "system:node:" + nodeName;
    }

    /**
     * Keeps {@code ca-bundle.crt} holding the current CA (and the previous one while {@code ca-old.crt} exists),
     * writing it when missing or when it lacks the current CA; what trusts the cluster reads this bundle, so a
     * CA rotation only changes files.
     */
    static void ensureBundle(Path pkiDir, CertificateAuthority authority, List<Path> written) {
        Path bundle = pkiDir.resolve(CA_BUNDLE_FILE);
        if (Files.exists(bundle)
                && PemFiles.parseCertificates(PemFiles.read(bundle), bundle.toString()).contains(authority.certificate())) {
            return;
        }
        List<X509Certificate> trusted = new ArrayList<>(List.of(authority.certificate()));
        Path old = pkiDir.resolve(OLD_CA_FILE);
        if (Files.exists(old)) {
            trusted.add(PemFiles.parseCertificate(PemFiles.read(old), old.toString()));
        }
        PemFiles.write(bundle, PemFiles.certificatesPem(trusted), PemFiles.WORLD_READABLE);
        written.add(bundle);
    }

    private static String loadOrCreateClusterId(Path file, List<Path> written) {
        if (Files.exists(file)) {
            String id = PemFiles.read(file).strip();
            if (!id.isEmpty()) {
                return id;
            }
        }
        byte[] random = new byte[8];
        new SecureRandom().nextBytes(random);
        String id = HexFormat.of().formatHex(random);
        PemFiles.write(file, id + "\n", PemFiles.WORLD_READABLE);
        written.add(file);
        return id;
    }

    private void ensureServing(Path certFile, Path keyFile, String cn, Set<String> hosts, List<String> mustCover,
            List<Path> written) {
        @Nullable X509Certificate existing = usableCertificate(certFile, keyFile);
        if (existing != null && mustCover.stream().allMatch(h -> isWildcard(h) || CertificateNames.covers(existing, h))) {
            return;
        }
        if (existing != null) {
            log.info("re-issuing {}: it does not name {}", certFile, mustCover);
        }
        List<String> dns = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        for (String host : hosts) {
            (CertificateNames.ipLiteral(host) != null ? ips : dns).add(CertificateNames.stripBrackets(host));
        }
        authority.issueServer(cn, dns, ips).writeTo(certFile, keyFile);
        written.add(certFile);
        written.add(keyFile);
    }

    private void ensureClient(Path certFile, Path keyFile, String cn, List<String> orgs, List<Path> written) {
        if (usableCertificate(certFile, keyFile) != null) {
            return;
        }
        authority.issueClient(cn, orgs).writeTo(certFile, keyFile);
        written.add(certFile);
        written.add(keyFile);
    }

    private @Nullable X509Certificate usableCertificate(Path certFile, Path keyFile) {
        if (!Files.exists(certFile) || !Files.exists(keyFile)) {
            return null;
        }
        X509Certificate certificate = PemFiles.parseCertificate(PemFiles.read(certFile), certFile.toString());
        if (!authority.issuedByAnyOf(certificate, trustedCas)) {
            log.info("re-issuing {}: it is expired or not signed by the cluster CA", certFile);
            return null;
        }
        return certificate;
    }

    private void ensureKubeconfig(Path file, String serverUrl, String user, List<String> orgs, List<Path> written) {
        if (Files.exists(file)) {
            String content = PemFiles.read(file);
            if (embeddedClientCertificateValid(content)) {
                Matcher server = SERVER_LINE.matcher(content);
                if (server.find() && !server.group(3).equals(serverUrl)) {
                    // Keeps the credentials, so copies of this kubeconfig elsewhere stay valid.
                    String updated = content.substring(0, server.start(3)) + serverUrl + content.substring(server.end(3));
                    PemFiles.write(file, updated, PemFiles.OWNER_ONLY);
                    written.add(file);
                }
                return;
            }
            log.info("re-issuing {}: its client certificate is expired or not signed by the cluster CA", file);
        }
        IssuedCertificate cert = authority.issueClient(user, orgs);
        PemFiles.write(file, Kubeconfig.render(serverUrl, PemFiles.read(caBundle()), user, cert), PemFiles.OWNER_ONLY);
        written.add(file);
    }

    private boolean embeddedClientCertificateValid(String kubeconfig) {
        Matcher data = CLIENT_CERT_DATA.matcher(kubeconfig);
        if (!data.find()) {
            return false;
        }
        try {
            String pem = new String(Base64.getDecoder().decode(data.group(1)), StandardCharsets.UTF_8);
            return authority.issuedByAnyOf(PemFiles.parseCertificate(pem, "client-certificate-data"), trustedCas);
        } catch (IllegalArgumentException | io.platform.common.pki.PkiException e) {
            return false;
        }
    }

    private static String host(String url) {
        String host = URI.create(url).getHost();
        if (host == null) {
            throw new IllegalArgumentException("the API server URL " + url + " names no host");
        }
        return CertificateNames.stripBrackets(host);
    }

    private static boolean isWildcard(String host) {
        return host.isBlank() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    }

    private static void addIfSpecific(Set<String> hosts, String host) {
        if (!isWildcard(host)) {
            hosts.add(CertificateNames.stripBrackets(host).toLowerCase(Locale.ROOT));
        }
    }

    /** This machine's host name, lower case; {@code localhost} when the system cannot say. */
    public static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path pkiDir() {
        return dataDir.resolve(PKI_DIR);
    }

    public String clusterId() {
        return clusterId;
    }

    public String nodeName() {
        return nodeName;
    }

    public CertificateAuthority authority() {
        return authority;
    }

    /** The files this call created or replaced, in the order written (empty when all existed). */
    public List<Path> written() {
        return written;
    }

    public Path clusterIdFile() {
        return dataDir.resolve(CLUSTER_ID_FILE);
    }

    public Path caCertificate() {
        return pkiDir().resolve(CertificateAuthority.CA_CERT_FILE);
    }

    /** The CA certificates to trust: the current CA, plus the previous one during a CA rotation. */
    public Path caBundle() {
        return pkiDir().resolve(CA_BUNDLE_FILE);
    }

    public Path caKey() {
        return pkiDir().resolve(CertificateAuthority.CA_KEY_FILE);
    }

    public Path apiServerCertificate() {
        return pkiDir().resolve("apiserver.crt");
    }

    public Path apiServerKey() {
        return pkiDir().resolve("apiserver.key");
    }

    public Path apiServerNodeClientCertificate() {
        return pkiDir().resolve("apiserver-node-client.crt");
    }

    public Path apiServerNodeClientKey() {
        return pkiDir().resolve("apiserver-node-client.key");
    }

    public Path nodeAgentCertificate() {
        return pkiDir().resolve("node-agent-" + nodeName + ".crt");
    }

    public Path nodeAgentKey() {
        return pkiDir().resolve("node-agent-" + nodeName + ".key");
    }

    public Path adminKubeconfig() {
        return dataDir.resolve("admin.kubeconfig");
    }

    public Path schedulerKubeconfig() {
        return dataDir.resolve("scheduler.kubeconfig");
    }

    public Path controllerManagerKubeconfig() {
        return dataDir.resolve("controller-manager.kubeconfig");
    }

    public Path nodeAgentKubeconfig() {
        return dataDir.resolve("node-agent-" + nodeName + ".kubeconfig");
    }

    public Path webConsoleKubeconfig() {
        return dataDir.resolve("web-console.kubeconfig");
    }
}
