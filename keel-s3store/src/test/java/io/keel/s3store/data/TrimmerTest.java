package io.keel.s3store.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TrimmerTest {

    private static DataLocation at(long offset) {
        return new DataLocation(List.of(new DataLocation.Segment("v1", offset, 100)));
    }

    @Test
    void aReleaseReturnsBeforeItsTrimAndSettleWaitsForIt() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<DataLocation> trimmed = Collections.synchronizedList(new ArrayList<>());
        List<Thread> trimmers = Collections.synchronizedList(new ArrayList<>());
        try (Trimmer t = new Trimmer("gw", Duration.ZERO, 4096, l -> {
            trimmers.add(Thread.currentThread());
            try {
                go.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            trimmed.add(l);
        })) {
            t.release(at(0));
            t.release(at(4096));
            assertThat(trimmed).isEmpty();

            Thread waiter = Thread.ofVirtual().start(() -> {
                try {
                    t.settle();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(waiter.join(java.time.Duration.ofMillis(200))).as("settle returned before the trims ran").isFalse();
            go.countDown();
            assertThat(waiter.join(java.time.Duration.ofSeconds(10))).isTrue();
            assertThat(trimmed).containsExactly(at(0), at(4096));
            assertThat(trimmers).doesNotContain(Thread.currentThread());
        }
    }

    @Test
    void aFullQueueMakesTheCallerTrimTheOldestReleaseEarly() throws Exception {
        List<DataLocation> trimmed = Collections.synchronizedList(new ArrayList<>());
        List<Thread> trimmers = Collections.synchronizedList(new ArrayList<>());
        Trimmer t = new Trimmer("gw", Duration.ofHours(1), 3, l -> {
            trimmers.add(Thread.currentThread());
            trimmed.add(l);
        });
        t.release(at(0));
        t.release(at(4096));
        t.release(at(8192));
        assertThat(trimmed).isEmpty();
        t.release(at(12288));
        assertThat(trimmed).containsExactly(at(0));
        assertThat(trimmers).containsExactly(Thread.currentThread());
        t.close();
        assertThat(trimmed).containsExactly(at(0), at(4096), at(8192), at(12288));
    }

    @Test
    void aReleaseIsTrimmedOnlyOnceItsGracePeriodHasPassed() throws Exception {
        List<DataLocation> trimmed = Collections.synchronizedList(new ArrayList<>());
        try (Trimmer t = new Trimmer("gw", Duration.ofMillis(300), 4096, trimmed::add)) {
            long start = System.nanoTime();
            t.release(at(0));
            t.settle();
            assertThat(System.nanoTime() - start)
                    .isGreaterThanOrEqualTo(Duration.ofMillis(300).toNanos() - Trimmer.BATCH_NANOS);
            assertThat(trimmed).containsExactly(at(0));
        }
    }

    @Test
    void closeTrimsEverythingQueuedAndLaterReleasesRunOnTheirCaller() throws Exception {
        List<DataLocation> trimmed = Collections.synchronizedList(new ArrayList<>());
        Trimmer t = new Trimmer("gw", Duration.ofHours(1), 4096, trimmed::add);
        for (int i = 0; i < 100; i++) {
            t.release(at(i * 4096L));
        }
        t.close();
        assertThat(trimmed).hasSize(100);

        t.release(at(1L << 41));
        assertThat(trimmed).hasSize(101).last().isEqualTo(at(1L << 41));
        t.close();
    }

    @Test
    void aTrimThatThrowsDoesNotStopTheOthers() throws Exception {
        List<DataLocation> trimmed = Collections.synchronizedList(new ArrayList<>());
        try (Trimmer t = new Trimmer("gw", Duration.ZERO, 4096, l -> {
            if (l.segments().getFirst().offset() == 0) {
                throw new IllegalStateException("boom");
            }
            trimmed.add(l);
        })) {
            t.release(at(0));
            t.release(at(4096));
            t.settle();
            assertThat(trimmed).containsExactly(at(4096));
        }
    }
}
