package io.platform.api.auth;

import java.util.List;

/**
 * The audiences the API server itself accepts tokens for, as kube-apiserver's {@code --api-audiences}: a bearer
 * token on a request must be meant for one of them, and TokenRequests and TokenReviews that name none use them.
 */
public record ApiAudiences(List<String> values) {

    public ApiAudiences {
        values = List.copyOf(values);
        if (values.isEmpty()) {
            throw new IllegalArgumentException("the API server needs at least one audience");
        }
    }
}
