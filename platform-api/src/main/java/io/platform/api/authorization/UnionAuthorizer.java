package io.platform.api.authorization;

import io.platform.api.auth.AuthenticatedUser;
import io.platform.api.authorization.Rules.NonResourceRule;
import io.platform.api.authorization.Rules.ResourceRule;
import java.util.ArrayList;
import java.util.List;

/**
 * The configured authorizers as one, as kube-apiserver builds its chain: members of {@code system:masters} are
 * allowed everything first (upstream's privileged-group authorizer), then each authorizer in mode order; the first
 * that allows or denies decides, no opinion falls through, and a request nobody allowed is refused with the reasons
 * the authorizers gave, one per line. Rules are every authorizer's together.
 */
public final class UnionAuthorizer implements Authorizer {

    static final String PRIVILEGED_GROUP = "system:masters";
    private static final Decision PRIVILEGED = Decision.allow("");

    private final List<Authorizer> authorizers;

    public UnionAuthorizer(List<Authorizer> authorizers) {
        this.authorizers = List.copyOf(authorizers);
    }

    @Override
    public Decision decide(Attributes attributes) {
        if (attributes.user().groups().contains(PRIVILEGED_GROUP)) {
            return PRIVILEGED;
        }
        List<String> reasons = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (Authorizer authorizer : authorizers) {
            Decision decision = authorizer.decide(attributes);
            if (decision.allowed() || decision.denied()) {
                return decision;
            }
            if (!decision.reason().isEmpty()) {
                reasons.add(decision.reason());
            }
            if (!decision.evaluationError().isEmpty()) {
                errors.add(decision.evaluationError());
            }
        }
        Decision none = Decision.noOpinion(String.join("\n", reasons));
        return errors.isEmpty() ? none : none.withEvaluationError(String.join(", ", errors));
    }

    @Override
    public Rules rulesFor(AuthenticatedUser user, String namespace) {
        List<ResourceRule> resourceRules = new ArrayList<>();
        List<NonResourceRule> nonResourceRules = new ArrayList<>();
        boolean incomplete = false;
        List<String> errors = new ArrayList<>();
        for (Authorizer authorizer : authorizers) {
            Rules rules = authorizer.rulesFor(user, namespace);
            resourceRules.addAll(rules.resourceRules());
            nonResourceRules.addAll(rules.nonResourceRules());
            incomplete |= rules.incomplete();
            if (!rules.evaluationError().isEmpty()) {
                errors.add(rules.evaluationError());
            }
        }
        String error = errors.isEmpty() ? "" : errors.size() == 1 ? errors.getFirst() : "[" + String.join(", ", errors) + "]";
        return new Rules(resourceRules, nonResourceRules, incomplete, error);
    }
}
