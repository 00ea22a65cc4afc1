package io.platform.api.reviews;

import io.platform.api.auth.AuthenticatedUser;
import io.platform.api.auth.TokenAuthentication;
import io.platform.api.auth.TokenResult;
import io.platform.api.errors.ApiException;
import io.platform.api.json.Json;
import io.platform.api.registry.ResourceType;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code authentication.k8s.io/v1} reviews, as kube-apiserver's registry answers them: SelfSubjectReview tells
 * the requester who the server takes them for ({@code kubectl auth whoami}); TokenReview asks the token
 * authenticators about a bearer token.
 */
final class AuthenticationReviews {

    private final TokenAuthentication tokens;
    private final Clock clock;

    AuthenticationReviews(TokenAuthentication tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    /** A new review (the posted one is not echoed, as upstream), stamped now, with the requester's user info. */
    ObjectNode selfSubjectReview(ResourceType type, AuthenticatedUser user) {
        ObjectNode answer = Json.object();
        answer.put("kind", type.kind()).put("apiVersion", type.apiVersion());
        answer.putObject("metadata").put("creationTimestamp",
                clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
        answer.putObject("status").set("userInfo", userInfo(user));
        return answer;
    }

    /**
     * The posted review with its status: authenticated with the user and audiences when a token authenticator
     * accepts the token, otherwise unauthenticated with the reason.
     */
    Mono<ObjectNode> tokenReview(ObjectNode review) {
        String token = review.path("spec").path("token").asString("");
        if (token.isEmpty()) {
            throw ApiException.badRequest("token is required for TokenReview in authentication");
        }
        List<String> audiences = Json.strings(review.path("spec").path("audiences"));
        return tokens.authenticate(token, audiences).map(result -> answer(review, audiences, result));
    }

    private static ObjectNode answer(ObjectNode review, List<String> audiences, TokenResult result) {
        AuthenticatedUser user = result.user();
        if (user != null && !audiences.isEmpty() && result.audiences().stream().noneMatch(audiences::contains)) {
            // as upstream: an authenticator that accepted the token for none of the asked audiences is a server fault
            throw ApiException.internal("error validating audience");
        }
        ObjectNode status = review.putObject("status");
        status.put("authenticated", user != null);
        status.set("user", user == null ? Json.object() : userInfo(user));
        if (user != null && !result.audiences().isEmpty()) {
            ArrayNode array = status.putArray("audiences");
            result.audiences().forEach(array::add);
        }
        String error = result.error();
        if (error != null && !error.isEmpty()) {
            status.put("error", error);
        }
        return review;
    }

    private static ObjectNode userInfo(AuthenticatedUser user) {
        ObjectNode info = Json.object();
        info.put("username", user.name());
        if (!user.uid().isEmpty()) {
            info.put("uid", user.uid());
        }
        if (!user.groups().isEmpty()) {
            ArrayNode groups = info.putArray("groups");
            user.groups().forEach(groups::add);
        }
        if (!user.extra().isEmpty()) {
            // as upstream's UserInfo: extra values keyed by attribute, each a list
            ObjectNode extra = info.putObject("extra");
            user.extra().forEach((key, values) -> values.forEach(extra.putArray(key)::add));
        }
        return info;
    }
}
