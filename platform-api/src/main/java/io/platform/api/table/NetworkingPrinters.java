package io.platform.api.table;

import io.kubernetes.client.openapi.models.V1IngressClassSpec;
import io.kubernetes.client.openapi.models.V1IngressSpec;
import io.kubernetes.client.openapi.models.V1IngressStatus;
import io.kubernetes.client.openapi.models.V1NetworkPolicySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** kube-apiserver's printers of networking.k8s.io/v1 ingresses, ingress classes and network policies. */
final class NetworkingPrinters {

    private static final int MAX_HOSTS = 3;

    private NetworkingPrinters() {}

    static void register(Map<String, Printer> printers) {
        printers.put("networking.k8s.io/ingresses", ingresses());
        printers.put("networking.k8s.io/ingressclasses", ingressClasses());
        printers.put("networking.k8s.io/networkpolicies", networkPolicies());
    }

    private static Printer ingresses() {
        return new Printer(List.of(Column.name(0),
                Column.field("Class", V1IngressSpec.class, "ingressClassName"),
                Column.of("Hosts", "string", "Hosts that incoming requests are matched against before the ingress rule", 0),
                Column.field("Address", V1IngressStatus.class, "loadBalancer"),
                Column.of("Ports", "string", "Ports of TLS configurations that open", 0),
                Column.age()),
                (ingress, now) -> List.of(Cells.name(ingress),
                        Cells.orNone(Json.text(ingress, "spec", "ingressClassName")), hosts(ingress),
                        address(ingress), Json.array(ingress, "spec", "tls").isEmpty() ? "80" : "80, 443",
                        Cells.age(ingress, now)));
    }

    /** As upstream's formatHosts: up to three hosts, {@code *} when no rule names one. */
    static String hosts(JsonNode ingress) {
        List<JsonNode> rules = Json.array(ingress, "spec", "rules");
        List<String> list = new ArrayList<>();
        boolean more = false;
        for (JsonNode rule : rules) {
            if (list.size() == MAX_HOSTS) {
                more = true;
            }
            if (!more && !Json.text(rule, "host").isEmpty()) {
                list.add(Json.text(rule, "host"));
            }
        }
        if (list.isEmpty()) {
            return "*";
        }
        String joined = String.join(",", list);
        return more ? joined + " + " + (rules.size() - MAX_HOSTS) + " more..." : joined;
    }

    private static String address(JsonNode ingress) {
        List<String> addresses = new ArrayList<>();
        for (JsonNode entry : Json.array(ingress, "status", "loadBalancer", "ingress")) {
            String ip = Json.text(entry, "ip");
            String hostname = Json.text(entry, "hostname");
            if (!ip.isEmpty()) {
                addresses.add(ip);
            } else if (!hostname.isEmpty()) {
                addresses.add(hostname);
            }
        }
        return String.join(",", addresses);
    }

    private static Printer ingressClasses() {
        return new Printer(List.of(Column.name(0),
                Column.field("Controller", V1IngressClassSpec.class, "controller"),
                Column.field("Parameters", V1IngressClassSpec.class, "parameters"),
                Column.age()),
                (ingressClass, now) -> {
                    JsonNode parameters = Json.at(ingressClass, "spec", "parameters");
                    String formatted = Cells.NONE;
                    if (parameters.isObject()) {
                        String group = Json.text(parameters, "apiGroup");
                        formatted = Json.text(parameters, "kind") + (group.isEmpty() ? "" : "." + group) + "/"
                                + Json.text(parameters, "name");
                    }
                    return List.of(Cells.name(ingressClass), Json.text(ingressClass, "spec", "controller"), formatted,
                            Cells.age(ingressClass, now));
                });
    }

    private static Printer networkPolicies() {
        return new Printer(List.of(Column.name(0),
                Column.field("Pod-Selector", V1NetworkPolicySpec.class, "podSelector"), Column.age()),
                (policy, now) -> List.of(Cells.name(policy),
                        LabelSelectors.formatOrNone(Json.at(policy, "spec", "podSelector")), Cells.age(policy, now)));
    }
}
