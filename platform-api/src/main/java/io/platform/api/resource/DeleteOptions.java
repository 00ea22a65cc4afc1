package io.platform.api.resource;

import org.jspecify.annotations.Nullable;

/**
 * A delete's options as in {@code meta/v1 DeleteOptions}: grace period (null = the type's
 * default), propagation policy, and uid/resourceVersion preconditions.
 */
public record DeleteOptions(@Nullable Long gracePeriodSeconds, @Nullable String propagationPolicy,
        @Nullable String preconditionUid, @Nullable String preconditionResourceVersion) {

    public static DeleteOptions defaults() {
        return new DeleteOptions(null, null, null, null);
    }
}
