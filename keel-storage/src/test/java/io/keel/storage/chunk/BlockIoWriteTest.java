package io.keel.storage.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** BlockIo.writeFully cuts a write into pieces; the file must still hold exactly the buffer's bytes. */
class BlockIoWriteTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"0, 1", "0, 65536", "4096, 65536", "4096, 1048576", "65535, 131075", "1000, 300000"})
    void writesEveryByteAtItsOffsetAndLeavesTheBufferConsumed(long offset, int length) throws IOException {
        byte[] bytes = new byte[length + 20];
        new Random(offset * 31 + length).nextBytes(bytes);
        // A direct buffer with a position and limit inside it, as the chunk store passes slices.
        ByteBuffer src = ByteBuffer.allocateDirect(bytes.length).put(bytes).position(10).limit(10 + length);
        Path file = dir.resolve("f");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            BlockIo.writeFully(ch, src, offset);
        }
        assertThat(src.position()).isEqualTo(10 + length);
        assertThat(src.limit()).isEqualTo(10 + length);
        byte[] onDisk = Files.readAllBytes(file);
        assertThat(onDisk).hasSize((int) offset + length);
        byte[] expected = new byte[length];
        System.arraycopy(bytes, 10, expected, 0, length);
        byte[] written = new byte[length];
        System.arraycopy(onDisk, (int) offset, written, 0, length);
        assertThat(written).isEqualTo(expected);
    }
}
