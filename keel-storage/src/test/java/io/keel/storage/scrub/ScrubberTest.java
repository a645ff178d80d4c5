package io.keel.storage.scrub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.storage.chunk.ChunkException;
import io.keel.storage.chunk.ChunkIOException;
import io.keel.storage.chunk.ChunkId;
import io.keel.storage.chunk.ChunkOperations;
import io.keel.storage.chunk.ChunkStore;
import io.keel.storage.chunk.ChunkStoreOptions;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScrubberTest {
    static final int CHUNK = 1 << 20;
    static final ChunkStoreOptions OPTIONS = ChunkStoreOptions.defaults().withChunkSize(CHUNK).withReservedBytes(0);
    static final ScrubberOptions FAST = new ScrubberOptions(1L << 40, Duration.ofMillis(20));
    static final ChunkId A = new ChunkId("scrub", 0);
    static final ChunkId B = new ChunkId("scrub", 1);
    static final ChunkId C = new ChunkId("scrub", 2);
    static final ChunkId D = new ChunkId("scrub", 3);

    @TempDir
    Path root;

    ChunkStore store;
    Scrubber scrubber;
    final List<String> heard = new CopyOnWriteArrayList<>();

    final ScrubListener recorder = new ScrubListener() {
        @Override
        public void badChunk(ChunkId chunk, List<Integer> badBlocks) {
            heard.add("bad " + chunk + " " + badBlocks);
        }

        @Override
        public void chunkFailed(ChunkId chunk, ChunkException error) {
            heard.add("failed " + chunk);
        }
    };

    @BeforeEach
    void open() {
        store = ChunkStore.open(root, OPTIONS);
        Random rnd = new Random(1);
        for (ChunkId id : List.of(A, B, C, D)) {
            store.create(id, 1);
            byte[] data = new byte[CHUNK];
            rnd.nextBytes(data);
            store.write(id, 0, ByteBuffer.wrap(data), 1, 1, false); // 4 MiB allocated in all
        }
    }

    @AfterEach
    void close() {
        if (scrubber != null) {
            scrubber.stop();
        }
        store.close();
    }

    private void flipByte(ChunkId id, long offset) throws IOException {
        Path data = root.resolve("chunks").resolve(id.fileName() + ".data");
        try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ 0x01)).rewind();
            ch.write(b, offset);
        }
    }

    private static void await(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out waiting for " + what).isLessThan(deadline);
            LockSupport.parkNanos(2_000_000); // a polling interval, not a guess at how long it takes
        }
    }

    @Test
    void aPassReportsExactlyTheDamagedChunkAndBlock() throws IOException {
        flipByte(B, 7L * 4096 + 123);
        scrubber = new Scrubber(store, FAST, recorder);
        ScrubReport report = scrubber.runPass();

        assertThat(report.badBlocks()).isEqualTo(Map.of(B, List.of(7)));
        assertThat(report.failedChunks()).isEmpty();
        assertThat(report.chunksScanned()).isEqualTo(4);
        assertThat(report.bytesScanned()).isEqualTo(4L * CHUNK);
        assertThat(report.passesCompleted()).isEqualTo(1);
        assertThat(report.finished()).isAfterOrEqualTo(report.started());
        assertThat(heard).containsExactly("bad " + B + " [7]");
        assertThat(scrubber.lastReport()).contains(report);
        assertThat(store.stats().scrubErrors()).isEqualTo(1);
    }

    @Test
    void aPassHonoursTheRateLimit() {
        long rate = 8L << 20; // 4 MiB at 8 MiB/s: at least half a second, less the 100 ms burst
        scrubber = new Scrubber(store, new ScrubberOptions(rate, Duration.ZERO), ScrubListener.NONE);
        long start = System.nanoTime();
        ScrubReport report = scrubber.runPass();
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(report.bytesScanned()).isEqualTo(4L * CHUNK);
        assertThat(elapsedMs).isBetween(350L, 10_000L);
    }

    @Test
    void backgroundPassesRepeatAndStopPromptlyEvenWhileThrottled() throws IOException {
        scrubber = new Scrubber(store, FAST, ScrubListener.NONE);
        scrubber.start();
        scrubber.start(); // idempotent
        assertThat(scrubber.isRunning()).isTrue();
        await(() -> scrubber.passesCompleted() >= 2, Duration.ofSeconds(20), "two passes");
        scrubber.stop();
        scrubber.stop();
        assertThat(scrubber.isRunning()).isFalse();
        long passes = scrubber.passesCompleted();
        assertThat(scrubber.lastReport().orElseThrow().passesCompleted()).isEqualTo(passes);

        // At 1 MiB/s a pass takes four seconds; the first chunk is damaged, so we know the pass
        // is under way, in its throttling wait, once the listener has heard of it.
        flipByte(A, 5);
        scrubber = new Scrubber(store, new ScrubberOptions(1L << 20, Duration.ZERO), recorder);
        scrubber.start();
        await(() -> !heard.isEmpty(), Duration.ofSeconds(20), "the bad first chunk");
        long stopStart = System.nanoTime();
        scrubber.stop();
        assertThat((System.nanoTime() - stopStart) / 1_000_000).isLessThan(1000);
        assertThat(scrubber.passesCompleted()).as("an abandoned pass is not reported").isZero();
        assertThat(scrubber.lastReport()).isEmpty();
        scrubber.start(); // and it can start again
        assertThat(scrubber.isRunning()).isTrue();
    }

    @Test
    void deletedChunksAreSkippedAndUnreadableOnesReported() {
        ChunkOperations failing = failScrubOf(store, C);
        ScrubListener deleteD = new ScrubListener() {
            @Override
            public void badChunk(ChunkId chunk, List<Integer> badBlocks) {}

            @Override
            public void chunkFailed(ChunkId chunk, ChunkException error) {
                recorder.chunkFailed(chunk, error);
                store.delete(D); // listed at the start of the pass, gone before its turn
            }
        };
        scrubber = new Scrubber(failing, FAST, deleteD);
        ScrubReport report = scrubber.runPass();
        assertThat(report.chunksScanned()).isEqualTo(2);
        assertThat(report.bytesScanned()).isEqualTo(2L * CHUNK);
        assertThat(report.failedChunks()).containsOnlyKeys(C);
        assertThat(report.failedChunks().get(C)).contains("disk gone");
        assertThat(report.badBlocks()).isEmpty();
        assertThat(heard).containsExactly("failed " + C);
    }

    @Test
    void aStoreThatGoesAwayEndsThePassInsteadOfFailingEveryChunk() throws IOException {
        flipByte(A, 5);
        scrubber = new Scrubber(store, FAST, (chunk, badBlocks) -> {
            heard.add("bad " + chunk);
            store.close();
        });
        assertThatThrownBy(scrubber::runPass).isInstanceOf(ChunkIOException.class).hasMessageContaining("closed");
        assertThat(heard).containsExactly("bad " + A);
        assertThat(scrubber.passesCompleted()).isZero();
    }

    @Test
    void optionsAndTokenBucketAreChecked() {
        assertThatThrownBy(() -> new ScrubberOptions(0, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ScrubberOptions(1 << 20, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Scrubber(null, FAST, ScrubListener.NONE)).isInstanceOf(NullPointerException.class);
        // 1000 bytes/s, 100 bytes of burst; time is simulated here.
        TokenBucket bucket = new TokenBucket(1000, 100, 0);
        assertThat(bucket.take(100, 0)).isZero();
        assertThat(bucket.take(500, 0)).isEqualTo(500_000_000L); // half a second of debt
        assertThat(bucket.take(0, 500_000_000L)).isZero();
        assertThat(bucket.take(100, 10_000_000_000L)).isZero(); // idle time refills only up to the burst
        assertThat(bucket.take(1, 10_000_000_000L)).isPositive();
    }

    /** The store, except that scrubbing {@code bad} fails as an unreadable disk would. */
    private static ChunkOperations failScrubOf(ChunkOperations store, ChunkId bad) {
        return (ChunkOperations) Proxy.newProxyInstance(ChunkOperations.class.getClassLoader(),
                new Class<?>[] {ChunkOperations.class}, (proxy, method, args) -> {
                    if (method.getName().equals("scrub") && bad.equals(args[0])) {
                        throw new ChunkIOException("disk gone");
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
