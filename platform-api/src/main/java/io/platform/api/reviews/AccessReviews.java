package io.platform.api.reviews;

import io.platform.api.auth.AuthenticatedUser;
import io.platform.api.authorization.Attributes;
import io.platform.api.authorization.Authorizer;
import io.platform.api.authorization.Decision;
import io.platform.common.golang.GoSyntax;
import io.platform.api.authorization.Rules;
import io.platform.api.errors.ApiException;
import io.platform.api.errors.StatusCause;
import io.platform.api.json.Json;
import io.platform.api.registry.ResourceType;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code authorization.k8s.io/v1} reviews, validated and answered as kube-apiserver's registry does: access
 * reviews ask the {@link Authorizer} about one request's attributes (the requester's own, or a named user's), the
 * rules review lists the requester's rules in a namespace.
 */
final class AccessReviews {

    private final Authorizer authorizer;

    AccessReviews(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    ObjectNode selfSubjectAccessReview(ResourceType type, ObjectNode review, AuthenticatedUser user) {
        JsonNode spec = review.path("spec");
        List<StatusCause> causes = new ArrayList<>();
        specCauses(spec, false, causes);
        metadataCauses(review, false, causes);
        requireValid(type, causes);
        return withDecision(review, authorizer.decide(attributes(spec, user)));
    }

    ObjectNode subjectAccessReview(ResourceType type, ObjectNode review) {
        JsonNode spec = review.path("spec");
        List<StatusCause> causes = new ArrayList<>();
        specCauses(spec, true, causes);
        metadataCauses(review, false, causes);
        requireValid(type, causes);
        return withDecision(review, authorizer.decide(attributes(spec, subject(spec))));
    }

    /**
     * A SubjectAccessReview confined to the namespace it is posted in: its resource attributes must name that
     * namespace (the path's, which the create handler put into {@code metadata.namespace}) and it may not ask about
     * non-resource paths.
     */
    ObjectNode localSubjectAccessReview(ResourceType type, ObjectNode review) {
        JsonNode spec = review.path("spec");
        List<StatusCause> causes = new ArrayList<>();
        specCauses(spec, true, causes);
        metadataCauses(review, true, causes);
        String namespace = review.path("metadata").path("namespace").asString("");
        if (present(spec, "resourceAttributes")) {
            String attributesNamespace = spec.path("resourceAttributes").path("namespace").asString("");
            if (!attributesNamespace.equals(namespace)) {
                causes.add(StatusCause.invalid("spec.resourceAttributes.namespace", attributesNamespace,
                        "must match metadata.namespace"));
            }
        }
        if (present(spec, "nonResourceAttributes")) {
            causes.add(invalidValue("spec.nonResourceAttributes", nonResourceValue(spec),
                    "disallowed on this kind of request"));
        }
        requireValid(type, causes);
        if (namespace.isEmpty()) {
            throw ApiException.badRequest("namespace is required on this type: " + namespace);
        }
        return withDecision(review, authorizer.decide(attributes(spec, subject(spec))));
    }

    /** As upstream, the answer is a new review: an empty spec and the rules as status. */
    ObjectNode selfSubjectRulesReview(ResourceType type, ObjectNode review, AuthenticatedUser user) {
        String namespace = review.path("spec").path("namespace").asString("");
        if (namespace.isEmpty()) {
            throw ApiException.badRequest("no namespace on request");
        }
        Rules rules = authorizer.rulesFor(user, namespace);
        ObjectNode answer = Json.object();
        answer.put("kind", type.kind()).put("apiVersion", type.apiVersion());
        answer.putObject("metadata");
        answer.putObject("spec");
        ObjectNode status = answer.putObject("status");
        ArrayNode resourceRules = status.putArray("resourceRules");
        for (Rules.ResourceRule rule : rules.resourceRules()) {
            ObjectNode entry = resourceRules.addObject();
            strings(entry, "verbs", rule.verbs(), true);
            strings(entry, "apiGroups", rule.apiGroups(), false);
            strings(entry, "resources", rule.resources(), false);
            strings(entry, "resourceNames", rule.resourceNames(), false);
        }
        ArrayNode nonResourceRules = status.putArray("nonResourceRules");
        for (Rules.NonResourceRule rule : rules.nonResourceRules()) {
            ObjectNode entry = nonResourceRules.addObject();
            strings(entry, "verbs", rule.verbs(), true);
            strings(entry, "nonResourceURLs", rule.nonResourceURLs(), false);
        }
        status.put("incomplete", rules.incomplete());
        if (!rules.evaluationError().isEmpty()) {
            status.put("evaluationError", rules.evaluationError());
        }
        return answer;
    }

    /**
     * Exactly one of resourceAttributes and nonResourceAttributes, for a SubjectAccessReview ({@code subject}) a
     * user or a group to ask about, and valid selectors in the resource attributes, as upstream validates a spec.
     */
    private static void specCauses(JsonNode spec, boolean subject, List<StatusCause> causes) {
        boolean resource = present(spec, "resourceAttributes");
        boolean nonResource = present(spec, "nonResourceAttributes");
        if (resource && nonResource) {
            causes.add(invalidValue("spec.nonResourceAttributes", nonResourceValue(spec),
                    "cannot be specified in combination with resourceAttributes"));
        }
        if (!resource && !nonResource) {
            causes.add(StatusCause.invalid("spec.resourceAttributes", "null",
                    "exactly one of nonResourceAttributes or resourceAttributes must be specified"));
        }
        String user = spec.path("user").asString("");
        if (subject && user.isEmpty() && Json.strings(spec.path("groups")).isEmpty()) {
            causes.add(StatusCause.invalid("spec.user", user, "at least one of user or group must be specified"));
        }
        if (resource) {
            SelectorAttributes.validate(spec.path("resourceAttributes"), "spec.resourceAttributes", causes);
        }
    }

    /** Reviews carry no object metadata (a LocalSubjectAccessReview its namespace only), as upstream checks. */
    private static void metadataCauses(ObjectNode review, boolean namespaceAllowed, List<StatusCause> causes) {
        JsonNode metadata = review.path("metadata");
        if (!metadata.isObject()) {
            return;
        }
        for (var field : metadata.properties()) {
            String name = field.getKey();
            if (name.equals("managedFields") || (namespaceAllowed && name.equals("namespace")) || isEmpty(field.getValue())) {
                continue;
            }
            causes.add(invalidValue("metadata", Json.string(metadata),
                    namespaceAllowed ? "must be empty except for namespace" : "must be empty"));
            return;
        }
    }

    /** As apimachinery's semantic equality with the zero value: null, "", 0, false and empty containers. */
    private static boolean isEmpty(JsonNode value) {
        return value.isNull() || value.isMissingNode()
                || (value.isString() && value.asString().isEmpty())
                || (value.isNumber() && value.asDouble() == 0)
                || (value.isBoolean() && !value.asBoolean())
                || (value.isContainer() && value.isEmpty());
    }

    private static void requireValid(ResourceType type, List<StatusCause> causes) {
        if (!causes.isEmpty()) {
            throw ApiException.invalid(type, "", causes);
        }
    }

    /** The attributes of a review's spec for {@code user}, as upstream's ResourceAttributesFrom/NonResourceAttributesFrom. */
    private static Attributes attributes(JsonNode spec, AuthenticatedUser user) {
        if (present(spec, "resourceAttributes")) {
            JsonNode attributes = spec.path("resourceAttributes");
            return Attributes.resource(user, text(attributes, "verb"), text(attributes, "group"),
                            text(attributes, "version"), text(attributes, "resource"), text(attributes, "subresource"),
                            text(attributes, "namespace"), text(attributes, "name"))
                    .withSelectors(attributes.path("fieldSelector").path("rawSelector").asString(""),
                            attributes.path("labelSelector").path("rawSelector").asString(""));
        }
        JsonNode attributes = spec.path("nonResourceAttributes");
        return Attributes.nonResource(user, text(attributes, "verb"), text(attributes, "path"));
    }

    /** The user a SubjectAccessReview asks about: exactly as its spec names it, no group added. */
    private static AuthenticatedUser subject(JsonNode spec) {
        return new AuthenticatedUser(spec.path("user").asString(""), Json.strings(spec.path("groups")));
    }

    /** The review with {@code status} set from the decision, as upstream fills SubjectAccessReviewStatus. */
    private static ObjectNode withDecision(ObjectNode review, Decision decision) {
        ObjectNode status = review.putObject("status");
        status.put("allowed", decision.allowed());
        if (decision.denied()) {
            status.put("denied", true);
        }
        if (!decision.reason().isEmpty()) {
            status.put("reason", decision.reason());
        }
        if (!decision.evaluationError().isEmpty()) {
            status.put("evaluationError", decision.evaluationError());
        }
        return review;
    }

    /** Whether a pointer field of the spec is set (present and not null), as Go sees a non-nil pointer. */
    private static boolean present(JsonNode spec, String field) {
        return spec.has(field) && !spec.get(field).isNull();
    }

    /** The non-resource attributes as Go's {@code %#v} prints the struct in an Invalid cause. */
    private static String nonResourceValue(JsonNode spec) {
        JsonNode attributes = spec.path("nonResourceAttributes");
        return "authorization.NonResourceAttributes{Path:" + GoSyntax.quote(text(attributes, "path")) + ", Verb:"
                + GoSyntax.quote(text(attributes, "verb")) + "}";
    }

    private static StatusCause invalidValue(String field, String goValue, String detail) {
        return new StatusCause("FieldValueInvalid", field, "Invalid value: " + goValue + ": " + detail);
    }

    private static String text(JsonNode node, String field) {
        return node.path(field).asString("");
    }

    private static void strings(ObjectNode node, String field, List<String> values, boolean always) {
        if (always || !values.isEmpty()) {
            ArrayNode array = node.putArray(field);
            values.forEach(array::add);
        }
    }
}
