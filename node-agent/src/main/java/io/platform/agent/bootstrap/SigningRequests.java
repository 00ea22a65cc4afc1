package io.platform.agent.bootstrap;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.platform.common.pki.CertificateRequest;
import io.platform.common.pki.PemFiles;
import io.platform.common.pki.PkiException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the cluster for a certificate as the kubelet's certificate manager does: creates a CertificateSigningRequest
 * for a new key and waits on a watch, bounded in time, until a signer put the certificate into
 * {@code status.certificate}, or an approver denied it, or the signer failed it.
 */
final class SigningRequests {

    /** Node client certificates ({@code system:node:<name>} in {@code system:nodes}). */
    static final String CLIENT_SIGNER = "kubernetes.io/kube-apiserver-client-kubelet";
    /** Node serving certificates for the agent's HTTPS API. */
    static final String SERVING_SIGNER = "kubernetes.io/kubelet-serving";
    static final List<String> CLIENT_USAGES = List.of("digital signature", "client auth");
    static final List<String> SERVING_USAGES = List.of("digital signature", "server auth");
    static final String NODES_GROUP = "system:nodes";

    private static final Logger log = LoggerFactory.getLogger(SigningRequests.class);
    private static final String NAME_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Duration timeout;
    private final @Nullable Duration requestedDuration;

    SigningRequests(Duration timeout, @Nullable Duration requestedDuration) {
        this.timeout = timeout;
        this.requestedDuration = requestedDuration;
    }

    static SigningRequests of(BootstrapProperties properties) {
        return new SigningRequests(properties.certificateTimeout(), properties.requestedDuration());
    }

    /** The user name of a node's certificates, as the Node authorizer reads it. */
    static String nodeUser(String nodeName) {
        return "system:node:" + nodeName;
    }

    /**
     * Requests a certificate for {@code keys} from {@code signerName} as whoever {@code client} authenticates as,
     * and returns the issued PEM (the certificate first, any chain after it).
     *
     * @throws CertificateRequestFailedException when denied, failed, deleted, refused or not issued in time
     */
    String request(KubernetesClient client, KeyPair keys, String signerName, String nodeName, List<String> usages,
            List<String> dnsNames, List<String> ipAddresses) {
        String pem = CertificateRequest.createPem(keys, nodeUser(nodeName), List.of(NODES_GROUP), dnsNames,
                ipAddresses);
        String name = "node-csr-" + randomSuffix();
        CertificateSigningRequest csr = new CertificateSigningRequestBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec()
                .withRequest(Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8)))
                .withSignerName(signerName)
                .withUsages(usages)
                .withExpirationSeconds(requestedDuration == null ? null : (int) requestedDuration.toSeconds())
                .endSpec()
                .build();
        var requests = client.certificates().v1().certificateSigningRequests();
        try {
            requests.resource(csr).create();
        } catch (KubernetesClientException e) {
            throw new CertificateRequestFailedException("cannot create CertificateSigningRequest " + name + " for "
                    + nodeUser(nodeName) + " (" + signerName + "): " + reason(e), e);
        }
        log.info("Created CertificateSigningRequest {} for {} ({}); waiting up to {} for it to be approved and issued",
                name, nodeUser(nodeName), signerName, readable(timeout));
        CertificateSigningRequest done;
        try {
            done = requests.withName(name).waitUntilCondition(SigningRequests::settled, timeout.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (KubernetesClientTimeoutException e) {
            throw new CertificateRequestFailedException("CertificateSigningRequest " + name + " was not approved and "
                    + "issued within " + readable(timeout) + "; approve it with: kubectl certificate approve " + name,
                    e);
        } catch (KubernetesClientException e) {
            throw new CertificateRequestFailedException("cannot watch CertificateSigningRequest " + name + ": "
                    + reason(e), e);
        }
        if (done == null) {
            throw new CertificateRequestFailedException("CertificateSigningRequest " + name
                    + " was deleted before a certificate was issued");
        }
        Optional<CertificateSigningRequestCondition> refused = condition(done, "Denied").or(() -> condition(done, "Failed"));
        if (refused.isPresent()) {
            CertificateSigningRequestCondition condition = refused.get();
            throw new CertificateRequestFailedException("CertificateSigningRequest " + name + " was "
                    + condition.getType().toLowerCase(Locale.ROOT) + (condition.getReason() == null ? "" : " (" + condition.getReason() + ")")
                    + (condition.getMessage() == null ? "" : ": " + condition.getMessage()));
        }
        String issued = new String(Base64.getDecoder().decode(done.getStatus().getCertificate()), StandardCharsets.UTF_8);
        X509Certificate certificate = PemFiles.parseCertificate(issued, "CertificateSigningRequest " + name);
        if (!Arrays.equals(certificate.getPublicKey().getEncoded(), keys.getPublic().getEncoded())) {
            throw new PkiException("CertificateSigningRequest " + name + " was issued for another key");
        }
        log.info("CertificateSigningRequest {} issued: certificate valid until {}", name,
                certificate.getNotAfter().toInstant());
        return issued;
    }

    /** Issued, denied, failed or gone: nothing more will happen to it. */
    private static boolean settled(@Nullable CertificateSigningRequest csr) {
        if (csr == null) {
            return true;
        }
        boolean issued = csr.getStatus() != null && csr.getStatus().getCertificate() != null
                && !csr.getStatus().getCertificate().isEmpty();
        return issued || condition(csr, "Denied").isPresent() || condition(csr, "Failed").isPresent();
    }

    private static Optional<CertificateSigningRequestCondition> condition(CertificateSigningRequest csr, String type) {
        if (csr.getStatus() == null || csr.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return csr.getStatus().getConditions().stream()
                .filter(condition -> type.equals(condition.getType()) && !"False".equals(condition.getStatus()))
                .findFirst();
    }

    private static String reason(KubernetesClientException e) {
        if (e.getStatus() != null && e.getStatus().getMessage() != null) {
            return e.getStatus().getMessage();
        }
        return e.getMessage();
    }

    /** 15m, 2s, 1h30m: ISO-8601 without its prefix, as people write durations in properties. */
    private static String readable(Duration duration) {
        return duration.toString().substring(2).toLowerCase(Locale.ROOT);
    }

    private static String randomSuffix() {
        StringBuilder suffix = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            suffix.append(NAME_CHARACTERS.charAt(RANDOM.nextInt(NAME_CHARACTERS.length())));
        }
        return suffix.toString();
    }

    /** The cluster did not issue the certificate; the message says why and what to do. */
    static final class CertificateRequestFailedException extends RuntimeException {

        CertificateRequestFailedException(String message) {
            super(message);
        }

        CertificateRequestFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
