package io.platform.api.authorization;

/**
 * An authorizer's answer, as kube-apiserver's (decision, reason, error): allowed, explicitly denied, or neither
 * (no opinion, which refuses the request as well unless a later authorizer allows it).
 *
 * @param reason why, for people (SubjectAccessReview {@code status.reason}, the Forbidden message's suffix)
 * @param evaluationError what went wrong while deciding ("" when nothing did); a request that is not allowed
 *     and has one is answered 500 instead of 403, as upstream
 */
public record Decision(boolean allowed, boolean denied, String reason, String evaluationError) {

    public Decision {
        if (allowed && denied) {
            throw new IllegalArgumentException("a decision cannot both allow and deny");
        }
    }

    public static Decision allow(String reason) {
        return new Decision(true, false, reason, "");
    }

    public static Decision deny(String reason) {
        return new Decision(false, true, reason, "");
    }

    public static Decision noOpinion(String reason) {
        return new Decision(false, false, reason, "");
    }

    public Decision withEvaluationError(String error) {
        return new Decision(allowed, denied, reason, error);
    }
}
