package io.platform.controllers.certificates;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.platform.common.pki.CertificateRequest;
import io.platform.common.pki.CertificateSigner;
import io.platform.common.pki.CertificateTemplate;
import io.platform.common.pki.PemFiles;
import io.platform.common.pki.PkiException;
import io.platform.common.reconcile.Controller;
import io.platform.common.reconcile.ObjectKey;
import io.platform.common.reconcile.Reconciler;
import io.platform.common.reconcile.Result;
import io.platform.common.reconcile.SharedInformers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issues approved requests of the kubernetes.io signers with the cluster CA, as kube-controller-manager's csrsigning
 * controller: a request that breaks its signer's rules gets a {@code Failed} condition (reason
 * {@code SignerValidationFailure}) instead; otherwise the certificate copies the request's subject and DNS, IP,
 * e-mail and URI names, carries the key usages of {@code spec.usages}, starts {@code backdate} before now and lasts
 * the cluster signing duration, or {@code spec.expirationSeconds} when shorter (never under 10 minutes), never past
 * the CA's own expiry. Requests of other signers are left to whoever owns them.
 */
public final class CsrSigner implements Reconciler {

    private static final Logger log = LoggerFactory.getLogger(CsrSigner.class);
    static final String FAILURE_REASON = "SignerValidationFailure";
    // as upstream: twice the backdate it applies, so a certificate is never valid only in the past
    static final Duration MINIMUM_DURATION = Duration.ofMinutes(10);

    private final KubernetesClient client;
    private final SharedInformers informers;
    private final SigningCa ca;
    private final Duration signingDuration;
    private final Duration backdate;
    private final Clock clock;

    CsrSigner(KubernetesClient client, SharedInformers informers, SigningCa ca, Duration signingDuration,
            Duration backdate, Clock clock) {
        if (signingDuration.compareTo(MINIMUM_DURATION) < 0) {
            throw new IllegalArgumentException("platform.controllers.certificates.cluster-signing-duration must be at "
                    + "least " + MINIMUM_DURATION.toMinutes() + "m, got " + signingDuration);
        }
        this.client = client;
        this.informers = informers;
        this.ca = ca;
        this.signingDuration = signingDuration;
        this.backdate = backdate;
        this.clock = clock;
    }

    /** A signer issuing with the CA in {@code certificateFile} and {@code keyFile}, read when first needed. */
    public static CsrSigner fromFiles(KubernetesClient client, SharedInformers informers,
            Path certificateFile, Path keyFile, Duration signingDuration, Duration backdate,
            Clock clock) {
        return new CsrSigner(client, informers, new SigningCa(certificateFile, keyFile), signingDuration, backdate, clock);
    }

    public static Controller controller(SharedInformers informers, Reconciler reconciler, Duration backoffBase,
            Duration backoffMax) {
        return Csrs.controller("csrsigning", informers, reconciler, backoffBase, backoffMax).build();
    }

    @Override
    public Result reconcile(ObjectKey key) {
        CertificateSigningRequest csr = informers.get(CertificateSigningRequest.class, key).orElse(null);
        if (csr == null || !Csrs.has(csr, Csrs.APPROVED) || Csrs.has(csr, Csrs.FAILED) || Csrs.issued(csr)
                || !SignerRules.SIGNERS.contains(Csrs.signerName(csr))) {
            return Result.done();
        }
        CertificateRequest request;
        try {
            request = Csrs.request(csr);
        } catch (PkiException e) {
            fail(csr, e.getMessage());
            return Result.done();
        }
        Optional<String> problem = request.signatureValid()
                ? SignerRules.problem(Csrs.signerName(csr), request, Csrs.usages(csr))
                : Optional.of("the certificate request's signature does not verify with its public key");
        if (problem.isPresent()) {
            fail(csr, problem.get());
            return Result.done();
        }
        X509Certificate certificate = sign(request, csr);
        CertificateSigningRequest copy = client.getKubernetesSerialization().clone(csr);
        copy.getStatus().setCertificate(Base64.getEncoder().encodeToString(
                PemFiles.certificatePem(certificate).getBytes(StandardCharsets.UTF_8)));
        client.certificates().v1().certificateSigningRequests().resource(copy).subresource("status").update();
        log.info("certificatesigningrequest {}: issued {} for {} until {}", csr.getMetadata().getName(),
                Csrs.signerName(csr), request.commonName(), certificate.getNotAfter().toInstant());
        return Result.done();
    }

    private X509Certificate sign(CertificateRequest request, CertificateSigningRequest csr) {
        CertificateSigner signer = ca.current();
        Instant now = clock.instant();
        Instant caExpiry = signer.issuer().getNotAfter().toInstant();
        if (!now.isBefore(caExpiry)) {
            // retried with back-off: a CA rotation brings a signer that can issue again
            throw new PkiException("the signing CA expired at " + caExpiry + "; not issuing " + csr.getMetadata().getName());
        }
        KeyUsages usages = KeyUsages.of(Csrs.usages(csr));
        return signer.sign(new CertificateTemplate(request.subject(), request.publicKey(), now.minus(backdate),
                now.plus(duration(csr.getSpec().getExpirationSeconds())), usages.keyUsage(),
                usages.extendedKeyUsages(), request.subjectAlternativeNames()));
    }

    /** The cluster signing duration, or the requested one when shorter, but at least {@link #MINIMUM_DURATION}. */
    Duration duration(@Nullable Integer expirationSeconds) {
        if (expirationSeconds == null) {
            return signingDuration;
        }
        Duration requested = Duration.ofSeconds(expirationSeconds);
        if (requested.compareTo(signingDuration) > 0) {
            return signingDuration;
        }
        return requested.compareTo(MINIMUM_DURATION) < 0 ? MINIMUM_DURATION : requested;
    }

    private void fail(CertificateSigningRequest csr, String message) {
        CertificateSigningRequest copy = Csrs.withCondition(client.getKubernetesSerialization().clone(csr),
                Csrs.FAILED, FAILURE_REASON, message, clock.instant());
        client.certificates().v1().certificateSigningRequests().resource(copy).subresource("status").update();
        log.info("certificatesigningrequest {}: not issued by {}: {}", csr.getMetadata().getName(),
                Csrs.signerName(csr), message);
    }
}
