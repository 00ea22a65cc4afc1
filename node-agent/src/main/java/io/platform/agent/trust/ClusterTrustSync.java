package io.platform.agent.trust;

import io.fabric8.kubernetes.api.model.Config;
import io.platform.agent.AgentProperties;
import io.platform.agent.bootstrap.KubeconfigFiles;
import io.platform.common.pki.PemFiles;
import io.platform.common.pki.PkiException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Follows the cluster's CA bundle on a node that joined from elsewhere ({@code platform.agent.bootstrap-kubeconfig}
 * set: its kubeconfig and client CA file are its own copies, not the control plane's PKI files). Every
 * {@code platform.agent.trust.sync-interval} it reads {@code kube-public/cluster-info} over TLS verified with the CAs
 * its kubeconfig trusts now; when the published bundle differs, it rewrites (atomically) the CA data of its
 * kubeconfig and bootstrap kubeconfig and its {@code platform.agent.client-ca} file, which the API client and the
 * HTTPS server already follow, and announces {@link ClusterTrustChanged}. Through a CA rotation the node so trusts
 * old and new CA once {@code certs rotate-ca} published both, and only the new one after {@code --finish}.
 */
@Component
@ConditionalOnProperty("platform.agent.bootstrap-kubeconfig")
@EnableConfigurationProperties(TrustProperties.class)
class ClusterTrustSync implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ClusterTrustSync.class);

    private final AgentProperties agent;
    private final TrustProperties properties;
    private final ApplicationEventPublisher events;
    private volatile @Nullable ScheduledExecutorService executor;
    private volatile @Nullable String lastProblem;

    ClusterTrustSync(AgentProperties agent, TrustProperties properties, ApplicationEventPublisher events) {
        this.agent = agent;
        this.properties = properties;
        this.events = events;
    }

    @Override
    public void start() {
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("cluster-trust-sync").factory());
        executor = started;
        long interval = properties.syncInterval().toMillis();
        started.scheduleWithFixedDelay(this::syncQuietly, interval, interval, TimeUnit.MILLISECONDS);
    }

    private void syncQuietly() {
        try {
            sync();
            lastProblem = null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            String problem = e.getClass().getSimpleName() + ": " + e.getMessage();
            // one line per new problem, not one per attempt
            if (!problem.equals(lastProblem)) {
                log.warn("Node {}: cannot read the cluster's CA bundle, keeping the current trust: {}", agent.nodeName(),
                        problem);
            }
            lastProblem = problem;
        }
    }

    /** One round: read the published bundle and take it over when it differs. Returns true when files changed. */
    boolean sync() throws IOException, InterruptedException {
        Path kubeconfigFile = agent.kubeconfig();
        if (!Files.isRegularFile(kubeconfigFile)) {
            // still bootstrapping: the bootstrap kubeconfig is the only one, and it is not followed
            return false;
        }
        Config kubeconfig = KubeconfigFiles.read(kubeconfigFile);
        List<X509Certificate> current = KubeconfigFiles.certificateAuthorities(kubeconfig, kubeconfigFile);
        Optional<PublishedTrust.Published> published = PublishedTrust.read(KubeconfigFiles.server(kubeconfig), current,
                properties.requestTimeout());
        if (published.isEmpty()) {
            return false;
        }
        String clusterId = published.get().clusterId();
        if (clusterId != null && !clusterId.equals(agent.clusterId())) {
            throw new PublishedTrust.UnusableException("cluster-info names cluster " + clusterId + ", this node belongs"
                    + " to " + agent.clusterId());
        }
        List<X509Certificate> trusted = published.get().authorities();
        boolean kubeconfigCurrent = sameSet(trusted, current);
        boolean clientCaCurrent = sameSet(trusted, clientCa());
        if (kubeconfigCurrent && clientCaCurrent) {
            return false;
        }
        String pem = PemFiles.certificatesPem(trusted);
        if (!clientCaCurrent) {
            PemFiles.write(agent.clientCa(), pem, PemFiles.WORLD_READABLE);
        }
        if (!kubeconfigCurrent) {
            KubeconfigFiles.write(kubeconfigFile, KubeconfigFiles.replaceCertificateAuthorities(kubeconfig, pem));
        }
        Path bootstrap = agent.bootstrapKubeconfig();
        if (bootstrap != null && Files.isRegularFile(bootstrap)) {
            Config bootstrapConfig = KubeconfigFiles.read(bootstrap);
            if (!sameSet(trusted, KubeconfigFiles.certificateAuthorities(bootstrapConfig, bootstrap))) {
                KubeconfigFiles.write(bootstrap, KubeconfigFiles.replaceCertificateAuthorities(bootstrapConfig, pem));
            }
        }
        log.info("Node {}: the cluster's CA bundle changed; now trusting {}", agent.nodeName(),
                String.join(", ", trusted.stream().map(ca -> ca.getSubjectX500Principal().getName()).toList()));
        events.publishEvent(new ClusterTrustChanged(trusted));
        return true;
    }

    private List<X509Certificate> clientCa() {
        if (!Files.isRegularFile(agent.clientCa())) {
            return List.of();
        }
        try {
            return PemFiles.parseCertificates(PemFiles.read(agent.clientCa()), agent.clientCa().toString());
        } catch (PkiException e) {
            // unreadable: replaced by the published bundle
            return List.of();
        }
    }

    static boolean sameSet(List<X509Certificate> a, List<X509Certificate> b) {
        return encoded(a).equals(encoded(b));
    }

    private static Set<String> encoded(List<X509Certificate> certificates) {
        Set<String> encoded = new HashSet<>();
        for (X509Certificate certificate : certificates) {
            try {
                encoded.add(Base64.getEncoder().encodeToString(certificate.getEncoded()));
            } catch (CertificateEncodingException e) {
                throw new PkiException("cannot encode " + certificate.getSubjectX500Principal() + ": " + e.getMessage(), e);
            }
        }
        return encoded;
    }

    @Override
    public void stop() {
        ScheduledExecutorService current = executor;
        executor = null;
        if (current != null) {
            current.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }
}
