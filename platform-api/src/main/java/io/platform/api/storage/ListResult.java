package io.platform.api.storage;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A page of a list: the items, the revision the list was read at, and the last key returned when
 * more items remain (pass it back as {@code continueAfterKey}), otherwise null.
 */
public record ListResult(List<KeyValue> items, long revision, @Nullable String continueAfterKey) {}
