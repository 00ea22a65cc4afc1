package io.platform.api.storage;

/** One key at one revision: {@code modRevision} wrote it, {@code createRevision} first created it. */
public record KeyValue(String key, byte[] value, long createRevision, long modRevision) {}
