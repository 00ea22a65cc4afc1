package io.platform.api.cache;

import io.platform.api.storage.KeyValue;
import java.util.List;

/** The keys under a prefix, in key order, exactly as the store held them at {@code revision}. */
public record CachedList(List<KeyValue> items, long revision) {}
