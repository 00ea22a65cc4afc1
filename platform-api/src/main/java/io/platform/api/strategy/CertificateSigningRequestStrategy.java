package io.platform.api.strategy;

import io.platform.api.errors.StatusCause;
import io.platform.api.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * CertificateSigningRequests, as certificates.k8s.io/v1: a PEM CERTIFICATE REQUEST and a signer name; the spec
 * never changes after creation and the status starts empty (approval and signing come through subresources).
 */
final class CertificateSigningRequestStrategy implements ResourceStrategy {

    private static final String PEM_HEADER = "-----BEGIN CERTIFICATE REQUEST-----";

    @Override
    public void prepareForCreate(ObjectNode request) {
        request.set("status", Json.object());
    }

    @Override
    public void prepareForUpdate(ObjectNode request, ObjectNode old) {
        JsonNode spec = old.get("spec");
        if (spec != null) {
            request.set("spec", spec);
        }
    }

    @Override
    public List<StatusCause> validate(ObjectNode request) {
        List<StatusCause> causes = new ArrayList<>();
        JsonNode spec = request.path("spec");
        String pem = spec.path("request").asString("");
        if (pem.isEmpty()) {
            causes.add(StatusCause.required("spec.request", ""));
        } else if (!decodesToCertificateRequest(pem)) {
            causes.add(new StatusCause("FieldValueInvalid", "spec.request",
                    "Invalid value: []byte{...}: PEM block type must be CERTIFICATE REQUEST"));
        }
        Values.required(spec, "signerName", "spec.signerName", causes);
        JsonNode seconds = spec.path("expirationSeconds");
        if (seconds.isNumber() && seconds.asLong() < 600) {
            causes.add(StatusCause.invalidNumber("spec.expirationSeconds", seconds.asLong(), "may not specify a duration less than 600 seconds (10 minutes)"));
        }
        CertificateApproval.validateConditions(request.path("status").path("conditions"), causes);
        return causes;
    }

    private static boolean decodesToCertificateRequest(String base64) {
        try {
            String pem = new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
            return pem.strip().startsWith(PEM_HEADER);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
