package io.platform.api.storage.compaction;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;

/**
 * Which revision the store had reached by which time: samples {@code (revision, time)}, each a fact
 * "every revision up to this one was written at or before this time", so compacting up to a
 * sample's revision drops only history replaced before its time. Neither the SQL log nor etcd
 * records when a revision was written, hence these samples. Only samples no other one makes
 * useless are kept (a later or equal revision at an earlier or equal time), so revisions and times
 * both rise; past {@value #CAPACITY} samples the one whose removal leaves the smallest time gap
 * goes, which only ever makes compaction keep more.
 */
public final class RevisionTimeline {

    /**
     * The store key the samples live under, beside the objects (as kube-apiserver keeps
     * {@code compact_rev_key} in etcd), so every API server on the store and every restart shares
     * them. It describes this store's revisions only: backups leave it out.
     */
    public static final String KEY = "/platform/revision-times";
    static final int CAPACITY = 128;

    /** Every revision up to {@code revision} was written at or before {@code time}. */
    public record Sample(long revision, Instant time) {}

    private List<Sample> samples = List.of();

    /** Adds a sample; true when it is kept (no sample already said as much). */
    public boolean record(long revision, Instant time) {
        Sample sample = new Sample(revision, time);
        List<Sample> all = new ArrayList<>(samples);
        all.add(sample);
        samples = useful(all);
        return samples.contains(sample);
    }

    /** Takes in the samples of {@code other} (another API server's, or this one's saved earlier). */
    public void merge(RevisionTimeline other) {
        List<Sample> all = new ArrayList<>(samples);
        all.addAll(other.samples);
        samples = useful(all);
    }

    /** The newest revision known to be written at or before {@code cutoff}. */
    public OptionalLong newestAtOrBefore(Instant cutoff) {
        for (Sample sample : samples.reversed()) {
            if (!sample.time().isAfter(cutoff)) {
                return OptionalLong.of(sample.revision());
            }
        }
        return OptionalLong.empty();
    }

    /** Drops the samples at or below a compacted revision: they can no longer move compaction on. */
    public void forgetThrough(long compactedRevision) {
        samples = samples.stream().filter(sample -> sample.revision() > compactedRevision).toList();
    }

    public List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** One line per sample, {@code REVISION TIME} (ISO-8601). */
    public byte[] encode() {
        StringBuilder text = new StringBuilder();
        for (Sample sample : samples) {
            text.append(sample.revision()).append(' ').append(sample.time()).append('\n');
        }
        return text.toString().getBytes(UTF_8);
    }

    /** Reads {@link #encode()}'s form; lines that are not a sample are skipped (they only cost retention). */
    public static RevisionTimeline decode(byte[] bytes) {
        RevisionTimeline timeline = new RevisionTimeline();
        List<Sample> read = new ArrayList<>();
        for (String line : new String(bytes, UTF_8).split("\n")) {
            String[] fields = line.strip().split(" ");
            if (fields.length != 2) {
                continue;
            }
            try {
                read.add(new Sample(Long.parseLong(fields[0]), Instant.parse(fields[1])));
            } catch (NumberFormatException | DateTimeParseException e) {
                // not a sample: skipped
            }
        }
        timeline.samples = useful(read);
        return timeline;
    }

    /** The samples no other one dominates, in rising revision (and time), thinned to the capacity. */
    private static List<Sample> useful(List<Sample> all) {
        List<Sample> byRevision = new ArrayList<>(all);
        byRevision.sort(Comparator.comparingLong(Sample::revision).reversed().thenComparing(Sample::time));
        List<Sample> kept = new ArrayList<>();
        Instant earliest = null;
        for (Sample sample : byRevision) {
            if (earliest == null || sample.time().isBefore(earliest)) {
                kept.add(sample);
                earliest = sample.time();
            }
        }
        List<Sample> rising = new ArrayList<>(kept.reversed());
        while (rising.size() > CAPACITY) {
            int drop = 1;
            Duration smallest = null;
            for (int i = 1; i < rising.size() - 1; i++) {
                Duration gap = Duration.between(rising.get(i - 1).time(), rising.get(i + 1).time());
                if (smallest == null || gap.compareTo(smallest) < 0) {
                    smallest = gap;
                    drop = i;
                }
            }
            rising.remove(drop);
        }
        return rising;
    }
}
