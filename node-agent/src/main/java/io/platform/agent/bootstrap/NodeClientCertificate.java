package io.platform.agent.bootstrap;

import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.platform.common.pki.KeyPairs;
import io.platform.common.pki.PkiException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * The client certificate embedded in the node's kubeconfig, renewed with the node's own identity (upstream's
 * {@code selfnodeclient} approval); the kubeconfig is replaced atomically and the agent's client follows the file.
 */
final class NodeClientCertificate implements RotatingCertificate {

    private final Path kubeconfig;
    private final String nodeName;
    private final KubernetesClient client;
    private final SigningRequests requests;

    NodeClientCertificate(Path kubeconfig, String nodeName, KubernetesClient client, SigningRequests requests) {
        this.kubeconfig = kubeconfig;
        this.nodeName = nodeName;
        this.client = client;
        this.requests = requests;
    }

    @Override
    public String description() {
        return "client certificate of " + kubeconfig;
    }

    @Override
    public Optional<X509Certificate> current() {
        try {
            return KubeconfigFiles.clientCertificate(KubeconfigFiles.read(kubeconfig));
        } catch (PkiException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean replaceNow(X509Certificate certificate) {
        return false;
    }

    @Override
    public void renew() {
        KeyPair keys = KeyPairs.ecP256();
        String certificate = requests.request(client, keys, SigningRequests.CLIENT_SIGNER, nodeName,
                SigningRequests.CLIENT_USAGES, List.of(), List.of());
        // read again just before writing: a CA rotation may have replaced the cluster's CA data meanwhile
        Config config = KubeconfigFiles.read(kubeconfig);
        KubeconfigFiles.write(kubeconfig, KubeconfigFiles.replaceClientCertificate(config, certificate, keys));
    }
}
