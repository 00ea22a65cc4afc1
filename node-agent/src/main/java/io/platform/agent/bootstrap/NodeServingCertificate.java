package io.platform.agent.bootstrap;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.platform.common.pki.CertificateNames;
import io.platform.common.pki.KeyPairs;
import io.platform.common.pki.PemFiles;
import io.platform.common.pki.PkiException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The serving certificate of the agent's HTTPS API, requested from {@code kubernetes.io/kubelet-serving} with the
 * node's identity for the addresses its Node reports (what the approver checks), as the kubelet's server certificate
 * manager. A certificate no CA of {@code platform.agent.client-ca} signed (the self-signed start-up one) is replaced
 * at once; the files are replaced atomically, key first, and the server serves the pair once both match.
 */
final class NodeServingCertificate implements RotatingCertificate {

    private final Path certificateFile;
    private final Path keyFile;
    private final Path clusterCas;
    private final String nodeName;
    private final KubernetesClient client;
    private final SigningRequests requests;

    NodeServingCertificate(Path certificateFile, Path keyFile, Path clusterCas, String nodeName,
            KubernetesClient client, SigningRequests requests) {
        this.certificateFile = certificateFile;
        this.keyFile = keyFile;
        this.clusterCas = clusterCas;
        this.nodeName = nodeName;
        this.client = client;
        this.requests = requests;
    }

    @Override
    public String description() {
        return "serving certificate " + certificateFile;
    }

    @Override
    public Optional<X509Certificate> current() {
        try {
            return Optional.of(PemFiles.parseCertificate(PemFiles.read(certificateFile), certificateFile.toString()));
        } catch (PkiException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean replaceNow(X509Certificate certificate) {
        List<X509Certificate> cas;
        try {
            cas = PemFiles.parseCertificates(PemFiles.read(clusterCas), clusterCas.toString());
        } catch (PkiException | UncheckedIOException e) {
            return false;
        }
        for (X509Certificate ca : cas) {
            try {
                certificate.verify(ca.getPublicKey());
                return false;
            } catch (GeneralSecurityException e) {
                // signed by another key: try the next CA of the bundle
            }
        }
        return true;
    }

    @Override
    public void renew() {
        Node node = client.nodes().withName(nodeName).get();
        List<NodeAddress> addresses = node == null || node.getStatus() == null || node.getStatus().getAddresses() == null
                ? List.of() : node.getStatus().getAddresses();
        List<String> dnsNames = new ArrayList<>();
        List<String> ipAddresses = new ArrayList<>();
        for (NodeAddress address : addresses) {
            switch (address.getType()) {
                case "InternalIP", "ExternalIP" -> {
                    if (CertificateNames.ipLiteral(address.getAddress()) != null) {
                        add(ipAddresses, address.getAddress());
                    }
                }
                case "Hostname", "InternalDNS", "ExternalDNS" -> add(dnsNames, address.getAddress());
                default -> {
                    // other address types name nothing a client dials
                }
            }
        }
        if (dnsNames.isEmpty() && ipAddresses.isEmpty()) {
            throw new AddressesUnknownException("Node " + nodeName + " reports no addresses yet; the serving "
                    + "certificate is requested for the addresses it reports");
        }
        KeyPair keys = KeyPairs.ecP256();
        String certificate = requests.request(client, keys, SigningRequests.SERVING_SIGNER, nodeName,
                SigningRequests.SERVING_USAGES, dnsNames, ipAddresses);
        PemFiles.write(keyFile, PemFiles.privateKeyPem(keys.getPrivate()), PemFiles.OWNER_ONLY);
        PemFiles.write(certificateFile, certificate, PemFiles.WORLD_READABLE);
    }

    /** The Node is not registered yet, or without addresses: expected for a moment after the agent starts. */
    static final class AddressesUnknownException extends IllegalStateException {

        AddressesUnknownException(String message) {
            super(message);
        }
    }

    private static void add(List<String> names, String name) {
        if (!name.isBlank() && !names.contains(name)) {
            names.add(name);
        }
    }
}
