package io.platform.api.reviews;

import io.platform.api.auth.AuthenticatedUser;
import io.platform.api.auth.TokenAuthentication;
import io.platform.api.authorization.Authorizer;
import io.platform.api.registry.ResourceType;
import java.time.Clock;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * Answers a review posted to one of the create-only types: the posted object (already checked to be of the type,
 * its namespace set from the path) comes back with its status filled in, or a new object where kube-apiserver
 * builds one (SelfSubjectRulesReview, SelfSubjectReview). Nothing is stored.
 */
public final class Reviews {

    private final AccessReviews access;
    private final AuthenticationReviews authentication;

    public Reviews(Authorizer authorizer, TokenAuthentication tokens, Clock clock) {
        this.access = new AccessReviews(authorizer);
        this.authentication = new AuthenticationReviews(tokens, clock);
    }

    /**
     * @param user who posted the review
     * @throws io.platform.api.errors.ApiException 400 or 422 for a review kube-apiserver would refuse
     * @throws IllegalArgumentException for a type that is no review
     */
    public Mono<ObjectNode> create(ResourceType type, ObjectNode review, AuthenticatedUser user) {
        if (type.apiVersion().equals("authentication.k8s.io/v1") && type.kind().equals("TokenReview")) {
            return authentication.tokenReview(review);
        }
        return Mono.fromSupplier(() -> switch (type.apiVersion() + "/" + type.kind()) {
            case "authorization.k8s.io/v1/SelfSubjectAccessReview" -> access.selfSubjectAccessReview(type, review, user);
            case "authorization.k8s.io/v1/SubjectAccessReview" -> access.subjectAccessReview(type, review);
            case "authorization.k8s.io/v1/LocalSubjectAccessReview" -> access.localSubjectAccessReview(type, review);
            case "authorization.k8s.io/v1/SelfSubjectRulesReview" -> access.selfSubjectRulesReview(type, review, user);
            case "authentication.k8s.io/v1/SelfSubjectReview" -> authentication.selfSubjectReview(type, user);
            default -> throw new IllegalArgumentException("no review is answered for " + type.apiVersion() + " "
                    + type.kind());
        });
    }
}
