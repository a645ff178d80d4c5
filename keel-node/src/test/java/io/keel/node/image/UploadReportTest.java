package io.keel.node.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.api.ApiException;
import io.keel.meta.cluster.ClusterCommand;
import io.keel.meta.cluster.ClusterCommand.UpdateImageStatus;
import io.keel.meta.cluster.ImageFormat;
import io.keel.meta.cluster.ImageStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UploadReportTest {
    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

    /** A clock the test moves. */
    private static final class StepClock extends Clock {
        Instant now = T0;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final List<UpdateImageStatus> sent = new ArrayList<>();
    private final StepClock clock = new StepClock();

    private UploadReport report() {
        return new UploadReport(c -> sent.add((UpdateImageStatus) c), clock, "i1", "u1", "n1", ImageFormat.QCOW2);
    }

    @Test
    void bytesReceivedAreReportedAtMostOnceASecond() {
        UploadReport r = report();
        r.start();
        for (int i = 1; i <= 100; i++) {
            clock.now = T0.plusMillis(25L * i);
            r.received(i * 1000L);
        }
        // 2.5 s of buffers: the start, then one report per second.
        assertThat(sent).extracting(UpdateImageStatus::sizeBytes).containsExactly(0L, 40_000L, 80_000L);
        assertThat(sent).allMatch(c -> c.status() == ImageStatus.UPLOADING && c.uploadId().equals("u1"));
    }

    @Test
    void theStepsCarryWhatWasLearnt() {
        UploadReport r = report();
        r.start();
        r.converting(ImageFormat.QCOW2, 500, 8 << 20);
        r.volume("v1");
        r.active("s1");
        UpdateImageStatus last = sent.getLast();
        assertThat(last.status()).isEqualTo(ImageStatus.ACTIVE);
        assertThat(last.volumeId()).isEqualTo("v1");
        assertThat(last.snapshotId()).isEqualTo("s1");
        assertThat(last.sizeBytes()).isEqualTo(500);
        assertThat(last.virtualSizeBytes()).isEqualTo(8 << 20);
        assertThat(last.at()).isEqualTo(T0);
    }

    @Test
    void anErrorIsReportedWithoutTheCleanedUpVolumeAndAFailedReportDoesNotThrow() {
        UploadReport r = report();
        r.volume("v1");
        r.cleanedUp();
        r.error("x".repeat(5000));
        assertThat(sent.getLast().status()).isEqualTo(ImageStatus.ERROR);
        assertThat(sent.getLast().volumeId()).isNull();
        assertThat(sent.getLast().statusReason()).hasSize(1903).endsWith("...");

        UploadReport failing = new UploadReport(c -> {
            throw ApiException.quorumLost(1, 3);
        }, clock, "i1", "u1", "n1", null);
        failing.error("broken");
        failing.keepAlive();
        clock.now = T0.plus(Duration.ofSeconds(5));
        failing.received(10);
    }

    @Test
    void commandsNameTheImageAndNode() {
        report().start();
        ClusterCommand c = sent.getFirst();
        assertThat(c).isEqualTo(new UpdateImageStatus("i1", "u1", "n1", ImageStatus.UPLOADING, null, ImageFormat.QCOW2,
                0, 0, null, null, T0));
    }
}
