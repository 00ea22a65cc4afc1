package io.platform.api.strategy;

import io.platform.api.errors.StatusCause;
import io.platform.api.json.Json;
import io.platform.common.pki.CertificateRequest;
import io.platform.common.pki.PkiException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * CertificateSigningRequests, as certificates.k8s.io/v1: a PEM CERTIFICATE REQUEST signed by its own key and a
 * signer name; the spec
 * never changes after creation and the status starts empty (approval and signing come through subresources).
 */
final class CertificateSigningRequestStrategy implements ResourceStrategy {

    /** certificates.k8s.io/v1's key usages: key usages, then extended key usages. */
    static final List<String> USAGES = List.of("signing", "digital signature", "content commitment",
            "key encipherment", "key agreement", "data encipherment", "cert sign", "crl sign", "encipher only",
            "decipher only", "any", "server auth", "client auth", "code signing", "email protection", "s/mime",
            "ipsec end system", "ipsec tunnel", "ipsec user", "timestamping", "ocsp signing", "microsoft sgc",
            "netscape sgc");

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
        } else {
            requestProblem(pem).ifPresent(problem -> causes.add(new StatusCause("FieldValueInvalid", "spec.request",
                    "Invalid value: []byte{...}: " + problem)));
        }
        Values.required(spec, "signerName", "spec.signerName", causes);
        validateUsages(spec.path("usages"), causes);
        JsonNode seconds = spec.path("expirationSeconds");
        if (seconds.isNumber() && seconds.asLong() < 600) {
            causes.add(StatusCause.invalidNumber("spec.expirationSeconds", seconds.asLong(), "may not specify a duration less than 600 seconds (10 minutes)"));
        }
        CertificateApproval.validateConditions(request.path("status").path("conditions"), causes);
        return causes;
    }

    // as upstream: every usage known and none twice, so a signer never has to guess what was meant
    private static void validateUsages(JsonNode usages, List<StatusCause> causes) {
        Set<String> seen = new HashSet<>();
        int i = 0;
        for (JsonNode usage : usages) {
            String at = "spec.usages[" + i++ + "]";
            String value = usage.asString("");
            if (!USAGES.contains(value)) {
                causes.add(StatusCause.notSupported(at, value, USAGES.stream().sorted().toList()));
            } else if (!seen.add(value)) {
                causes.add(new StatusCause("FieldValueDuplicate", at, "Duplicate value: \"" + value + "\""));
            }
        }
    }

    /**
     * What is wrong with a request, as upstream's validation parses it: a PEM {@code CERTIFICATE REQUEST} whose
     * signature verifies with its own public key, so nobody can ask for a certificate of a key they do not hold.
     */
    private static Optional<String> requestProblem(String base64) {
        String pem;
        try {
            pem = new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.of("PEM block type must be " + CertificateRequest.PEM_TYPE);
        }
        try {
            return CertificateRequest.parse(pem).signatureValid()
                    ? Optional.empty() : Optional.of("x509: signature of the certificate request does not verify");
        } catch (PkiException e) {
            return Optional.of(e.getMessage());
        }
    }
}
