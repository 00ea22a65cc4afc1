package io.platform.api.storage.compaction;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.platform.api.storage.compaction.RevisionTimeline.Sample;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RevisionTimelineTest {

    private static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");

    private static Instant at(int minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    @Test
    void theNewestRevisionSampledAtOrBeforeTheCutoffIsCompactable() {
        RevisionTimeline timeline = new RevisionTimeline();
        timeline.record(10, at(0));
        timeline.record(25, at(5));
        timeline.record(40, at(10));

        assertThat(timeline.newestAtOrBefore(at(0).minusSeconds(1))).isEmpty();
        assertThat(timeline.newestAtOrBefore(at(0))).hasValue(10);
        assertThat(timeline.newestAtOrBefore(at(7))).hasValue(25);
        assertThat(timeline.newestAtOrBefore(at(60))).hasValue(40);
    }

    @Test
    void samplesThatSayLessThanAnotherAreDropped() {
        RevisionTimeline timeline = new RevisionTimeline();
        assertThat(timeline.record(10, at(0))).isTrue();
        // the same revision later says less: kept out
        assertThat(timeline.record(10, at(5))).isFalse();
        // a newer revision at the same time says more: replaces it
        assertThat(timeline.record(12, at(0))).isTrue();
        // the clock went back: the new sample dominates the later one with a smaller revision
        timeline.record(20, at(10));
        assertThat(timeline.record(21, at(8))).isTrue();

        assertThat(timeline.samples()).containsExactly(new Sample(12, at(0)), new Sample(21, at(8)));
    }

    @Test
    void forgettingCompactedRevisionsKeepsTheRest() {
        RevisionTimeline timeline = new RevisionTimeline();
        timeline.record(10, at(0));
        timeline.record(20, at(5));
        timeline.record(30, at(10));

        timeline.forgetThrough(20);

        assertThat(timeline.samples()).containsExactly(new Sample(30, at(10)));
        assertThat(timeline.newestAtOrBefore(at(9))).isEmpty();
    }

    @Test
    void encodesDecodesAndMerges() {
        RevisionTimeline mine = new RevisionTimeline();
        mine.record(10, at(0));
        mine.record(30, at(10));
        RevisionTimeline theirs = RevisionTimeline.decode(("20 " + at(5) + "\nnot a sample\n25 yesterday\n"
                + "9 " + at(6) + "\n").getBytes(UTF_8));
        assertThat(theirs.samples()).containsExactly(new Sample(20, at(5)));

        mine.merge(theirs);

        assertThat(mine.samples()).containsExactly(new Sample(10, at(0)), new Sample(20, at(5)), new Sample(30, at(10)));
        assertThat(RevisionTimeline.decode(mine.encode()).samples()).isEqualTo(mine.samples());
    }

    @Test
    void pastTheCapacityTheDensestSampleGoesAndCompactionOnlyKeepsMore() {
        RevisionTimeline timeline = new RevisionTimeline();
        for (int i = 0; i < RevisionTimeline.CAPACITY; i++) {
            timeline.record(100L * (i + 1), at(5 * i));
        }
        // one sample squeezed in a minute after the tenth: it leaves the smallest gap when it goes
        timeline.record(1001, at(46));
        assertThat(timeline.samples()).hasSize(RevisionTimeline.CAPACITY).doesNotContain(new Sample(1001, at(46)));
        timeline.record(100L * (RevisionTimeline.CAPACITY + 1), at(5 * RevisionTimeline.CAPACITY));

        assertThat(timeline.samples()).hasSize(RevisionTimeline.CAPACITY);
        assertThat(timeline.samples().getFirst()).isEqualTo(new Sample(100, at(0)));
        assertThat(timeline.samples().getLast().revision()).isEqualTo(100L * (RevisionTimeline.CAPACITY + 1));
        for (int minute = 0; minute < 5 * RevisionTimeline.CAPACITY; minute++) {
            // never a revision newer than a sample at or before the cutoff would allow
            long allowed = Math.max(100L * (minute / 5 + 1), minute >= 46 && minute < 50 ? 1001 : 0);
            assertThat(timeline.newestAtOrBefore(at(minute)).orElse(0)).isLessThanOrEqualTo(allowed);
        }
    }
}
