package io.keel.node.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** qemu-img's JSON as qemu-img 7.2 printed it (captured into test resources). */
class QemuImgOutputTest {
    private static String resource(String name) throws IOException {
        try (InputStream in = QemuImgOutputTest.class.getResourceAsStream("/qemu-img/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aQcow2FileHasItsFormatAndVirtualSize() throws IOException {
        assertThat(QemuImgInfo.parse(resource("info-qcow2.json")))
                .isEqualTo(new QemuImgInfo("qcow2", 8L << 20, null, null, false));
    }

    @Test
    void rawDataIsRawWithItsSizeRoundedToSectors() throws IOException {
        assertThat(QemuImgInfo.parse(resource("info-raw.json"))).isEqualTo(new QemuImgInfo("raw", 3000320, null, null,
                false));
    }

    @Test
    void backingAndExternalDataFilesAreSeen() throws IOException {
        assertThat(QemuImgInfo.parse(resource("info-backing.json")).backingFile()).isEqualTo("a.qcow2");
        assertThat(QemuImgInfo.parse(resource("info-datafile.json")).dataFile()).isEqualTo("d.raw");
    }

    @Test
    void checkCountsCorruptions() throws IOException {
        assertThat(QemuImgCheck.parse(resource("check-ok.json"))).isEqualTo(new QemuImgCheck(0, 0, 0));
        assertThat(QemuImgCheck.parse(resource("check-ok.json")).clean()).isTrue();
        QemuImgCheck corrupt = QemuImgCheck.parse(resource("check-corrupt.json"));
        assertThat(corrupt.corruptions()).isEqualTo(16);
        assertThat(corrupt.clean()).isFalse();
    }

    @Test
    void notQemuImgJsonIsAnError() {
        assertThatThrownBy(() -> QemuImgInfo.parse("qemu-img: oops")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("qemu-img info did not answer JSON");
        assertThatThrownBy(() -> QemuImgInfo.parse("{\"format\":\"raw\"}"))
                .hasMessage("qemu-img info answered JSON without format and virtual-size");
        assertThatThrownBy(() -> QemuImgCheck.parse("[]")).hasMessage("qemu-img check did not answer a JSON object");
    }
}
