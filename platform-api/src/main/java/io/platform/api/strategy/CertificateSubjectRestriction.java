package io.platform.api.strategy;

import io.platform.api.admission.AdmissionOrder;
import io.platform.api.admission.AdmissionPlugin;
import io.platform.api.admission.AdmissionRequest;
import io.platform.api.errors.ApiException;
import io.platform.common.pki.CertificateRequest;
import io.platform.common.pki.PkiException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Upstream's CertificateSubjectRestriction admission plugin: a CertificateSigningRequest for the
 * {@code kubernetes.io/kube-apiserver-client} signer may not ask for the {@code system:masters} group, so that whoever
 * may approve client certificates still cannot mint one that bypasses authorization altogether.
 */
@Component
@Order(AdmissionOrder.POLICY)
public final class CertificateSubjectRestriction implements AdmissionPlugin {

    static final String CLIENT_SIGNER = "kubernetes.io/kube-apiserver-client";
    private static final String MASTERS = "system:masters";

    @Override
    public String name() {
        return "CertificateSubjectRestriction";
    }

    @Override
    public void validate(AdmissionRequest request) {
        if (!request.creates(CertificateSigners.GROUP, CertificateSigners.CSRS)) {
            return;
        }
        String signerName = request.object().path("spec").path("signerName").asString("");
        if (!signerName.equals(CLIENT_SIGNER)) {
            return;
        }
        CertificateRequest parsed;
        try {
            parsed = CertificateRequest.parse(new String(Base64.getDecoder().decode(
                    request.object().path("spec").path("request").asString("")), StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException | PkiException e) {
            throw ApiException.forbidden(request.type(), request.name(), "failed to parse CSR: " + e.getMessage());
        }
        if (parsed.organizations().contains(MASTERS)) {
            throw ApiException.forbidden(request.type(), request.name(),
                    "use of " + CLIENT_SIGNER + " signer with " + MASTERS + " group is not allowed");
        }
    }
}
