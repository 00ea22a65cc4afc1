package io.platform.api.strategy;

import io.platform.api.errors.StatusCause;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Validation of a CertificateSigningRequest's {@code status} subresource update, as upstream's status strategy: the
 * Approved and Denied conditions belong to the {@code approval} subresource and stay as they are, no Failed
 * condition is removed, and {@code status.certificate} is set once, to PEM {@code CERTIFICATE} blocks only.
 */
final class CertificateStatusUpdate {

    private static final List<String> APPROVAL_TYPES = List.of("Approved", "Denied");

    private CertificateStatusUpdate() {}

    static List<StatusCause> validate(ObjectNode next, ObjectNode old) {
        List<StatusCause> causes = new ArrayList<>();
        JsonNode conditions = next.path("status").path("conditions");
        JsonNode oldConditions = old.path("status").path("conditions");
        CertificateApproval.validateConditions(conditions, causes);
        CertificateApproval.keepsDecisions(conditions, oldConditions, causes);
        for (String type : APPROVAL_TYPES) {
            List<JsonNode> now = ofType(conditions, type);
            List<JsonNode> before = ofType(oldConditions, type);
            if (now.size() > before.size()) {
                causes.add(StatusCause.forbidden("status.conditions",
                        "updates may not add a condition of type \"" + type + "\""));
            } else if (now.size() == before.size() && !now.equals(before)) {
                causes.add(StatusCause.forbidden("status.conditions",
                        "updates may not modify a condition of type \"" + type + "\""));
            }
        }
        if (certificateChanged(next, old)) {
            if (!certificate(old).isEmpty()) {
                causes.add(StatusCause.forbidden("status.certificate", "updates may not modify existing certificate content"));
            } else {
                String problem = certificateProblem(certificate(next));
                if (problem != null) {
                    causes.add(StatusCause.invalid("status.certificate", "<certificate data>", problem));
                }
            }
        }
        return causes;
    }

    static boolean certificateChanged(ObjectNode next, ObjectNode old) {
        return !certificate(next).equals(certificate(old));
    }

    private static String certificate(ObjectNode csr) {
        return csr.path("status").path("certificate").asString("");
    }

    private static List<JsonNode> ofType(JsonNode conditions, String type) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode condition : conditions) {
            if (condition.path("type").asString("").equals(type)) {
                found.add(condition);
            }
        }
        return found;
    }

    /** What is wrong with a base64 {@code status.certificate}, as upstream's words, or null when it is fine. */
    static @Nullable String certificateProblem(String base64) {
        String pem;
        try {
            pem = new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "must be base64-encoded PEM data";
        }
        int blocks = 0;
        try (PemReader reader = new PemReader(new StringReader(pem))) {
            for (PemObject block = reader.readPemObject(); block != null; block = reader.readPemObject()) {
                if (!block.getType().equals("CERTIFICATE")) {
                    return "only CERTIFICATE PEM blocks are allowed, found \"" + block.getType() + "\"";
                }
                if (!block.getHeaders().isEmpty()) {
                    return "no PEM block headers are permitted";
                }
                CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(block.getContent()));
                blocks++;
            }
        } catch (IOException | CertificateException e) {
            return "cannot parse a CERTIFICATE PEM block: " + e.getMessage();
        }
        return blocks == 0 ? "must contain at least one CERTIFICATE PEM block" : null;
    }
}
