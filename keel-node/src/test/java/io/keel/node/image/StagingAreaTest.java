package io.keel.node.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagingAreaTest {
    @TempDir
    Path dir;

    private static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(7).nextBytes(b);
        return b;
    }

    @Test
    void theBodyIsCopiedWithProgress() throws Exception {
        byte[] data = random(3 << 20 | 123);
        List<Long> progress = new ArrayList<>();
        Path file = new StagingArea(dir, 0).receive("i1-u1", new ByteArrayInputStream(data), data.length, progress::add);
        assertThat(Files.readAllBytes(file)).isEqualTo(data);
        assertThat(progress).containsExactly(1L << 20, 2L << 20, 3L << 20, (long) data.length);
    }

    @Test
    void aShortOrLongBodyIsRefusedAndNothingIsLeft() {
        StagingArea staging = new StagingArea(dir, 0);
        assertThatThrownBy(() -> staging.receive("a", new ByteArrayInputStream(new byte[10]), 20, n -> {}))
                .hasMessage("the upload ended after 10 of the 20 bytes it announced");
        assertThatThrownBy(() -> staging.receive("b", new ByteArrayInputStream(new byte[30]), 20, n -> {}))
                .hasMessage("the upload sent more than the 20 bytes it announced");
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        };
        assertThatThrownBy(() -> staging.receive("c", broken, 20, n -> {}))
                .hasMessage("the upload was cut off after 0 bytes of 20: connection reset");
        assertThat(dir.resolve("a.part")).doesNotExist();
        assertThat(dir.resolve("b.part")).doesNotExist();
        assertThat(dir.resolve("c.part")).doesNotExist();
    }

    @Test
    void aFileThatCannotFitIsRefusedBeforeAByteIsRead() {
        StagingArea staging = new StagingArea(dir, 0);
        InputStream untouched = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("read before the space check");
            }
        };
        assertThatThrownBy(() -> staging.receive("big", untouched, 1L << 60, n -> {}))
                .isInstanceOfSatisfying(ImageFileException.class,
                        e -> assertThat(e.kind()).isEqualTo(ImageFileException.Kind.NO_SPACE))
                .hasMessageContaining("this node cannot stage the file: it needs 1099511627776 MiB");
        assertThatThrownBy(() -> staging.checkSpace(1L << 60)).hasMessageContaining("cannot stage the file");
    }

    @Test
    void leftoversAreCleanedAndIsoSignaturesRecognised() throws Exception {
        Files.write(dir.resolve("old.part"), new byte[1]);
        assertThat(new StagingArea(dir, 0).clean()).isEqualTo(1);
        byte[] iso = new byte[40_000];
        System.arraycopy("CD001".getBytes(), 0, iso, 32769, 5);
        Files.write(dir.resolve("x.iso"), iso);
        Files.write(dir.resolve("y.raw"), new byte[40_000]);
        Files.write(dir.resolve("z.raw"), new byte[100]);
        assertThat(StagingArea.isIso9660(dir.resolve("x.iso"))).isTrue();
        assertThat(StagingArea.isIso9660(dir.resolve("y.raw"))).isFalse();
        assertThat(StagingArea.isIso9660(dir.resolve("z.raw"))).isFalse();
    }
}
