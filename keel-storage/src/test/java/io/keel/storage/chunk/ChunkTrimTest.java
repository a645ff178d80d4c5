package io.keel.storage.chunk;

import static io.keel.storage.chunk.ChunkStoreTest.pattern;
import static io.keel.storage.chunk.ChunkStoreTest.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Extents, trim and the store's counters. */
class ChunkTrimTest {
    static final int BLOCK = 4096;
    static final ChunkStoreOptions OPTIONS = ChunkStoreTest.OPTIONS;
    static final ChunkId A = ChunkStoreTest.A;

    @TempDir
    Path root;

    ChunkStore store;

    @BeforeEach
    void open() {
        store = ChunkStore.open(root, OPTIONS);
        store.create(A, 1);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void write(long off, byte[] data) {
        store.write(A, off, ByteBuffer.wrap(data), 1, 1, false);
    }

    private Path dataFile() {
        return root.resolve("chunks").resolve(A.fileName() + ".data");
    }

    @Test
    void extentsAreBlockAlignedSortedAndMerged() {
        assertThat(store.extents(A)).isEmpty();
        write(5000, new byte[10]); // inside block 1
        write(3 * BLOCK - 1, new byte[2]); // straddles blocks 2 and 3: merges with block 1
        write(10 * BLOCK, new byte[BLOCK]);
        write(OPTIONS.chunkSize() - 1, new byte[1]); // the last block
        int last = OPTIONS.chunkSize() / BLOCK - 1;
        assertThat(store.extents(A)).containsExactly(new Extent(BLOCK, 3 * BLOCK), new Extent(10 * BLOCK, BLOCK),
                new Extent((long) last * BLOCK, BLOCK));
        store.close();
        store = ChunkStore.open(root, OPTIONS);
        assertThat(store.extents(A)).hasSize(3);
        assertThatThrownBy(() -> store.extents(new ChunkId("nope", 0))).isInstanceOf(ChunkNotFoundException.class);
    }

    @Test
    void trimZeroesTheRangeKeepsTheRestAndFreesWholeBlocks() {
        byte[] data = pattern(8 * BLOCK, 3);
        write(0, data);
        assertThat(store.usedBytes()).isEqualTo(8 * BLOCK);
        // Blocks 1-5 whole, block 0 from byte 100 and block 6 up to byte 300 partially.
        long from = 100;
        long to = 6L * BLOCK + 300;
        store.trim(A, from, to - from, 1, 1);

        byte[] expected = data.clone();
        Arrays.fill(expected, (int) from, (int) to, (byte) 0);
        assertThat(read(store, A, 0, data.length)).isEqualTo(expected);
        assertThat(store.extents(A)).containsExactly(new Extent(0, BLOCK), new Extent(6L * BLOCK, 2 * BLOCK));
        assertThat(store.stat(A).orElseThrow().allocatedBytes()).isEqualTo(3 * BLOCK);
        assertThat(store.usedBytes()).isEqualTo(3 * BLOCK);
        assertThat(store.scrub(A)).isEmpty(); // the merged edges carry fresh checksums

        // A trim inside one never-written block allocates nothing; an empty one changes nothing.
        store.trim(A, 20L * BLOCK + 7, 100, 1, 1);
        store.trim(A, 0, 0, 1, 1);
        assertThat(store.extents(A)).hasSize(2);
        assertThat(read(store, A, 0, data.length)).isEqualTo(expected);

        // Writing into a trimmed block starts from zeros, and it is written again.
        write(3L * BLOCK + 10, new byte[] {7});
        expected[3 * BLOCK + 10] = 7;
        assertThat(read(store, A, 0, data.length)).isEqualTo(expected);
        assertThat(store.extents(A)).contains(new Extent(3L * BLOCK, BLOCK));
    }

    @Test
    void trimChecksVersionAndEpochLikeWriteAndRaisesTheFence() {
        write(0, pattern(BLOCK, 1));
        store.trim(A, 0, 0, 1, 5); // an empty trim only fences
        assertThat(store.stat(A).orElseThrow().epoch()).isEqualTo(5);
        assertThatThrownBy(() -> store.trim(A, 0, BLOCK, 1, 4)).isInstanceOf(StaleEpochException.class);
        assertThatThrownBy(() -> store.trim(A, 0, BLOCK, 2, 5)).isInstanceOf(VersionMismatchException.class);
        assertThatThrownBy(() -> store.trim(A, OPTIONS.chunkSize() - 10, 11, 1, 5))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> store.trim(A, 0, -1, 1, 5)).isInstanceOf(InvalidRequestException.class);
        assertThat(read(store, A, 0, BLOCK)).isEqualTo(pattern(BLOCK, 1));
        store.trim(A, 0, BLOCK, 1, 6);
        assertThat(store.stat(A)).contains(new ChunkInfo(A, 1, 6, 0));
        assertThat(store.extents(A)).isEmpty();
    }

    @Test
    void aPartialTrimOfACorruptBlockIsRefusedButAWholeOneDiscardsIt() throws IOException {
        write(0, pattern(4 * BLOCK, 2));
        try (FileChannel ch = FileChannel.open(dataFile(), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), BLOCK + 50);
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), 2L * BLOCK + 50);
        }
        assertThatThrownBy(() -> store.trim(A, BLOCK + 10, 2 * BLOCK, 1, 9))
                .isInstanceOfSatisfying(ChecksumMismatchException.class, e -> assertThat(e.block()).isEqualTo(1));
        assertThat(store.stat(A).orElseThrow().epoch()).as("a refused trim changes nothing").isEqualTo(1);
        assertThat(store.extents(A)).containsExactly(new Extent(0, 4 * BLOCK));

        store.trim(A, BLOCK, 2 * BLOCK, 1, 1);
        assertThat(store.scrub(A)).isEmpty();
        assertThat(read(store, A, BLOCK, 2 * BLOCK)).containsOnly(0);
        assertThat(store.extents(A)).containsExactly(new Extent(0, BLOCK), new Extent(3L * BLOCK, BLOCK));
    }

    @Test
    void trimmedBlocksStayHolesAfterACleanAndAnUncleanReopen() throws IOException {
        write(0, pattern(16 * BLOCK, 4));
        store.trim(A, 4 * BLOCK, 8 * BLOCK, 1, 1);
        List<Extent> extents = store.extents(A);
        store.close();
        store = ChunkStore.open(root, OPTIONS); // from the allocation summary
        assertThat(store.extents(A)).isEqualTo(extents);
        assertThat(store.usedBytes()).isEqualTo(8 * BLOCK);
        store.close();
        Files.delete(root.resolve(StoreFiles.SUMMARY_FILE)); // as if the store had crashed
        store = ChunkStore.open(root, OPTIONS); // after a lost summary: recounted from the sidecar
        assertThat(store.usedBytes()).isEqualTo(8 * BLOCK);
        assertThat(read(store, A, 4 * BLOCK, 8 * BLOCK)).containsOnly(0);
    }

    @Test
    void trimFreesTheDataOnDisk() throws Exception {
        assumeTrue(HolePunch.enabled(), "hole punching is not available here");
        write(0, pattern(64 * BLOCK, 5));
        store.flush();
        long before = allocatedBytes(dataFile());
        assertThat(before).isGreaterThanOrEqualTo(64L * BLOCK);
        store.trim(A, 0, 64 * BLOCK, 1, 1);
        store.flush();
        assertThat(allocatedBytes(dataFile())).isLessThanOrEqualTo(before - 60L * BLOCK);
        assertThat(read(store, A, 0, 64 * BLOCK)).containsOnly(0);
    }

    @Test
    void aFailedPunchIsReportedAsFalseAndLeavesPunchingOn() {
        assumeTrue(HolePunch.enabled(), "hole punching is not available here");
        assertThat(HolePunch.punch(root.resolve("no-such-file"), 0, BLOCK)).isFalse(); // ENOENT, read via errno
        assertThat(HolePunch.enabled()).as("only an unsupporting filesystem switches it off").isTrue();
        assertThat(HolePunch.punch(dataFile(), 0, 0)).isFalse();
    }

    @Test
    void statsCountOperationsBytesAndErrors() throws IOException {
        assertThat(store.stats()).isEqualTo(new ChunkStoreStats(0, 0, 0, 0, 0, 0, 0, 0));
        write(0, pattern(3 * BLOCK, 6));
        store.write(A, 0, ByteBuffer.allocate(0), 1, 2, false); // epoch only: not counted
        read(store, A, 10, 100);
        read(store, A, 0, 2 * BLOCK);
        store.trim(A, 2 * BLOCK, BLOCK, 1, 2);
        try (FileChannel ch = FileChannel.open(dataFile(), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {9}), 5);
        }
        assertThat(store.scrub(A)).containsExactly(0);
        assertThatThrownBy(() -> read(store, A, 0, 1)).isInstanceOf(ChecksumMismatchException.class);
        assertThat(store.stats()).isEqualTo(new ChunkStoreStats(2, 100 + 2 * BLOCK, 1, 3 * BLOCK, 1, BLOCK, 2, 1));
        assertThat(store.checksumErrors()).isEqualTo(2);
    }

    /** Bytes the filesystem has allocated to the file, from stat(1): the JDK does not expose st_blocks. */
    private static long allocatedBytes(Path file) throws Exception {
        Process p = new ProcessBuilder("stat", "-c", "%b %B", file.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        String[] out = new String(p.getInputStream().readAllBytes()).trim().split(" ");
        assumeTrue(p.exitValue() == 0 && out.length == 2, "stat(1) is not usable here");
        return Long.parseLong(out[0]) * Long.parseLong(out[1]);
    }
}
