package io.platform.api.table;

import io.kubernetes.client.openapi.models.V1APIServiceSpec;
import io.kubernetes.client.openapi.models.V1APIServiceStatus;
import io.kubernetes.client.openapi.models.V1CertificateSigningRequestSpec;
import io.kubernetes.client.openapi.models.V1CertificateSigningRequestStatus;
import io.kubernetes.client.openapi.models.V1EndpointSlice;
import io.kubernetes.client.openapi.models.V1MutatingWebhookConfiguration;
import io.kubernetes.client.openapi.models.V1PriorityClass;
import io.kubernetes.client.openapi.models.V1ValidatingWebhookConfiguration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * kube-apiserver's printers of the cluster-level groups: scheduling, certificates, admission registration,
 * API registration, and discovery's endpoint slices.
 */
final class ClusterPrinters {

    private static final int MAX_LISTED = 3;

    private ClusterPrinters() {}

    static void register(Map<String, Printer> printers) {
        printers.put("scheduling.k8s.io/priorityclasses", priorityClasses());
        printers.put("certificates.k8s.io/certificatesigningrequests", certificateSigningRequests());
        printers.put("admissionregistration.k8s.io/validatingwebhookconfigurations",
                webhooks(V1ValidatingWebhookConfiguration.class));
        printers.put("admissionregistration.k8s.io/mutatingwebhookconfigurations",
                webhooks(V1MutatingWebhookConfiguration.class));
        printers.put("apiregistration.k8s.io/apiservices", apiServices());
        printers.put("discovery.k8s.io/endpointslices", endpointSlices());
    }

    private static Printer priorityClasses() {
        return new Printer(List.of(Column.name(0),
                Column.of("Value", "integer", Column.describe(V1PriorityClass.class, "value"), 0),
                Column.of("Global-Default", "boolean", Column.describe(V1PriorityClass.class, "globalDefault"), 0),
                Column.age(),
                Column.field("PreemptionPolicy", V1PriorityClass.class, "preemptionPolicy")),
                (priorityClass, now) -> List.of(Cells.name(priorityClass), Json.number(priorityClass, "value"),
                        Json.bool(priorityClass, "globalDefault"), Cells.age(priorityClass, now),
                        Json.text(priorityClass, "preemptionPolicy")));
    }

    private static Printer certificateSigningRequests() {
        return new Printer(List.of(Column.name(0), Column.age(),
                Column.field("SignerName", V1CertificateSigningRequestSpec.class, "signerName"),
                Column.field("Requestor", V1CertificateSigningRequestSpec.class, "username"),
                Column.field("RequestedDuration", V1CertificateSigningRequestSpec.class, "expirationSeconds"),
                Column.field("Condition", V1CertificateSigningRequestStatus.class, "conditions")),
                (csr, now) -> {
                    JsonNode seconds = Json.at(csr, "spec", "expirationSeconds");
                    return List.of(Cells.name(csr), Cells.age(csr, now),
                            Cells.orNone(Json.text(csr, "spec", "signerName")), Json.text(csr, "spec", "username"),
                            seconds.isNumber() ? HumanDuration.format(Duration.ofSeconds(seconds.asLong())) : Cells.NONE,
                            csrCondition(csr));
                });
    }

    /** As upstream's extractCSRStatus: Denied, Approved or Pending, then Failed and Issued. */
    static String csrCondition(JsonNode csr) {
        boolean approved = false;
        boolean denied = false;
        boolean failed = false;
        for (JsonNode condition : Json.array(csr, "status", "conditions")) {
            switch (Json.text(condition, "type")) {
                case "Approved" -> approved = true;
                case "Denied" -> denied = true;
                case "Failed" -> failed = true;
                default -> { }
            }
        }
        String status = denied ? "Denied" : approved ? "Approved" : "Pending";
        if (failed) {
            status += ",Failed";
        }
        if (!Json.text(csr, "status", "certificate").isEmpty()) {
            status += ",Issued";
        }
        return status;
    }

    private static Printer webhooks(Class<?> model) {
        return new Printer(List.of(Column.name(0),
                Column.of("Webhooks", "integer", Column.describe(model, "webhooks"), 0), Column.age()),
                (configuration, now) -> List.of(Cells.name(configuration), (long) Json.size(configuration, "webhooks"),
                        Cells.age(configuration, now)));
    }

    private static Printer apiServices() {
        return new Printer(List.of(Column.name(0),
                Column.field("Service", V1APIServiceSpec.class, "service"),
                Column.field("Available", V1APIServiceStatus.class, "conditions"),
                Column.age()),
                (apiService, now) -> {
                    JsonNode service = Json.at(apiService, "spec", "service");
                    String served = service.isObject()
                            ? Json.text(service, "namespace") + "/" + Json.text(service, "name") : "Local";
                    String available = "Unknown";
                    for (JsonNode condition : Json.array(apiService, "status", "conditions")) {
                        if (Json.text(condition, "type").equals("Available")) {
                            String reason = Json.text(condition, "reason");
                            available = Json.text(condition, "status") + (reason.isEmpty() ? "" : " (" + reason + ")");
                        }
                    }
                    return List.of(Cells.name(apiService), served, available, Cells.age(apiService, now));
                });
    }

    private static Printer endpointSlices() {
        return new Printer(List.of(Column.name(0),
                Column.field("AddressType", V1EndpointSlice.class, "addressType"),
                Column.field("Ports", V1EndpointSlice.class, "ports"),
                Column.field("Endpoints", V1EndpointSlice.class, "endpoints"),
                Column.age()),
                (slice, now) -> {
                    List<String> ports = new ArrayList<>();
                    for (JsonNode port : Json.array(slice, "ports")) {
                        JsonNode number = Json.at(port, "port");
                        ports.add(number.isNumber() ? Long.toString(number.asLong())
                                : Json.at(port, "name").isString() ? Json.text(port, "name") : "*");
                    }
                    List<String> addresses = new ArrayList<>();
                    for (JsonNode endpoint : Json.array(slice, "endpoints")) {
                        Json.array(endpoint, "addresses").forEach(a -> addresses.add(a.asString()));
                    }
                    return List.of(Cells.name(slice), Json.text(slice, "addressType"), withMore(ports),
                            withMore(addresses), Cells.age(slice, now));
                });
    }

    /** As upstream's listWithMoreString: three entries, then "+ N more...", {@code <unset>} when empty. */
    static String withMore(List<String> all) {
        if (all.isEmpty()) {
            return "<unset>";
        }
        String joined = String.join(",", all.subList(0, Math.min(MAX_LISTED, all.size())));
        return all.size() > MAX_LISTED ? joined + " + " + (all.size() - MAX_LISTED) + " more..." : joined;
    }
}
