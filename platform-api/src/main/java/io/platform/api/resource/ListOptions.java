package io.platform.api.resource;

import io.platform.api.selection.FieldSelector;
import io.platform.api.selection.LabelSelector;
import org.jspecify.annotations.Nullable;

/**
 * What a list asks for: selectors, a page size (0 = all), a continue token, and the
 * resourceVersion with its match rule ({@code Exact}, {@code NotOlderThan}, or none).
 */
public record ListOptions(LabelSelector labels, FieldSelector fields, int limit, @Nullable String continueToken,
        @Nullable String resourceVersion, @Nullable String resourceVersionMatch) {

    public static ListOptions all() {
        return new ListOptions(LabelSelector.everything(), FieldSelector.everything(), 0, null, null, null);
    }
}
