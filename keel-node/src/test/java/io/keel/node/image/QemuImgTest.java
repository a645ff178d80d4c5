package io.keel.node.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.meta.cluster.ImageFormat;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real qemu-img on files made by qemu-img: good, truncated and with a broken header. */
class QemuImgTest {
    @TempDir
    Path dir;

    private final ImageFileCheck check = new ImageFileCheck(QemuImg.standard());

    private Path qcow2(String name) throws Exception {
        Path file = dir.resolve(name);
        run("qemu-img", "create", "-q", "-f", "qcow2", file.toString(), "8M");
        run("qemu-io", "-c", "write -P 0x5a 0 1M", file.toString());
        return file;
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    @Test
    void aGoodQcow2PassesWithItsVirtualSize() throws Exception {
        assertThat(check.check(qcow2("good.qcow2"), null))
                .isEqualTo(new ImageFileCheck.Checked(ImageFormat.QCOW2, "qcow2", 8L << 20));
    }

    @Test
    void aTruncatedQcow2IsCorrupt() throws Exception {
        Path file = qcow2("cut.qcow2");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(300_000);
        }
        assertThatThrownBy(() -> check.check(file, ImageFormat.QCOW2))
                .hasMessageStartingWith("the qcow2 file is corrupt: qemu-img check found 16 corruption(s)");
    }

    @Test
    void aBrokenHeaderIsRefusedWithQemuImgsReasonAndNoPath() throws Exception {
        Path file = qcow2("header.qcow2");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {-1, -1, -1, -1, -1, -1, -1, -1}), 40); // L1 table offset
        }
        assertThatThrownBy(() -> check.check(file, null))
                .hasMessage("qemu-img cannot read the file: Could not open 'the file': Active L1 table offset invalid");
    }

    @Test
    void rawDataDeclaredQcow2IsAMismatch() throws IOException {
        Path file = dir.resolve("data.raw");
        Files.write(file, new byte[1 << 20]);
        assertThatThrownBy(() -> check.check(file, ImageFormat.QCOW2))
                .hasMessageStartingWith("the file was declared qcow2 but is not a qcow2 image");
    }
}
