package io.keel.node.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.api.MonitoringRange;
import io.keel.api.dto.MonitoringPointView;
import io.keel.node.s3.S3Metrics;
import io.keel.node.storage.IoMeters;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-memory rings and their averaging, with points made up at fixed times. */
class MonitoringHistoryTest {
    /** On a 5-minute boundary, so bucket arithmetic is easy to follow. */
    static final Instant T0 = Instant.parse("2026-12-04T12:00:00Z");

    static MonitoringPointView point(Instant t, double readOps, int up) {
        return new MonitoringPointView(t, readOps, readOps * 2, readOps * 4096, 0, up, 3, 100, 1000, 10, 50, readOps * 3, readOps, 0, 0);
    }

    @Test
    void tenSecondPointsAreAveragedToTheRangesStep() {
        MonitoringHistory h = new MonitoringHistory();
        for (int i = 0; i < 12; i++) {
            h.add(point(T0.plusSeconds(10L * i), i, i == 7 ? 2 : 3));
        }
        Instant now = T0.plusSeconds(115);
        List<MonitoringPointView> fine = h.points(MonitoringRange.H1, now);
        assertThat(fine).hasSize(12);
        assertThat(fine.getFirst().t()).isEqualTo(T0);
        assertThat(fine.getLast().readOps()).isEqualTo(11);

        List<MonitoringPointView> minute = h.points(MonitoringRange.H6, now);
        assertThat(minute).extracting(MonitoringPointView::t).containsExactly(T0, T0.plusSeconds(60));
        assertThat(minute.get(0).readOps()).isEqualTo(2.5); // 0..5
        assertThat(minute.get(1).readOps()).isEqualTo(8.5); // 6..11
        assertThat(minute.get(1).writeOps()).isEqualTo(17);
        assertThat(minute.get(0).chunkServicesUp()).isEqualTo(3);
        assertThat(minute.get(1).chunkServicesUp()).as("the fewest up during the step").isEqualTo(2);
        assertThat(minute.get(1).chunkServicesTotal()).isEqualTo(3);
        assertThat(minute.get(1).physicalUsedBytes()).isEqualTo(100);
    }

    @Test
    void aRangeShowsOnlyItsSpan() {
        MonitoringHistory h = new MonitoringHistory();
        Instant start = T0.minus(Duration.ofHours(2));
        for (Instant t = start; !t.isAfter(T0); t = t.plusSeconds(10)) {
            h.add(point(t, 1, 3));
        }
        List<MonitoringPointView> last30 = h.points(MonitoringRange.M30, T0);
        assertThat(last30).hasSize(180);
        assertThat(last30.getFirst().t()).isEqualTo(T0.minus(Duration.ofMinutes(30)).plusSeconds(10));
        assertThat(last30.getLast().t()).isEqualTo(T0);
        assertThat(h.points(MonitoringRange.H12, T0)).hasSize(61); // 2 h of 120-s steps, and T0's own
    }

    @Test
    void fiveMinuteAveragesAreKeptForSevenDaysAndTenSecondPointsForTwelveHours() {
        MonitoringHistory h = new MonitoringHistory();
        Instant end = T0.plus(Duration.ofDays(8));
        for (Instant t = T0; t.isBefore(end); t = t.plusSeconds(10)) {
            // Each 5 minutes reads its own index: its average is exactly that.
            h.add(point(t, Duration.between(T0, t).toSeconds() / 300, 3));
        }
        Instant now = end.minusSeconds(10);
        MonitoringHistory.Snapshot s = h.snapshot();
        assertThat(s.fine()).hasSize(12 * 360);
        assertThat(s.fine().getFirst().t()).isEqualTo(now.minus(Duration.ofHours(12)).plusSeconds(10));
        assertThat(s.coarse()).hasSize(7 * 288 - 1); // the 5 minutes under way are not averaged yet
        assertThat(s.coarse().getFirst().t()).isEqualTo(end.minus(Duration.ofDays(7)));

        List<MonitoringPointView> week = h.points(MonitoringRange.D7, now);
        assertThat(week).hasSize(7 * 288);
        assertThat(week.getLast().t()).as("the open 5 minutes, from the 10-second points")
                .isEqualTo(end.minusSeconds(300));
        assertThat(week.getLast().readOps()).isEqualTo(8 * 288 - 1);
        assertThat(week.get(week.size() - 2).readOps()).isEqualTo(8 * 288 - 2);
        assertThat(week).extracting(MonitoringPointView::t).isSorted();
    }

    @Test
    void aPointNotAfterTheLastIsDropped() {
        MonitoringHistory h = new MonitoringHistory();
        h.add(point(T0, 1, 3));
        h.add(point(T0, 2, 3));
        h.add(point(T0.minusSeconds(10), 3, 3));
        assertThat(h.snapshot().fine()).extracting(MonitoringPointView::readOps).containsExactly(1.0);
    }

    @Test
    void theSamplerTurnsCountersIntoRatesAfterABaseline() {
        MonitoringSampler sampler = new MonitoringSampler();
        assertThat(sampler.next(reading(T0, 100, 50, 409_600, 0))).isEmpty();
        MonitoringPointView p = sampler.next(reading(T0.plusSeconds(10), 200, 60, 819_200, 4096)).orElseThrow();
        assertThat(p.t()).isEqualTo(T0.plusSeconds(10));
        assertThat(p.readOps()).isEqualTo(10);
        assertThat(p.writeOps()).isEqualTo(1);
        assertThat(p.readBytes()).isEqualTo(40_960);
        assertThat(p.writeBytes()).isEqualTo(409.6);
        assertThat(p.chunkServicesUp()).isEqualTo(2);
        assertThat(p.logicalProvisionedBytes()).isEqualTo(8);
        assertThat(p.rebuildBytes()).as("rebuild counter 1000 -> 2000 in 10 s").isEqualTo(100);
        assertThat(p.s3Requests()).isEqualTo(10);
        assertThat(p.s3BytesIn()).isEqualTo(40_960);
        assertThat(p.s3BytesOut()).isEqualTo(409.6);
        assertThat(sampler.next(reading(T0.plusSeconds(10), 300, 60, 0, 0))).as("no time passed").isEmpty();
    }

    private static MonitoringSampler.Reading reading(Instant t, long reads, long writes, long readBytes,
            long writeBytes) {
        return new MonitoringSampler.Reading(t, new IoMeters.Totals(reads, writes, readBytes, writeBytes), 2, 3, 5, 6,
                7, 8, reads * 10, new S3Metrics.Totals(reads, readBytes, writeBytes));
    }
}
