/**
 * The create-only review APIs, answered and never stored: {@code authorization.k8s.io/v1} SelfSubjectAccessReview,
 * SubjectAccessReview, LocalSubjectAccessReview and SelfSubjectRulesReview (from the
 * {@link io.platform.api.authorization.Authorizer}), {@code authentication.k8s.io/v1} SelfSubjectReview (the
 * requester) and TokenReview (from the {@link io.platform.api.auth.TokenAuthentication}).
 */
@NullMarked
package io.platform.api.reviews;

import org.jspecify.annotations.NullMarked;
