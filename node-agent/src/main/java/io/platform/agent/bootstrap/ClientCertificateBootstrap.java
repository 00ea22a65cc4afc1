package io.platform.agent.bootstrap;

import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.platform.agent.AgentProperties;
import io.platform.common.client.KubeconfigClients;
import io.platform.common.pki.KeyPairs;
import io.platform.common.pki.PkiException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The kubelet's TLS bootstrap: when {@code platform.agent.kubeconfig} is missing, unreadable or its client
 * certificate has expired, and {@code platform.agent.bootstrap-kubeconfig} is set, requests a client certificate for
 * {@code system:node:<node>} in {@code system:nodes} with the bootstrap credentials (a bootstrap token) and writes the
 * node's kubeconfig with it, so the agent then starts as itself.
 */
@Component
public class ClientCertificateBootstrap {

    private static final Logger log = LoggerFactory.getLogger(ClientCertificateBootstrap.class);

    private final AgentProperties agent;
    private final BootstrapProperties properties;
    private final Clock clock;

    ClientCertificateBootstrap(AgentProperties agent, BootstrapProperties properties, Clock clock) {
        this.agent = agent;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * The node's kubeconfig, bootstrapped first when it cannot be used and a bootstrap kubeconfig is configured.
     *
     * @throws SigningRequests.CertificateRequestFailedException when the cluster does not issue the certificate
     */
    public Path kubeconfig() {
        Path kubeconfig = agent.kubeconfig();
        Path bootstrap = agent.bootstrapKubeconfig();
        if (bootstrap == null) {
            return kubeconfig;
        }
        Optional<String> unusable = unusable(kubeconfig);
        if (unusable.isEmpty()) {
            return kubeconfig;
        }
        if (!Files.isRegularFile(bootstrap)) {
            throw new IllegalStateException(kubeconfig + " " + unusable.get() + " and the bootstrap kubeconfig "
                    + bootstrap + " does not exist (platform.agent.bootstrap-kubeconfig)");
        }
        log.info("Node {}: {} {}; requesting a client certificate with the bootstrap kubeconfig {}",
                agent.nodeName(), kubeconfig, unusable.get(), bootstrap);
        Config bootstrapConfig = KubeconfigFiles.read(bootstrap);
        KeyPair keys = KeyPairs.ecP256();
        String certificate;
        try (KubernetesClient client = KubeconfigClients.fromFile(bootstrap)) {
            certificate = SigningRequests.of(properties).request(client, keys, SigningRequests.CLIENT_SIGNER,
                    agent.nodeName(), SigningRequests.CLIENT_USAGES, List.of(), List.of());
        }
        KubeconfigFiles.write(kubeconfig, KubeconfigFiles.forUser(bootstrapConfig,
                SigningRequests.nodeUser(agent.nodeName()), certificate, keys));
        log.info("Node {}: wrote {} with the issued client certificate", agent.nodeName(), kubeconfig);
        return kubeconfig;
    }

    /** Why the kubeconfig cannot be used as it is, or empty when it can. */
    private Optional<String> unusable(Path kubeconfig) {
        if (!Files.isRegularFile(kubeconfig)) {
            return Optional.of("does not exist");
        }
        Optional<X509Certificate> certificate;
        try {
            certificate = KubeconfigFiles.clientCertificate(KubeconfigFiles.read(kubeconfig));
        } catch (PkiException | UncheckedIOException e) {
            return Optional.of("cannot be read (" + e.getMessage() + ")");
        }
        if (certificate.isPresent() && !certificate.get().getNotAfter().toInstant().isAfter(clock.instant())) {
            return Optional.of("holds a client certificate that expired at " + certificate.get().getNotAfter().toInstant());
        }
        return Optional.empty();
    }
}
