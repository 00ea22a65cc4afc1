package io.platform.api.apply;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the number of {@code Update} entries of an object at most {@link #MAX_UPDATE_MANAGERS}, as kube-apiserver's
 * field manager does: the oldest updaters are folded, per apiVersion, into one {@code ancient-changes} entry that
 * owns the union of their fields and carries the time of the newest change folded in. Apply entries are never
 * folded.
 */
final class UpdateManagerCap {

    static final int MAX_UPDATE_MANAGERS = 10;
    static final String ANCIENT_CHANGES = "ancient-changes";

    /** Oldest first by time in whole seconds (no time counts as the oldest), then by identity. */
    private static final Comparator<Map.Entry<String, ManagedFieldsEntry>> OLDEST_FIRST = Comparator
            .<Map.Entry<String, ManagedFieldsEntry>>comparingLong(e -> seconds(e.getValue()))
            .thenComparing(Map.Entry::getKey);

    private UpdateManagerCap() {}

    /** Folds the oldest Update entries of {@code managers} (keyed by entry identity) until at most the cap remain. */
    static void apply(Map<String, ManagedFieldsEntry> managers) {
        List<Map.Entry<String, ManagedFieldsEntry>> updaters = managers.entrySet().stream()
                .filter(e -> ManagedFieldsEntry.UPDATE.equals(e.getValue().operation()))
                .sorted(OLDEST_FIRST)
                .map(e -> Map.entry(e.getKey(), e.getValue()))
                .toList();
        int remaining = updaters.size();
        Map<String, String> firstOfVersion = new HashMap<>();
        for (int i = 0; i < updaters.size() && remaining > MAX_UPDATE_MANAGERS; i++) {
            String id = updaters.get(i).getKey();
            ManagedFieldsEntry entry = updaters.get(i).getValue();
            String first = firstOfVersion.putIfAbsent(entry.apiVersion(), id);
            if (first == null) {
                continue;
            }
            String bucketId = ManagedFieldsEntry.id(ANCIENT_CHANGES, ManagedFieldsEntry.UPDATE, entry.apiVersion(), null);
            ManagedFieldsEntry bucket = managers.get(bucketId);
            if (bucket == null) {
                ManagedFieldsEntry oldest = managers.remove(first);
                bucket = new ManagedFieldsEntry(ANCIENT_CHANGES, ManagedFieldsEntry.UPDATE, entry.apiVersion(),
                        oldest.time(), oldest.fields(), null);
            }
            managers.remove(id);
            managers.put(bucketId, bucket.withFields(bucket.fields().union(entry.fields())).withTime(entry.time()));
            remaining--;
        }
    }

    private static long seconds(ManagedFieldsEntry entry) {
        return entry.time() == null ? 0 : Instant.parse(entry.time()).getEpochSecond();
    }
}
