package io.platform.api.watch;

import io.platform.api.registry.ResourceType;
import io.platform.api.selection.FieldSelector;
import io.platform.api.selection.LabelSelector;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What a watch asks for: type and namespace (null = all), selectors, where to start (null or
 * "0" = synthetic ADDED events for what exists first), bookmarks, how long to run, and
 * {@code sendInitialEvents} (null when not given; see {@link WatchOptions}).
 */
public record WatchRequest(ResourceType type, @Nullable String namespace, LabelSelector labels, FieldSelector fields,
        @Nullable String resourceVersion, boolean bookmarks, Duration timeout, @Nullable Boolean sendInitialEvents) {}
