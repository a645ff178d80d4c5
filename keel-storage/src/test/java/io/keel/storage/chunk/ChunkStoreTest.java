package io.keel.storage.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkStoreTest {
    static final int CHUNK = 1 << 20;
    static final ChunkStoreOptions OPTIONS = ChunkStoreOptions.defaults().withChunkSize(CHUNK).withReservedBytes(0);
    static final ChunkId A = new ChunkId("vol-1", 0);
    static final ChunkId B = new ChunkId("vol-1", 1);

    @TempDir
    Path root;

    ChunkStore store;

    @BeforeEach
    void open() {
        store = ChunkStore.open(root, OPTIONS);
    }

    @AfterEach
    void close() {
        store.close();
    }

    static byte[] read(ChunkOperations s, ChunkId id, long off, int len) {
        ByteBuffer dst = ByteBuffer.allocate(len);
        s.read(id, off, dst);
        assertThat(dst.hasRemaining()).isFalse();
        return dst.array();
    }

    static byte[] pattern(int len, int seed) {
        byte[] b = new byte[len];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void createStatListDelete() {
        store.create(A, 3);
        store.create(B, 1);
        assertThat(store.stat(A)).contains(new ChunkInfo(A, 3, 0, 0));
        assertThat(store.list()).extracting(ChunkInfo::id).containsExactly(A, B);
        store.delete(A);
        assertThat(store.stat(A)).isEmpty();
        assertThat(store.list()).extracting(ChunkInfo::id).containsExactly(B);
        store.create(A, 9); // a deleted id can be created again, empty
        assertThat(store.stat(A)).contains(new ChunkInfo(A, 9, 0, 0));
        assertThat(read(store, A, 0, 4096)).containsOnly(0);
    }

    @Test
    void missingAndDuplicateChunks() {
        store.create(A, 1);
        assertThatThrownBy(() -> store.create(A, 1)).isInstanceOf(ChunkExistsException.class).hasMessageContaining("vol-1/0");
        assertThatThrownBy(() -> store.delete(B)).isInstanceOf(ChunkNotFoundException.class).hasMessageContaining("vol-1/1");
        assertThatThrownBy(() -> store.write(B, 0, ByteBuffer.allocate(1), 1, 1, false))
                .isInstanceOf(ChunkNotFoundException.class);
        assertThatThrownBy(() -> read(store, B, 0, 1)).isInstanceOf(ChunkNotFoundException.class);
        assertThatThrownBy(() -> store.setVersion(B, 2)).isInstanceOf(ChunkNotFoundException.class);
        assertThatThrownBy(() -> store.scrub(B)).isInstanceOf(ChunkNotFoundException.class);
    }

    @Test
    void holesReadAsZerosAndAreNotAllocated() {
        store.create(A, 1);
        byte[] data = pattern(10, 1);
        store.write(A, 100_000, ByteBuffer.wrap(data), 1, 1, false);
        byte[] all = read(store, A, 0, CHUNK);
        byte[] expected = new byte[CHUNK];
        System.arraycopy(data, 0, expected, 100_000, data.length);
        assertThat(all).isEqualTo(expected);
        assertThat(store.stat(A).orElseThrow().allocatedBytes()).isEqualTo(4096);
        assertThat(Files.exists(root.resolve("chunks").resolve(A.fileName() + ".data"))).isTrue();
    }

    @Test
    void allocationCountsWrittenBlocks() {
        store.create(A, 1);
        store.create(B, 1);
        store.write(A, 4095, ByteBuffer.wrap(new byte[2]), 1, 1, false); // straddles blocks 0 and 1
        store.write(A, 8192, ByteBuffer.wrap(new byte[4096]), 1, 1, false);
        store.write(A, 0, ByteBuffer.wrap(new byte[4096]), 1, 1, false); // overwrite: nothing new
        store.write(B, CHUNK - 1, ByteBuffer.wrap(new byte[1]), 1, 1, false);
        assertThat(store.stat(A).orElseThrow().allocatedBytes()).isEqualTo(3 * 4096);
        assertThat(store.usedBytes()).isEqualTo(4 * 4096);
        store.delete(A);
        assertThat(store.usedBytes()).isEqualTo(4096);
    }

    @Test
    void writeAdvancesPositionAndReadFillsDst() {
        store.create(A, 1);
        ByteBuffer src = ByteBuffer.wrap(pattern(5000, 2));
        store.write(A, 7, src, 1, 1, true);
        assertThat(src.hasRemaining()).isFalse();
        ByteBuffer dst = ByteBuffer.allocateDirect(5000);
        store.read(A, 7, dst);
        assertThat(dst.position()).isEqualTo(5000);
        byte[] got = new byte[5000];
        dst.flip().get(got);
        assertThat(got).isEqualTo(pattern(5000, 2));
    }

    @Test
    void staleEpochIsRejectedAndChangesNothing() {
        store.create(A, 1);
        store.write(A, 0, ByteBuffer.wrap(pattern(8192, 3)), 1, 5, false);
        assertThatThrownBy(() -> store.write(A, 100, ByteBuffer.wrap(new byte[9000]), 1, 4, true))
                .isInstanceOfSatisfying(StaleEpochException.class, e -> {
                    assertThat(e.chunkEpoch()).isEqualTo(5);
                    assertThat(e.requestEpoch()).isEqualTo(4);
                    assertThat(e.chunk()).isEqualTo(A);
                })
                .hasMessageContaining("epoch 4").hasMessageContaining("epoch 5");
        assertThat(read(store, A, 0, 8192)).isEqualTo(pattern(8192, 3));
        assertThat(read(store, A, 8192, 4096)).containsOnly(0);
        assertThat(store.stat(A)).contains(new ChunkInfo(A, 1, 5, 8192));
        store.write(A, 0, ByteBuffer.wrap(new byte[1]), 1, 5, false); // the same epoch still writes
        store.write(A, 0, ByteBuffer.wrap(new byte[1]), 1, 6, false); // a newer one raises the fence
        assertThat(store.stat(A).orElseThrow().epoch()).isEqualTo(6);
    }

    @Test
    void emptyWriteRaisesTheFenceOnly() {
        store.create(A, 1);
        store.write(A, 0, ByteBuffer.allocate(0), 1, 7, true);
        assertThat(store.stat(A)).contains(new ChunkInfo(A, 1, 7, 0));
        assertThatThrownBy(() -> store.write(A, 0, ByteBuffer.allocate(1), 1, 6, false))
                .isInstanceOf(StaleEpochException.class);
    }

    @Test
    void versionMustMatchAndOnlyMovesForward() {
        store.create(A, 1);
        store.write(A, 0, ByteBuffer.wrap(pattern(100, 4)), 1, 1, false);
        assertThatThrownBy(() -> store.write(A, 0, ByteBuffer.wrap(new byte[100]), 2, 1, false))
                .isInstanceOfSatisfying(VersionMismatchException.class, e -> {
                    assertThat(e.chunkVersion()).isEqualTo(1);
                    assertThat(e.requestVersion()).isEqualTo(2);
                });
        assertThat(read(store, A, 0, 100)).isEqualTo(pattern(100, 4));
        store.setVersion(A, 2);
        assertThatThrownBy(() -> store.write(A, 0, ByteBuffer.wrap(new byte[100]), 1, 1, false))
                .isInstanceOf(VersionMismatchException.class);
        store.write(A, 0, ByteBuffer.wrap(pattern(100, 5)), 2, 1, false);
        assertThat(read(store, A, 0, 100)).isEqualTo(pattern(100, 5));
        assertThatThrownBy(() -> store.setVersion(A, 1)).isInstanceOf(VersionMismatchException.class);
        store.setVersion(A, 2); // same version: a no-op
        assertThat(store.stat(A).orElseThrow().version()).isEqualTo(2);
    }

    @Test
    void rangesOutsideTheChunkAreInvalid() {
        store.create(A, 1);
        assertThatThrownBy(() -> store.write(A, CHUNK - 1, ByteBuffer.allocate(2), 1, 1, false))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("outside the chunk");
        assertThatThrownBy(() -> store.write(A, -1, ByteBuffer.allocate(1), 1, 1, false))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> store.read(A, Long.MAX_VALUE, ByteBuffer.allocate(1)))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> store.write(A, 0, ByteBuffer.allocate(1), -1, 1, false))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> store.create(B, -1)).isInstanceOf(InvalidRequestException.class);
        assertThat(read(store, A, CHUNK - 1, 1)).containsExactly(0);
        assertThat(read(store, A, CHUNK, 0)).isEmpty();
    }

    @Test
    void reopenKeepsDataVersionsEpochsAndAllocation() {
        store.create(A, 4);
        store.create(B, 1);
        store.write(A, 12_345, ByteBuffer.wrap(pattern(70_000, 6)), 4, 9, false);
        store.write(B, 0, ByteBuffer.wrap(pattern(4096, 7)), 1, 2, true);
        store.setVersion(B, 3);
        var before = store.list();
        store.close();

        store = ChunkStore.open(root, OPTIONS); // clean close: allocation comes from the summary
        assertThat(store.list()).isEqualTo(before);
        assertThat(read(store, A, 12_345, 70_000)).isEqualTo(pattern(70_000, 6));
        assertThat(read(store, B, 0, 4096)).isEqualTo(pattern(4096, 7));
        assertThat(store.usedBytes()).isEqualTo(before.stream().mapToLong(ChunkInfo::allocatedBytes).sum());
        assertThatThrownBy(() -> store.write(A, 0, ByteBuffer.allocate(1), 4, 8, false))
                .isInstanceOf(StaleEpochException.class);
    }

    @Test
    void reopenAfterUncleanShutdownRecountsAllocation() throws IOException {
        store.create(A, 1);
        store.write(A, 0, ByteBuffer.wrap(pattern(3 * 4096 + 1, 8)), 1, 1, true);
        var before = store.list();
        store.close();
        Files.delete(root.resolve("allocation-summary")); // as if killed: no summary was written

        store = ChunkStore.open(root, OPTIONS);
        assertThat(store.list()).isEqualTo(before);
        assertThat(before.getFirst().allocatedBytes()).isEqualTo(4 * 4096);
        // The summary is consumed at open, so a crash from here on cannot leave a stale one.
        assertThat(root.resolve("allocation-summary")).doesNotExist();
    }

    @Test
    void openRefusesASecondStoreAndAnotherChunkSize() {
        assertThatThrownBy(() -> ChunkStore.open(root, OPTIONS))
                .isInstanceOf(ChunkIOException.class).hasMessageContaining("already open");
        store.close();
        assertThatThrownBy(() -> ChunkStore.open(root, OPTIONS.withChunkSize(2 * CHUNK)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("chunkSize");
        store = ChunkStore.open(root, OPTIONS);
    }

    @Test
    void openCleansUpInterruptedOperationsAndQuarantinesBadMetadata() throws IOException {
        store.create(A, 1);
        store.create(B, 1);
        store.close();
        Path chunks = root.resolve("chunks");
        ChunkId orphan = new ChunkId("gone", 3);
        Files.write(chunks.resolve(orphan.fileName() + ".data"), new byte[10]);
        Files.write(chunks.resolve(A.fileName() + ".meta.tmp"), new byte[3]);
        byte[] meta = Files.readAllBytes(chunks.resolve(B.fileName() + ".meta"));
        meta[10] ^= 1;
        Files.write(chunks.resolve(B.fileName() + ".meta"), meta);

        store = ChunkStore.open(root, OPTIONS);
        assertThat(store.list()).extracting(ChunkInfo::id).containsExactly(A);
        assertThat(chunks.resolve(orphan.fileName() + ".data")).doesNotExist();
        assertThat(chunks.resolve(A.fileName() + ".meta.tmp")).doesNotExist();
        assertThat(root.resolve("quarantine").resolve(B.fileName() + ".meta")).exists();
    }

    @Test
    void evictionOfOpenFilesKeepsEverythingWorking() {
        store.close();
        store = ChunkStore.open(root, OPTIONS.withMaxOpenChunks(2));
        int n = 12;
        for (int i = 0; i < n; i++) {
            ChunkId id = new ChunkId("many", i);
            store.create(id, 1);
            store.write(id, i * 100L, ByteBuffer.wrap(pattern(5000, i)), 1, 1, false);
        }
        store.flush();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < n; i++) {
                assertThat(read(store, new ChunkId("many", i), i * 100L, 5000)).isEqualTo(pattern(5000, i));
            }
        }
    }

    @Test
    void flushAndDurableWritesSucceed() {
        store.create(A, 1);
        store.write(A, 0, ByteBuffer.wrap(pattern(4096, 9)), 1, 1, false);
        store.flush();
        store.flush(); // nothing dirty
        store.write(A, 4096, ByteBuffer.wrap(pattern(4096, 10)), 1, 1, true);
        assertThat(read(store, A, 0, 8192)).isEqualTo(concat(pattern(4096, 9), pattern(4096, 10)));
    }

    @Test
    void closedStoreRefusesOperations() {
        store.create(A, 1);
        store.close();
        assertThatThrownBy(() -> store.stat(A)).isInstanceOf(ChunkIOException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> read(store, A, 0, 1)).isInstanceOf(ChunkIOException.class);
        store = ChunkStore.open(root, OPTIONS);
    }

    @Test
    void optionsAreValidated() {
        assertThatThrownBy(() -> OPTIONS.withChunkSize(4097)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OPTIONS.withChunkSize(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OPTIONS.withReservedBytes(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ChunkStoreOptions.defaults().chunkSize()).isEqualTo(64 << 20);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
