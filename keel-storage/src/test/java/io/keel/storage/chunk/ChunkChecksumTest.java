package io.keel.storage.chunk;

import static io.keel.storage.chunk.ChunkStoreTest.pattern;
import static io.keel.storage.chunk.ChunkStoreTest.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class ChunkChecksumTest {
    static final ChunkStoreOptions OPTIONS = ChunkStoreTest.OPTIONS;
    static final ChunkId A = ChunkStoreTest.A;

    @TempDir
    Path root;

    ChunkStore store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    /** Damages a file behind the store's back, as bit rot or a torn write would. */
    private void flipByte(String suffix, long offset) throws IOException {
        Path file = root.resolve("chunks").resolve(A.fileName() + suffix);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ 0x40)).rewind();
            ch.write(b, offset);
        }
    }

    private void overwriteDataFile(long offset, byte[] bytes) throws IOException {
        Path file = root.resolve("chunks").resolve(A.fileName() + ".data");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(bytes), offset);
        }
    }

    @Test
    void flippedByteIsDetectedCountedLoggedOnceAndScrubbed() throws IOException {
        store = ChunkStore.open(root, OPTIONS);
        store.create(A, 1);
        byte[] data = pattern(16 * 4096, 1);
        store.write(A, 0, ByteBuffer.wrap(data), 1, 1, false);
        flipByte(".data", 5 * 4096 + 17);

        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        Logger chunkLog = (Logger) LoggerFactory.getLogger(Chunk.class);
        chunkLog.addAppender(logged);
        try {
            for (int attempt = 1; attempt <= 2; attempt++) {
                assertThatThrownBy(() -> read(store, A, 0, data.length))
                        .isInstanceOfSatisfying(ChecksumMismatchException.class, e -> {
                            assertThat(e.chunk()).isEqualTo(A);
                            assertThat(e.block()).isEqualTo(5);
                            assertThat(e.expectedCrc()).isNotEqualTo(e.actualCrc());
                        })
                        .hasMessageContaining("vol-1/0").hasMessageContaining("block 5");
                assertThat(store.checksumErrors()).isEqualTo(attempt);
            }
            // An unaligned read that merely touches the block verifies it too.
            assertThatThrownBy(() -> read(store, A, 6 * 4096 - 1, 1)).isInstanceOf(ChecksumMismatchException.class);
            assertThat(logged.list).hasSize(1);
            assertThat(logged.list.getFirst().getFormattedMessage()).contains("vol-1/0").contains("block 5");
        } finally {
            chunkLog.detachAppender(logged);
        }
        // Blocks around it are fine.
        assertThat(read(store, A, 0, 5 * 4096)).isEqualTo(java.util.Arrays.copyOf(data, 5 * 4096));
        assertThat(read(store, A, 6 * 4096, 4096)).isEqualTo(java.util.Arrays.copyOfRange(data, 6 * 4096, 7 * 4096));
        assertThat(store.scrub(A)).containsExactly(5);
    }

    @Test
    void partialWriteRefusesACorruptBlockAndAFullRewriteRepairsIt() throws IOException {
        store = ChunkStore.open(root, OPTIONS);
        store.create(A, 1);
        store.write(A, 0, ByteBuffer.wrap(pattern(3 * 4096, 2)), 1, 1, false);
        flipByte(".data", 4096 + 100);
        assertThatThrownBy(() -> store.write(A, 4096 + 10, ByteBuffer.wrap(new byte[20]), 1, 2, false))
                .isInstanceOfSatisfying(ChecksumMismatchException.class, e -> assertThat(e.block()).isEqualTo(1));
        assertThat(store.stat(A).orElseThrow().epoch()).isEqualTo(1); // refused before anything changed
        assertThat(store.scrub(A)).containsExactly(1);

        byte[] repair = pattern(4096, 3);
        store.write(A, 4096, ByteBuffer.wrap(repair), 1, 1, false);
        assertThat(read(store, A, 4096, 4096)).isEqualTo(repair);
        assertThat(store.scrub(A)).isEmpty();
    }

    @Test
    void damagedChecksumEntryIsDetected() throws IOException {
        store = ChunkStore.open(root, OPTIONS);
        store.create(A, 1);
        store.write(A, 0, ByteBuffer.wrap(pattern(4 * 4096, 4)), 1, 1, false);
        flipByte(".crc", 2 * 8 + 5); // the tag of block 2's entry
        assertThatThrownBy(() -> read(store, A, 2 * 4096, 4096))
                .isInstanceOfSatisfying(ChecksumMismatchException.class, e -> assertThat(e.block()).isEqualTo(2))
                .hasMessageContaining("checksum entry itself is damaged");
        assertThat(store.scrub(A)).containsExactly(2);
    }

    @Test
    void dataWrittenWithoutItsChecksumIsNeverReportedGood() throws IOException {
        // What a kill -9 between the data write and the checksum write leaves behind.
        store = ChunkStore.open(root, OPTIONS);
        store.create(A, 1);
        store.write(A, 0, ByteBuffer.wrap(pattern(4096, 5)), 1, 1, false);
        overwriteDataFile(0, pattern(4096, 6)); // new data, old checksum: detected
        overwriteDataFile(8 * 4096, pattern(4096, 7)); // data into a hole, no checksum: still a hole
        assertThatThrownBy(() -> read(store, A, 0, 4096)).isInstanceOf(ChecksumMismatchException.class);
        assertThat(read(store, A, 8 * 4096, 4096)).containsOnly(0);
        // A partial write into that hole starts from zeros, not from the leftover bytes.
        store.write(A, 8 * 4096 + 100, ByteBuffer.wrap(new byte[] {1}), 1, 1, false);
        byte[] expected = new byte[4096];
        expected[100] = 1;
        assertThat(read(store, A, 8 * 4096, 4096)).isEqualTo(expected);
    }

    @Test
    void checksummingOffSkipsVerification() throws IOException {
        store = ChunkStore.open(root, OPTIONS.withChecksums(false));
        store.create(A, 1);
        byte[] data = pattern(8 * 4096, 8);
        store.write(A, 0, ByteBuffer.wrap(data), 1, 1, false);
        flipByte(".data", 3 * 4096);
        data[3 * 4096] ^= 0x40;
        assertThat(read(store, A, 0, data.length)).isEqualTo(data);
        assertThat(store.checksumErrors()).isZero();
        assertThat(store.scrub(A)).isEmpty();
        assertThat(store.stat(A).orElseThrow().allocatedBytes()).isEqualTo(8 * 4096);
        assertThat(read(store, A, 9 * 4096, 4096)).containsOnly(0);
    }

    @Test
    void checksumModeBelongsToTheChunkAcrossReopen() throws IOException {
        store = ChunkStore.open(root, OPTIONS.withChecksums(false));
        ChunkId plain = new ChunkId("plain", 0);
        store.create(plain, 1);
        store.write(plain, 0, ByteBuffer.wrap(pattern(4096, 9)), 1, 1, false);
        store.close();
        store = ChunkStore.open(root, OPTIONS.withChecksums(true));
        store.create(A, 1);
        store.write(A, 0, ByteBuffer.wrap(pattern(4096, 10)), 1, 1, false);
        // The unchecksummed chunk stays readable: no stale or missing checksums get verified.
        assertThat(read(store, plain, 0, 4096)).isEqualTo(pattern(4096, 9));
        flipByte(".data", 7);
        assertThatThrownBy(() -> read(store, A, 0, 4096)).isInstanceOf(ChecksumMismatchException.class);
    }
}
