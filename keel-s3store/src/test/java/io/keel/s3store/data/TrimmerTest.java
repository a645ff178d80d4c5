package io.keel.s3store.data;

import static org.assertj.core.api.Assertions.assertThat;

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
        try (Trimmer t = new Trimmer("gw", l -> {
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
    void aFullQueueMakesTheCallerTrimItsOwnRelease() throws Exception {
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> trimmers = Collections.synchronizedList(new ArrayList<>());
        try (Trimmer t = new Trimmer("gw", l -> {
            trimmers.add(Thread.currentThread());
            if (l.segments().getFirst().offset() == 0) {
                stuck.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        })) {
            t.release(at(0));
            assertThat(stuck.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 1; i <= Trimmer.QUEUE_LIMIT; i++) {
                t.release(at(i * 4096L));
            }
            assertThat(trimmers).doesNotContain(Thread.currentThread());
            t.release(at(1L << 40));
            assertThat(trimmers).contains(Thread.currentThread());
            go.countDown();
            t.settle();
            assertThat(trimmers).hasSize(Trimmer.QUEUE_LIMIT + 2);
        }
    }

    @Test
    void closeTrimsEverythingQueuedAndLaterReleasesRunOnTheirCaller() throws Exception {
        List<DataLocation> trimmed = Collections.synchronizedList(new ArrayList<>());
        Trimmer t = new Trimmer("gw", trimmed::add);
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
        try (Trimmer t = new Trimmer("gw", l -> {
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
