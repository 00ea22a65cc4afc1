package io.platform.controllers.certificates;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.platform.common.pki.PemFiles;
import io.platform.common.pki.PkiException;
import io.platform.common.reconcile.Controller;
import io.platform.common.reconcile.ObjectKey;
import io.platform.common.reconcile.Reconciler;
import io.platform.common.reconcile.Result;
import io.platform.common.reconcile.SharedInformers;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes certificate requests that are done with, as kube-controller-manager's csrcleaner: issued ones
 * {@code approvedExpiration} after their approval or once their certificate has expired, denied and failed ones
 * {@code deniedExpiration} and {@code failedExpiration} after that decision, and requests no signer has issued
 * {@code pendingExpiration} after their creation (upstream keeps approved requests of signers that never answer;
 * here they age out as pending ones). Each request is looked at again when its time comes, and at least every
 * {@code interval}, so a clock set forward is noticed as upstream's hourly poll would.
 */
public final class CsrCleaner implements Reconciler {

    private static final Logger log = LoggerFactory.getLogger(CsrCleaner.class);

    private final KubernetesClient client;
    private final SharedInformers informers;
    private final Ages ages;
    private final Clock clock;

    /**
     * How long requests are kept.
     *
     * @param approved an issued request after its approval
     * @param denied a denied request after its denial
     * @param failed a failed request after its failure
     * @param pending a request not yet issued, denied nor failed, after its creation
     * @param interval the longest wait before a request is looked at again
     */
    public record Ages(Duration approved, Duration denied, Duration failed, Duration pending, Duration interval) {

        public Ages {
            if (interval.isZero() || interval.isNegative()) {
                throw new IllegalArgumentException("platform.controllers.certificates.cleaner-interval must be "
                        + "positive, got " + interval);
            }
        }
    }

    public CsrCleaner(KubernetesClient client, SharedInformers informers, Ages ages, Clock clock) {
        this.client = client;
        this.informers = informers;
        this.ages = ages;
        this.clock = clock;
    }

    public static Controller controller(SharedInformers informers, Reconciler reconciler, Duration backoffBase,
            Duration backoffMax) {
        return Csrs.controller("csrcleaner", informers, reconciler, backoffBase, backoffMax).build();
    }

    @Override
    public Result reconcile(ObjectKey key) {
        CertificateSigningRequest csr = informers.get(CertificateSigningRequest.class, key).orElse(null);
        if (csr == null || csr.getMetadata().getDeletionTimestamp() != null) {
            return Result.done();
        }
        Instant now = clock.instant();
        Expiry expiry = expiry(csr);
        if (!now.isBefore(expiry.at())) {
            client.certificates().v1().certificateSigningRequests().withName(key.name()).delete();
            log.info("certificatesigningrequest {}: deleted ({}, due at {})", key.name(), expiry.why(), expiry.at());
            return Result.done();
        }
        Duration remaining = Duration.between(now, expiry.at());
        return Result.requeueAfter(remaining.compareTo(ages.interval()) < 0 ? remaining : ages.interval());
    }

    /** When a request may go, and in what state it has been since. */
    record Expiry(Instant at, String why) {

        Expiry sooner(Expiry other) {
            return other.at.isBefore(at) ? other : this;
        }
    }

    Expiry expiry(CertificateSigningRequest csr) {
        Instant created = Instant.parse(csr.getMetadata().getCreationTimestamp());
        if (Csrs.issued(csr)) {
            Expiry approved = new Expiry(Csrs.condition(csr, Csrs.APPROVED).flatMap(Csrs::updated).orElse(created)
                    .plus(ages.approved()), "issued");
            return certificateExpiry(csr).map(at -> new Expiry(at, "certificate expired")).map(approved::sooner)
                    .orElse(approved);
        }
        Optional<Expiry> denied = Csrs.condition(csr, Csrs.DENIED)
                .map(c -> new Expiry(Csrs.updated(c).orElse(created).plus(ages.denied()), "denied"));
        Optional<Expiry> failed = Csrs.condition(csr, Csrs.FAILED)
                .map(c -> new Expiry(Csrs.updated(c).orElse(created).plus(ages.failed()), "failed"));
        if (denied.isPresent() || failed.isPresent()) {
            return denied.isEmpty() ? failed.get() : failed.map(denied.get()::sooner).orElse(denied.get());
        }
        return new Expiry(created.plus(ages.pending()), "pending");
    }

    // an unreadable certificate never expires here; the approval's age removes the request
    private static Optional<Instant> certificateExpiry(CertificateSigningRequest csr) {
        try {
            String pem = new String(Base64.getDecoder().decode(Csrs.certificate(csr)), StandardCharsets.UTF_8);
            return Optional.of(PemFiles.parseCertificate(pem, "status.certificate").getNotAfter().toInstant());
        } catch (IllegalArgumentException | PkiException e) {
            return Optional.empty();
        }
    }
}
