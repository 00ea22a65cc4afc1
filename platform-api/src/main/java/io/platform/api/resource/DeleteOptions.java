package io.platform.api.resource;

import org.jspecify.annotations.Nullable;

/**
 * A delete's options as in {@code meta/v1 DeleteOptions}: grace period (null = the type's
 * default), propagation policy or the deprecated {@code orphanDependents} (null = the type's
 * default garbage collection policy), uid/resourceVersion preconditions, and {@code dryRun=All}
 * when the body asked for it.
 */
public record DeleteOptions(@Nullable Long gracePeriodSeconds, @Nullable String propagationPolicy,
        @Nullable Boolean orphanDependents, @Nullable String preconditionUid,
        @Nullable String preconditionResourceVersion, boolean dryRun) {

    public static final String ORPHAN = "Orphan";
    public static final String BACKGROUND = "Background";
    public static final String FOREGROUND = "Foreground";

    /** Options without propagation choices or a body dry run. */
    public DeleteOptions(@Nullable Long gracePeriodSeconds, @Nullable String propagationPolicy,
            @Nullable String preconditionUid, @Nullable String preconditionResourceVersion) {
        this(gracePeriodSeconds, propagationPolicy, null, preconditionUid, preconditionResourceVersion, false);
    }

    /** Nothing chosen: the type's grace period and default garbage collection policy. */
    public static DeleteOptions defaults() {
        return new DeleteOptions(null, null, null, null, null, false);
    }

    /**
     * Background propagation, as the API server's own deletions use it (upstream's namespace deleter), so
     * types whose default policy is to orphan (batch/v1 jobs, v1 replication controllers) never wait for the
     * garbage collector.
     */
    public static DeleteOptions background() {
        return new DeleteOptions(null, BACKGROUND, null, null, null, false);
    }

    /** The same options with a resourceVersion precondition, as the eviction subresource sets it. */
    public DeleteOptions withPreconditionResourceVersion(String resourceVersion) {
        return new DeleteOptions(gracePeriodSeconds, propagationPolicy, orphanDependents, preconditionUid,
                resourceVersion, dryRun);
    }
}
