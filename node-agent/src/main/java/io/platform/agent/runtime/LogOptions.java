package io.platform.agent.runtime;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What part of a container's output to read, as the kubelet's log options.
 *
 * @param tailLines only the last lines, when set
 * @param since only what was written at or after this time, when set
 * @param timestamps prefix every line with its RFC 3339 time
 */
public record LogOptions(boolean follow, boolean timestamps, @Nullable Integer tailLines, @Nullable Instant since) {}
