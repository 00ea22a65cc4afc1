package io.platform.api.reviews;

import io.platform.api.errors.StatusCause;
import io.platform.api.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The field and label selectors of an access review's resource attributes, validated as upstream's
 * validateFieldSelectorAttributes/validateLabelSelectorAttributes: a raw selector or requirements, not both and not
 * neither; each requirement with a key, values exactly when its operator takes them; label keys qualified names and
 * label values valid label values. Unknown operators pass, so newer clients can still be answered.
 */
final class SelectorAttributes {

    private static final String QUALIFIED_NAME = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private static final Pattern NAME = Pattern.compile(QUALIFIED_NAME);
    private static final Pattern LABEL_VALUE = Pattern.compile("(" + QUALIFIED_NAME + ")?");
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final String NAME_MESSAGE = "must consist of alphanumeric characters, '-', '_' or '.', and must"
            + " start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used"
            + " for validation is '" + QUALIFIED_NAME + "')";
    private static final String LABEL_VALUE_MESSAGE = "a valid label must be an empty string or consist of"
            + " alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g."
            + " 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(" + QUALIFIED_NAME + ")?')";
    private static final String DNS_SUBDOMAIN_MESSAGE = "a lowercase RFC 1123 subdomain must consist of lower case"
            + " alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g."
            + " 'example.com', regex used for validation is"
            + " '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    private SelectorAttributes() {}

    static void validate(JsonNode resourceAttributes, String path, List<StatusCause> causes) {
        if (present(resourceAttributes, "fieldSelector")) {
            selector(resourceAttributes.path("fieldSelector"), path + ".fieldSelector", false, causes);
        }
        if (present(resourceAttributes, "labelSelector")) {
            selector(resourceAttributes.path("labelSelector"), path + ".labelSelector", true, causes);
        }
    }

    private static void selector(JsonNode selector, String path, boolean labels, List<StatusCause> causes) {
        String raw = selector.path("rawSelector").asString("");
        JsonNode requirements = selector.path("requirements");
        int count = requirements.isArray() ? requirements.size() : 0;
        if (!raw.isEmpty() && count > 0) {
            causes.add(StatusCause.invalid(path + ".rawSelector", raw, "may not specified at the same time as requirements"));
        }
        if (raw.isEmpty() && count == 0) {
            causes.add(StatusCause.required(path + ".requirements",
                    "when " + path + " is specified, requirements or rawSelector is required"));
        }
        for (int i = 0; i < count; i++) {
            String at = path + ".requirements[" + i + "]";
            if (labels) {
                labelRequirement(requirements.get(i), at, causes);
            } else {
                fieldRequirement(requirements.get(i), at, causes);
            }
        }
    }

    private static void fieldRequirement(JsonNode requirement, String path, List<StatusCause> causes) {
        if (requirement.path("key").asString("").isEmpty()) {
            causes.add(StatusCause.required(path + ".key", "must be specified"));
        }
        operatorValues(requirement, path, causes);
    }

    private static void labelRequirement(JsonNode requirement, String path, List<StatusCause> causes) {
        operatorValues(requirement, path, causes);
        String key = requirement.path("key").asString("");
        for (String problem : qualifiedNameProblems(key)) {
            causes.add(StatusCause.invalid(path + ".key", key, problem));
        }
        List<String> values = Json.strings(requirement.path("values"));
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            if (value.length() > 63) {
                causes.add(StatusCause.invalid(path + ".values[" + i + "]", value, "must be no more than 63 characters"));
            }
            if (!LABEL_VALUE.matcher(value).matches()) {
                causes.add(StatusCause.invalid(path + ".values[" + i + "]", value, LABEL_VALUE_MESSAGE));
            }
        }
    }

    /** In and NotIn need values, Exists and DoesNotExist take none; other operators are let through. */
    private static void operatorValues(JsonNode requirement, String path, List<StatusCause> causes) {
        int values = requirement.path("values").isArray() ? requirement.path("values").size() : 0;
        switch (requirement.path("operator").asString("")) {
            case "In", "NotIn" -> {
                if (values == 0) {
                    causes.add(StatusCause.required(path + ".values",
                            "must be specified when `operator` is 'In' or 'NotIn'"));
                }
            }
            case "Exists", "DoesNotExist" -> {
                if (values > 0) {
                    causes.add(StatusCause.forbidden(path + ".values",
                            "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
                }
            }
            default -> {
                // as upstream for reviews: operators this server does not know are allowed
            }
        }
    }

    /** As apimachinery's IsQualifiedName: an optional DNS subdomain prefix and '/', then a name of up to 63. */
    static List<String> qualifiedNameProblems(String value) {
        List<String> problems = new ArrayList<>();
        String[] parts = value.split("/", -1);
        String name;
        if (parts.length == 1) {
            name = parts[0];
        } else if (parts.length == 2) {
            String prefix = parts[0];
            name = parts[1];
            if (prefix.isEmpty()) {
                problems.add("prefix part must be non-empty");
            } else {
                if (prefix.length() > 253) {
                    problems.add("prefix part must be no more than 253 characters");
                }
                if (!DNS_SUBDOMAIN.matcher(prefix).matches()) {
                    problems.add("prefix part " + DNS_SUBDOMAIN_MESSAGE);
                }
            }
        } else {
            problems.add("a qualified name " + NAME_MESSAGE + " with an optional DNS subdomain prefix and '/' (e.g."
                    + " 'example.com/MyName')");
            return problems;
        }
        if (name.isEmpty()) {
            problems.add("name part must be non-empty");
        } else if (name.length() > 63) {
            problems.add("name part must be no more than 63 characters");
        }
        if (!NAME.matcher(name).matches()) {
            problems.add("name part " + NAME_MESSAGE);
        }
        return problems;
    }

    private static boolean present(JsonNode node, String field) {
        return node.has(field) && !node.get(field).isNull();
    }
}
