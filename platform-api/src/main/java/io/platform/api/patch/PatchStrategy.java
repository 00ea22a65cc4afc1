package io.platform.api.patch;

import org.jspecify.annotations.Nullable;

/**
 * How strategic merge patch treats one field, as Kubernetes' {@code patchStrategy}/{@code patchMergeKey}
 * struct tags say: strategy {@code merge}, {@code merge,retainKeys}, {@code retainKeys} or {@code replace}.
 */
public record PatchStrategy(String strategy, @Nullable String mergeKey) {
}
