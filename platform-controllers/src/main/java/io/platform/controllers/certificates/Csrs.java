package io.platform.controllers.certificates;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestCondition;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestConditionBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestStatus;
import io.platform.common.pki.CertificateRequest;
import io.platform.common.pki.PkiException;
import io.platform.common.reconcile.Controller;
import io.platform.common.reconcile.Reconciler;
import io.platform.common.reconcile.SharedInformers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** What the three controllers read from a CertificateSigningRequest, and the conditions they add. */
final class Csrs {

    static final String APPROVED = "Approved";
    static final String DENIED = "Denied";
    static final String FAILED = "Failed";

    private Csrs() {}

    /** A controller of certificate requests, keyed by request name, as each of the three is. */
    static Controller.Builder controller(String name, SharedInformers informers, Reconciler reconciler,
            Duration backoffBase, Duration backoffMax) {
        return Controller.builder(name, informers)
                .forType(CertificateSigningRequest.class)
                .reconciler(reconciler)
                .backoff(backoffBase, backoffMax);
    }

    static Optional<CertificateSigningRequestCondition> condition(CertificateSigningRequest csr, String type) {
        CertificateSigningRequestStatus status = csr.getStatus();
        if (status == null || status.getConditions() == null) {
            return Optional.empty();
        }
        return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    static boolean has(CertificateSigningRequest csr, String type) {
        return condition(csr, type).isPresent();
    }

    static boolean issued(CertificateSigningRequest csr) {
        return !certificate(csr).isEmpty();
    }

    /** The base64 PEM of {@code status.certificate}, "" before it is issued. */
    static String certificate(CertificateSigningRequest csr) {
        CertificateSigningRequestStatus status = csr.getStatus();
        return status == null || status.getCertificate() == null ? "" : status.getCertificate();
    }

    static String signerName(CertificateSigningRequest csr) {
        return csr.getSpec() == null || csr.getSpec().getSignerName() == null ? "" : csr.getSpec().getSignerName();
    }

    static List<String> usages(CertificateSigningRequest csr) {
        return csr.getSpec() == null || csr.getSpec().getUsages() == null ? List.of() : csr.getSpec().getUsages();
    }

    /** The PKCS#10 request of {@code spec.request} (base64 of a PEM block); throws {@link PkiException} when unreadable. */
    static CertificateRequest request(CertificateSigningRequest csr) {
        String request = csr.getSpec() == null || csr.getSpec().getRequest() == null ? "" : csr.getSpec().getRequest();
        try {
            return CertificateRequest.parse(new String(Base64.getDecoder().decode(request), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new PkiException("spec.request is not base64: " + e.getMessage(), e);
        }
    }

    /** {@code copy} (never the cached object, which is shared) with a True condition added, stamped {@code now}. */
    static CertificateSigningRequest withCondition(CertificateSigningRequest copy, String type, String reason,
            String message, Instant now) {
        String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
        CertificateSigningRequestStatus status = copy.getStatus() == null ? new CertificateSigningRequestStatus()
                : copy.getStatus();
        List<CertificateSigningRequestCondition> conditions = status.getConditions() == null ? new ArrayList<>()
                : new ArrayList<>(status.getConditions());
        conditions.add(new CertificateSigningRequestConditionBuilder().withType(type).withStatus("True")
                .withReason(reason).withMessage(message).withLastUpdateTime(time).withLastTransitionTime(time).build());
        status.setConditions(conditions);
        copy.setStatus(status);
        return copy;
    }

    /** When {@code condition} was last written: its lastUpdateTime, else its lastTransitionTime. */
    static Optional<Instant> updated(CertificateSigningRequestCondition condition) {
        String time = condition.getLastUpdateTime() != null ? condition.getLastUpdateTime()
                : condition.getLastTransitionTime();
        return time == null || time.isEmpty() ? Optional.empty() : Optional.of(Instant.parse(time));
    }
}
