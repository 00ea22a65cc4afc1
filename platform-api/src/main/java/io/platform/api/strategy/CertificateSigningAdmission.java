package io.platform.api.strategy;

import io.platform.api.admission.AdmissionOrder;
import io.platform.api.admission.AdmissionPlugin;
import io.platform.api.admission.AdmissionRequest;
import io.platform.api.authorization.Authorizer;
import io.platform.api.errors.ApiException;
import io.platform.api.errors.StatusCause;
import java.util.List;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes of a CertificateSigningRequest's {@code status} subresource: first validated as upstream's status strategy
 * does ({@link CertificateStatusUpdate}), then, when they set the certificate, admitted as upstream's
 * CertificateSigning plugin: only users with the {@code sign} verb on the request's signer may issue it.
 */
@Component
@Order(AdmissionOrder.POLICY)
public final class CertificateSigningAdmission implements AdmissionPlugin {

    private final Authorizer authorizer;

    public CertificateSigningAdmission(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    @Override
    public String name() {
        return "CertificateSigning";
    }

    @Override
    public void validate(AdmissionRequest request) {
        ObjectNode old = request.oldObject();
        if (!request.is(CertificateSigners.GROUP, CertificateSigners.CSRS) || !request.subresource().equals("status")
                || old == null) {
            return;
        }
        List<StatusCause> causes = CertificateStatusUpdate.validate(request.object(), old);
        if (!causes.isEmpty()) {
            throw ApiException.invalid(request.type(), request.name(), causes);
        }
        if (!CertificateStatusUpdate.certificateChanged(request.object(), old)) {
            return;
        }
        String signerName = old.path("spec").path("signerName").asString("");
        if (!CertificateSigners.authorized(authorizer, request.user(), "sign", signerName)) {
            throw ApiException.forbidden(request.type(), request.name(),
                    "user not permitted to sign requests with signerName \"" + signerName + "\"");
        }
    }
}
