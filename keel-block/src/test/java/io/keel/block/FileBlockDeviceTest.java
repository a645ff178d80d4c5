package io.keel.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileBlockDeviceTest {
    @TempDir
    Path dir;

    @Test
    void readsWritesAndZeroesAtArbitraryOffsets() throws Exception {
        try (FileBlockDevice d = FileBlockDevice.create(dir.resolve("f"), 3 << 20)) {
            assertThat(d.size()).isEqualTo(3 << 20);
            assertThat(d.blockSize()).isEqualTo(4096);
            assertThat(d.readOnly()).isFalse();
            assertThat(d.multiConnSafe()).isTrue();
            byte[] data = new byte[10_000];
            new Random(1).nextBytes(data);
            d.write(12_345, ByteBuffer.wrap(data), false);
            d.write(1 << 20, ByteBuffer.allocateDirect(4096).put(data, 0, 4096).flip(), true);
            d.flush();
            ByteBuffer back = ByteBuffer.allocateDirect(data.length);
            d.read(12_345, back);
            assertThat(back.hasRemaining()).isFalse();
            byte[] got = new byte[data.length];
            back.flip().get(got);
            assertThat(got).isEqualTo(data);

            d.writeZeroes(12_345, 100, true);
            d.trim(12_445, (2 << 20) - 12_445);
            ByteBuffer z = ByteBuffer.allocate(data.length);
            d.read(12_345, z);
            assertThat(z.array()).containsOnly(0);
        }
        byte[] file = Files.readAllBytes(dir.resolve("f"));
        assertThat(file).hasSize(3 << 20);
        assertThat(Arrays.copyOfRange(file, 0, 12_345)).containsOnly(0);
    }

    @Test
    void rangeAndPermissionErrorsCarryTheirKind() throws Exception {
        Path f = dir.resolve("g");
        FileBlockDevice.create(f, 8192).close();
        try (FileBlockDevice d = FileBlockDevice.open(f, true)) {
            assertThatThrownBy(() -> d.read(8000, ByteBuffer.allocate(500)))
                    .isInstanceOfSatisfying(BlockIoException.class, e -> assertThat(e.kind()).isEqualTo(BlockIoException.Kind.EINVAL));
            assertThatThrownBy(() -> d.write(-1, ByteBuffer.allocate(1), false))
                    .isInstanceOfSatisfying(BlockIoException.class, e -> assertThat(e.kind()).isEqualTo(BlockIoException.Kind.EINVAL));
            assertThatThrownBy(() -> d.writeZeroes(0, 8193, false)).isInstanceOf(BlockIoException.class);
            d.read(8192, ByteBuffer.allocate(0));
        }
        try (FileBlockDevice ro = FileBlockDevice.open(f, false)) {
            assertThat(ro.readOnly()).isTrue();
            for (ThrowingOp op : new ThrowingOp[] {
                () -> ro.write(0, ByteBuffer.allocate(1), false), () -> ro.trim(0, 1), () -> ro.writeZeroes(0, 1, false)}) {
                assertThatThrownBy(op::run).isInstanceOfSatisfying(BlockIoException.class,
                        e -> assertThat(e.kind()).isEqualTo(BlockIoException.Kind.EPERM));
            }
            ro.flush();
        }
        assertThatThrownBy(() -> FileBlockDevice.open(dir.resolve("missing"), false))
                .isInstanceOfSatisfying(BlockIoException.class, e -> assertThat(e.kind()).isEqualTo(BlockIoException.Kind.EIO));
    }

    @Test
    void directoryExportsListsFilesAndNeverEscapesTheDirectory() throws Exception {
        Files.write(dir.resolve("b"), new byte[4096]);
        Files.write(dir.resolve("a"), new byte[512]);
        Files.createDirectory(dir.resolve("sub"));
        Files.write(dir.resolve("sub").resolve("c"), new byte[512]);
        Files.createSymbolicLink(dir.resolve("link"), dir.resolve("a"));
        DirectoryExports exports = new DirectoryExports(dir, Set.of("b"));
        assertThat(exports.list()).containsExactly("a", "b");
        for (String bad : new String[] {"", ".", "..", "../a", "sub/c", "sub", "link", "missing", "a\0"}) {
            assertThat(exports.open(bad, true)).as(bad).isEmpty();
        }
        try (BlockDevice a = exports.open("a", true).orElseThrow();
                BlockDevice b = exports.open("b", true).orElseThrow();
                BlockDevice a2 = exports.open("a", false).orElseThrow()) {
            assertThat(a.readOnly()).isFalse();
            assertThat(a.size()).isEqualTo(512);
            assertThat(b.readOnly()).as("configured read-only").isTrue();
            assertThat(a2.readOnly()).isTrue();
        }
        assertThat(exports.description("b")).contains("file b, 4096 bytes, read-only");
        assertThat(exports.description("nope")).isEmpty();
    }

    @FunctionalInterface
    private interface ThrowingOp {
        void run() throws Exception;
    }
}
