package io.keel.storage.chunk;

import static io.keel.storage.chunk.ChunkStoreTest.pattern;
import static io.keel.storage.chunk.ChunkStoreTest.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fills the "disk" by reserving nearly all of the real filesystem's free space. The slack is
 * small against the write sizes, so other activity on the machine cannot flip the outcome.
 */
class ChunkStoreDiskFullTest {
    static final int CHUNK = 16 << 20;
    static final ChunkStoreOptions OPTIONS = ChunkStoreOptions.defaults().withChunkSize(CHUNK).withReservedBytes(0);
    static final ChunkId A = new ChunkId("full", 0);

    @TempDir
    Path root;

    @Test
    void writesThatWouldAllocateIntoTheReserveFailAndChangeNothing() {
        long free;
        try (ChunkStore s = ChunkStore.open(root, OPTIONS)) {
            s.create(A, 1);
            s.write(A, 0, ByteBuffer.wrap(pattern(8192, 1)), 1, 1, true);
            free = s.freeBytes();
        }
        long slack = 1 << 20;
        try (ChunkStore s = ChunkStore.open(root, OPTIONS.withReservedBytes(free - slack))) {
            int len = 12 << 20;
            assertThatThrownBy(() -> s.write(A, 4096, ByteBuffer.allocate(len), 1, 2, false))
                    .isInstanceOfSatisfying(DiskFullException.class, e -> {
                        assertThat(e.neededBytes()).isGreaterThanOrEqualTo(len - 4096);
                        assertThat(e.disk()).isEqualTo(s.root().toString());
                    })
                    .hasMessageMatching("disk .* is full: \\d+ bytes free, \\d+ needed");
            assertThat(s.stat(A)).contains(new ChunkInfo(A, 1, 1, 8192));
            assertThat(read(s, A, 0, 8192)).isEqualTo(pattern(8192, 1));
            assertThat(read(s, A, 8192, len - 4096)).containsOnly(0);
            // Overwriting allocated blocks needs no new space, so it still works on a full disk.
            s.write(A, 0, ByteBuffer.wrap(pattern(8192, 2)), 1, 1, false);
            assertThat(read(s, A, 0, 8192)).isEqualTo(pattern(8192, 2));
        }
    }

    @Test
    void createFailsOnAFullDisk() {
        long free;
        try (ChunkStore s = ChunkStore.open(root, OPTIONS)) {
            free = s.freeBytes();
        }
        try (ChunkStore s = ChunkStore.open(root, OPTIONS.withReservedBytes(free + (1L << 30)))) {
            assertThat(s.freeBytes()).isZero();
            assertThatThrownBy(() -> s.create(A, 1)).isInstanceOf(DiskFullException.class)
                    .hasMessageContaining("is full");
            assertThat(s.stat(A)).isEmpty();
            assertThat(s.list()).isEmpty();
        }
        try (ChunkStore s = ChunkStore.open(root, OPTIONS)) {
            assertThat(s.list()).isEmpty(); // nothing half-created was left on disk
        }
    }
}
