package io.keel.storage.volume;

import static io.keel.storage.volume.TestCluster.CHUNK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.storage.chunk.TestSeeds;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshots of a volume taken while writers and readers are busy. */
class VolumeSnapshotTest {
    private static final int BLOCK = 4096;
    private static final int THREADS = 3;
    /** Blocks per writer thread: the three regions together span two chunks and a bit. */
    private static final int REGION = 200;
    private static final long SIZE = 3L * CHUNK;

    @TempDir
    Path root;

    /** Block content: the write's number and the block, so any block read names the write it came from. */
    private static byte[] block(long seq, long blockNo) {
        ByteBuffer b = ByteBuffer.allocate(BLOCK);
        while (b.hasRemaining()) {
            b.putLong(seq).putLong(blockNo);
        }
        return b.array();
    }

    @Test
    void aQuiescedSnapshotHoldsAPrefixOfEveryWritersWritesAndLaterWritesDoNotChangeIt() throws Exception {
        long seed = TestSeeds.seed();
        try (TestCluster cluster = new TestCluster(root, 3, false);
                VolumeClient client = cluster.client(VolumeClientOptions.defaults())) {
            cluster.catalog.create("vol", "vol-0", SIZE, CHUNK, 2);
            VolumeHandle h = client.openWritable("vol", "host-a");
            // Per thread: blocks written in order, and how many writes had returned when the snapshot ran.
            List<List<Integer>> written = new ArrayList<>();
            AtomicInteger[] done = new AtomicInteger[THREADS];
            int[] doneAtSnapshot = new int[THREADS];
            for (int t = 0; t < THREADS; t++) {
                written.add(new ArrayList<>());
                done[t] = new AtomicInteger();
            }
            int writes = 150;
            AtomicInteger progress = new AtomicInteger();
            try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
                List<Future<?>> running = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    running.add(pool.submit(() -> {
                        Random rnd = new Random(seed + thread);
                        for (int i = 0; i < writes; i++) {
                            int b = thread * REGION + rnd.nextInt(REGION);
                            h.write((long) b * BLOCK, ByteBuffer.wrap(block(i + 1, b)), false);
                            written.get(thread).add(b);
                            done[thread].incrementAndGet();
                            progress.incrementAndGet();
                        }
                        return null;
                    }));
                }
                while (progress.get() < THREADS * writes / 3) {
                    Thread.onSpinWait();
                }
                h.quiesce(() -> {
                    for (int t = 0; t < THREADS; t++) {
                        doneAtSnapshot[t] = done[t].get();
                    }
                    cluster.catalog.snapshot("vol", "snap", h.epoch());
                    return null;
                });
                for (Future<?> f : running) {
                    f.get();
                }
            }
            byte[] snap = readAll(client, "snap");
            for (int t = 0; t < THREADS; t++) {
                // The snapshot must show exactly the thread's first k writes, for a k no smaller than
                // the number that had returned when the snapshot was taken.
                int k = prefixShown(snap, t, written.get(t));
                assertThat(k).as("writes of thread %d in the snapshot (seed %d)", t, seed)
                        .isGreaterThanOrEqualTo(doneAtSnapshot[t]);
            }
            byte[] now = readAll(client, "vol");
            for (int t = 0; t < THREADS; t++) {
                assertThat(regionAfter(t, written.get(t), writes)).isEqualTo(region(now, t));
            }
            // Every chunk of the snapshot is still the pre-snapshot copy; the volume copied the ones it wrote.
            VolumeLayout s = cluster.catalog.layout("snap");
            assertThat(s.chunks().values()).allSatisfy(e -> assertThat(e.chunk().volumeId()).isEqualTo("vol-0"));
            VolumeLayout v = cluster.catalog.layout("vol");
            assertThat(v.storageId()).isEqualTo("vol-g1");
            h.close();
        }
    }

    @Test
    void readOnlyHandlesCannotQuiesceAndASnapshotOfAClosedVolumeNeedsNoWriter() {
        try (TestCluster cluster = new TestCluster(root, 3, false);
                VolumeClient client = cluster.client(VolumeClientOptions.defaults())) {
            cluster.catalog.create("vol", "vol-0", SIZE, CHUNK, 2);
            try (VolumeHandle h = client.openWritable("vol", "host-a")) {
                h.write(0, ByteBuffer.wrap(block(1, 0)), false);
            }
            cluster.catalog.snapshot("vol", "snap", 0);
            try (VolumeHandle r = client.openReadOnly("snap")) {
                assertThatThrownBy(() -> r.quiesce(() -> 1)).isInstanceOf(VolumeIoException.class)
                        .hasMessageContaining("read-only");
                ByteBuffer got = ByteBuffer.allocate(BLOCK);
                r.read(0, got);
                assertThat(got.array()).isEqualTo(block(1, 0));
            }
            try (VolumeHandle h = client.openWritable("vol", "host-a")) {
                h.write(0, ByteBuffer.wrap(block(2, 0)), false);
            }
            assertThat(readAll(client, "snap")).startsWith(block(1, 0));
            assertThat(readAll(client, "vol")).startsWith(block(2, 0));
        }
    }

    @Test
    void aFailedSnapshotStillLeavesTheWriterSafe() {
        try (TestCluster cluster = new TestCluster(root, 3, false);
                VolumeClient client = cluster.client(VolumeClientOptions.defaults())) {
            cluster.catalog.create("vol", "vol-0", SIZE, CHUNK, 2);
            VolumeHandle h = client.openWritable("vol", "host-a");
            h.write(0, ByteBuffer.wrap(block(1, 0)), false);
            // The snapshot commits but the answer is lost: the handle must still copy before writing.
            assertThatThrownBy(() -> h.quiesce(() -> {
                cluster.catalog.snapshot("vol", "snap", h.epoch());
                throw new IllegalStateException("answer lost");
            })).hasMessage("answer lost");
            h.write(0, ByteBuffer.wrap(block(2, 0)), false);
            assertThat(readAll(client, "snap")).startsWith(block(1, 0));
            assertThat(cluster.catalog.entry("vol", 0).chunk().volumeId()).isEqualTo("vol-g1");
            h.close();
        }
    }

    @Test
    void aCloneReadsTheSnapshotAndCopiesWhatItWritesAndARevertRestoresTheVolume() {
        try (TestCluster cluster = new TestCluster(root, 3, false);
                VolumeClient client = cluster.client(VolumeClientOptions.defaults())) {
            cluster.catalog.create("vol", "vol-0", SIZE, CHUNK, 2);
            try (VolumeHandle h = client.openWritable("vol", "host-a")) {
                h.write(0, ByteBuffer.wrap(block(1, 0)), false);
                h.write(CHUNK, ByteBuffer.wrap(block(1, 256)), false);
            }
            cluster.catalog.snapshot("vol", "snap", 0);
            cluster.catalog.cloneVolume("snap", "copy");
            try (VolumeHandle c = client.openWritable("copy", "host-b")) {
                ByteBuffer got = ByteBuffer.allocate(BLOCK);
                c.read(CHUNK, got);
                assertThat(got.array()).isEqualTo(block(1, 256));
                c.write(BLOCK, ByteBuffer.wrap(block(2, 1)), false);
            }
            assertThat(cluster.catalog.entry("copy", 0).chunk().volumeId()).isEqualTo("copy-0");
            assertThat(cluster.catalog.entry("copy", 1).chunk().volumeId()).isEqualTo("vol-0");
            byte[] copy = readAll(client, "copy");
            assertThat(Arrays.copyOfRange(copy, 0, 2 * BLOCK)).isEqualTo(concat(block(1, 0), block(2, 1)));
            assertThat(Arrays.copyOfRange(readAll(client, "snap"), BLOCK, 2 * BLOCK)).isEqualTo(new byte[BLOCK]);

            try (VolumeHandle h = client.openWritable("vol", "host-a")) {
                h.write(0, ByteBuffer.wrap(block(3, 0)), false);
            }
            cluster.catalog.revert("vol", "snap");
            assertThat(Arrays.copyOfRange(readAll(client, "vol"), 0, BLOCK)).isEqualTo(block(1, 0));
            // After the revert the restored chunk is shared again: writing it copies.
            try (VolumeHandle h = client.openWritable("vol", "host-a")) {
                h.write(0, ByteBuffer.wrap(block(4, 0)), false);
            }
            assertThat(Arrays.copyOfRange(readAll(client, "snap"), 0, BLOCK)).isEqualTo(block(1, 0));
            assertThat(Arrays.copyOfRange(readAll(client, "copy"), 0, BLOCK)).isEqualTo(block(1, 0));
            assertThat(Arrays.copyOfRange(readAll(client, "vol"), 0, BLOCK)).isEqualTo(block(4, 0));
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    void aReaderWhileTheWriterWritesSeesEachBlockBeforeOrAfterEachWrite() throws Exception {
        long seed = TestSeeds.seed();
        int blocks = (int) (SIZE / BLOCK);
        try (TestCluster cluster = new TestCluster(root, 3, false);
                VolumeClient client = cluster.client(VolumeClientOptions.defaults())) {
            cluster.catalog.create("vol", "vol-0", SIZE, CHUNK, 2);
            VolumeHandle w = client.openWritable("vol", "host-a");
            // Allocate every chunk first: a reader's layout does not follow allocations at once.
            for (long c = 0; c < SIZE / CHUNK; c++) {
                w.write(c * CHUNK, ByteBuffer.wrap(block(0, c * CHUNK / BLOCK)), false);
            }
            // lastWrite[b] per write number: which write last wrote block b as of write n.
            int writes = 400;
            int[][] writtenBlocks = new int[writes + 1][];
            AtomicLong started = new AtomicLong();
            AtomicLong completed = new AtomicLong();
            VolumeHandle r = client.openReadOnly("vol");
            try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
                Random rnd = new Random(seed);
                for (int n = 1; n <= writes; n++) {
                    int first = rnd.nextInt(blocks - 8);
                    int count = 1 + rnd.nextInt(8);
                    writtenBlocks[n] = new int[] {first, count};
                }
                Future<?> writer = pool.submit(() -> {
                    for (int n = 1; n <= writes; n++) {
                        int first = writtenBlocks[n][0];
                        int count = writtenBlocks[n][1];
                        ByteBuffer data = ByteBuffer.allocate(count * BLOCK);
                        for (int i = 0; i < count; i++) {
                            data.put(block(n, first + i));
                        }
                        started.set(n);
                        w.write((long) first * BLOCK, data.flip(), false);
                        completed.set(n);
                    }
                    return null;
                });
                Random reads = new Random(seed + 1);
                int checked = 0;
                while (!writer.isDone() || checked == 0) {
                    int first = reads.nextInt(blocks - 16);
                    int count = 1 + reads.nextInt(16);
                    long before = completed.get();
                    ByteBuffer got = ByteBuffer.allocate(count * BLOCK);
                    r.read((long) first * BLOCK, got);
                    long after = started.get();
                    for (int i = 0; i < count; i++) {
                        checkBlock(got.array(), i, first + i, before, after, writtenBlocks);
                    }
                    checked++;
                }
                writer.get();
            }
            r.close();
            w.close();
        }
    }

    /**
     * Block {@code b}, read between writes {@code before} (had returned) and {@code after} (had
     * started), must be whole and come from the write that last wrote it as of some write in between.
     */
    private static void checkBlock(byte[] data, int at, int b, long before, long after, int[][] writes) {
        ByteBuffer buf = ByteBuffer.wrap(data, at * BLOCK, BLOCK);
        long seq = buf.getLong(at * BLOCK);
        long blockNo = buf.getLong(at * BLOCK + 8);
        boolean never = seq == 0 && blockNo == 0 && isZero(data, at);
        long lastBefore = 0;
        for (int n = 1; n <= before; n++) {
            if (covers(writes[n], b)) {
                lastBefore = n;
            }
        }
        if (never) {
            assertThat(lastBefore).as("block %d read as never written", b).isZero();
            return;
        }
        assertThat(Arrays.equals(data, at * BLOCK, (at + 1) * BLOCK, block(seq, blockNo), 0, BLOCK))
                .as("block %d is whole", b).isTrue();
        if (seq == 0) {
            assertThat(lastBefore).as("block %d still shows the initial write", b).isZero();
            return;
        }
        assertThat(blockNo).isEqualTo(b);
        assertThat(covers(writes[(int) seq], b)).isTrue();
        assertThat(seq).as("block %d: write %d read between %d and %d", b, seq, before, after)
                .isBetween(lastBefore, after);
    }

    private static boolean covers(int[] write, int b) {
        return b >= write[0] && b < write[0] + write[1];
    }

    private static boolean isZero(byte[] data, int at) {
        for (int i = at * BLOCK; i < (at + 1) * BLOCK; i++) {
            if (data[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** The k such that the thread's region in {@code image} is what its first k writes made it. */
    private static int prefixShown(byte[] image, int thread, List<Integer> written) {
        byte[] shown = region(image, thread);
        for (int k = written.size(); k >= 0; k--) {
            if (Arrays.equals(regionAfter(thread, written, k), shown)) {
                return k;
            }
        }
        throw new AssertionError("the snapshot shows no prefix of thread " + thread + "'s writes");
    }

    private static byte[] regionAfter(int thread, List<Integer> written, int k) {
        byte[] r = new byte[REGION * BLOCK];
        for (int i = 0; i < k; i++) {
            int b = written.get(i);
            System.arraycopy(block(i + 1, b), 0, r, (b - thread * REGION) * BLOCK, BLOCK);
        }
        return r;
    }

    private static byte[] region(byte[] image, int thread) {
        return Arrays.copyOfRange(image, thread * REGION * BLOCK, (thread + 1) * REGION * BLOCK);
    }

    private static byte[] readAll(VolumeClient client, String id) {
        try (VolumeHandle h = client.openReadOnly(id)) {
            byte[] all = new byte[(int) h.size()];
            h.read(0, ByteBuffer.wrap(all));
            return all;
        }
    }
}
