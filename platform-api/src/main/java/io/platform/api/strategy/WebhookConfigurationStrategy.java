package io.platform.api.strategy;

import io.platform.api.errors.StatusCause;
import io.platform.api.json.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Validating and mutating webhook configurations, as admissionregistration.k8s.io/v1: per-webhook defaults
 * (Fail, Equivalent, empty selectors, 10 s, port 443, scope *), qualified unique names, declared side effects
 * and review versions; a change of the webhooks bumps the generation.
 */
final class WebhookConfigurationStrategy implements ResourceStrategy {

    private final boolean mutating;

    WebhookConfigurationStrategy(boolean mutating) {
        this.mutating = mutating;
    }

    @Override
    public void applyDefaults(ObjectNode configuration) {
        for (JsonNode node : configuration.path("webhooks")) {
            if (!(node instanceof ObjectNode webhook)) {
                continue;
            }
            PodDefaults.putIfAbsent(webhook, "failurePolicy", "Fail");
            PodDefaults.putIfAbsent(webhook, "matchPolicy", "Equivalent");
            if (!webhook.has("namespaceSelector")) {
                webhook.set("namespaceSelector", Json.object());
            }
            if (!webhook.has("objectSelector")) {
                webhook.set("objectSelector", Json.object());
            }
            Values.defaultNumber(webhook, "timeoutSeconds", 10);
            if (mutating) {
                PodDefaults.putIfAbsent(webhook, "reinvocationPolicy", "Never");
            }
            for (JsonNode rule : webhook.path("rules")) {
                if (rule instanceof ObjectNode r) {
                    PodDefaults.putIfAbsent(r, "scope", "*");
                }
            }
            if (webhook.path("clientConfig").path("service") instanceof ObjectNode service) {
                Values.defaultNumber(service, "port", 443);
            }
        }
    }

    @Override
    public boolean tracksGeneration() {
        return true;
    }

    @Override
    public JsonNode generationSubject(JsonNode object) {
        return object.path("webhooks");
    }

    @Override
    public List<StatusCause> validate(ObjectNode configuration) {
        List<StatusCause> causes = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int i = 0;
        for (JsonNode webhook : configuration.path("webhooks")) {
            String at = "webhooks[" + i++ + "]";
            String name = webhook.path("name").asString("");
            if (name.isEmpty()) {
                causes.add(StatusCause.required(at + ".name", ""));
            } else if (name.split("\\.").length < 3 || !NameRule.DNS_SUBDOMAIN.problems(name).isEmpty()) {
                causes.add(StatusCause.invalid(at + ".name", name, "should be a domain with at least three segments separated by dots"));
            } else if (!names.add(name)) {
                causes.add(new StatusCause("FieldValueDuplicate", at + ".name", "Duplicate value: \"" + name + "\""));
            }
            Values.requiredSupported(webhook, "sideEffects", at + ".sideEffects", List.of("None", "NoneOnDryRun"), causes);
            if (webhook.path("admissionReviewVersions").isEmpty()) {
                causes.add(StatusCause.required(at + ".admissionReviewVersions", "must specify one of v1, v1beta1"));
            }
            Values.supported(webhook, "failurePolicy", at + ".failurePolicy", List.of("Fail", "Ignore"), causes);
            Values.supported(webhook, "matchPolicy", at + ".matchPolicy", List.of("Equivalent", "Exact"), causes);
            if (mutating) {
                Values.supported(webhook, "reinvocationPolicy", at + ".reinvocationPolicy", List.of("IfNeeded", "Never"), causes);
            }
            long timeout = webhook.path("timeoutSeconds").asLong(10);
            if (timeout < 1 || timeout > 30) {
                causes.add(StatusCause.invalidNumber(at + ".timeoutSeconds", timeout,
                        "the timeout value must be between 1 and 30 seconds"));
            }
            JsonNode client = webhook.path("clientConfig");
            if (client.hasNonNull("url") == client.path("service").isObject()) {
                causes.add(StatusCause.required(at + ".clientConfig", "exactly one of url or service is required"));
            } else if (client.hasNonNull("url") && !client.path("url").asString("").startsWith("https://")) {
                causes.add(StatusCause.invalid(at + ".clientConfig.url", client.path("url").asString(""),
                        "'https' is the only allowed URL scheme"));
            }
            SelectorRules.valid(webhook.path("namespaceSelector"), at + ".namespaceSelector", causes);
            SelectorRules.valid(webhook.path("objectSelector"), at + ".objectSelector", causes);
        }
        return causes;
    }
}
