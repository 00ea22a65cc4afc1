package io.platform.api.strategy;

import io.platform.api.admission.AdmissionOrder;
import io.platform.api.admission.AdmissionPlugin;
import io.platform.api.admission.AdmissionRequest;
import io.platform.api.authorization.Authorizer;
import io.platform.api.errors.ApiException;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Upstream's CertificateApproval admission plugin: approving or denying a CertificateSigningRequest through its
 * {@code approval} subresource needs the {@code approve} verb on the request's signer, so who may approve is decided
 * per signer (the controller manager approves node certificates, people the rest).
 */
@Component
@Order(AdmissionOrder.POLICY)
public final class CertificateApprovalAdmission implements AdmissionPlugin {

    private final Authorizer authorizer;

    public CertificateApprovalAdmission(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    @Override
    public String name() {
        return "CertificateApproval";
    }

    @Override
    public void validate(AdmissionRequest request) {
        if (!request.is(CertificateSigners.GROUP, CertificateSigners.CSRS) || !request.subresource().equals("approval")) {
            return;
        }
        String signerName = request.object().path("spec").path("signerName").asString("");
        if (!CertificateSigners.authorized(authorizer, request.user(), "approve", signerName)) {
            throw ApiException.forbidden(request.type(), request.name(),
                    "user not permitted to approve requests with signerName \"" + signerName + "\"");
        }
    }
}
