package io.keel.node.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.meta.cluster.ImageFormat;
import org.junit.jupiter.api.Test;

/** The format rules on qemu-img's answer: the probe wins over the declaration, or the upload is refused. */
class ImageFileCheckTest {
    private static final QemuImgInfo QCOW2 = new QemuImgInfo("qcow2", 1 << 20, null, null, false);
    private static final QemuImgInfo RAW = new QemuImgInfo("raw", 1 << 20, null, null, false);

    @Test
    void undeclaredFormatsAreWhatTheFileIs() throws Exception {
        assertThat(ImageFileCheck.judge(QCOW2, null, false)).isEqualTo(ImageFormat.QCOW2);
        assertThat(ImageFileCheck.judge(RAW, null, false)).isEqualTo(ImageFormat.RAW);
        assertThat(ImageFileCheck.judge(RAW, null, true)).isEqualTo(ImageFormat.ISO);
        assertThat(ImageFileCheck.judge(RAW, ImageFormat.RAW, true)).isEqualTo(ImageFormat.RAW);
        assertThat(ImageFileCheck.judge(RAW, ImageFormat.ISO, true)).isEqualTo(ImageFormat.ISO);
    }

    @Test
    void aDeclarationTheFileContradictsIsRefused() {
        assertThatThrownBy(() -> ImageFileCheck.judge(RAW, ImageFormat.QCOW2, false))
                .hasMessage("the file was declared qcow2 but is not a qcow2 image (qemu-img sees raw data): upload it"
                        + " as raw or iso, or leave the format out");
        assertThatThrownBy(() -> ImageFileCheck.judge(QCOW2, ImageFormat.RAW, false))
                .hasMessageStartingWith("the file was declared raw but is a qcow2 image");
        assertThatThrownBy(() -> ImageFileCheck.judge(RAW, ImageFormat.ISO, false))
                .hasMessage("the file was declared iso but has no ISO 9660 signature (\"CD001\" at byte 32769)");
        assertThatThrownBy(() -> ImageFileCheck.judge(new QemuImgInfo("vmdk", 1, null, null, false), null, false))
                .hasMessageStartingWith("the file is a vmdk image; Keel takes qcow2, raw and ISO files");
    }

    @Test
    void filesThatNameOtherFilesOrAreEmptyAreRefused() {
        assertThatThrownBy(() -> ImageFileCheck.judge(new QemuImgInfo("qcow2", 1, "/etc/shadow", null, false), null,
                false)).hasMessageStartingWith("the qcow2 file refers to a backing file (/etc/shadow)");
        assertThatThrownBy(() -> ImageFileCheck.judge(new QemuImgInfo("qcow2", 1, null, "d.raw", false), null, false))
                .hasMessageStartingWith("the qcow2 file keeps its data in an external file (d.raw)");
        assertThatThrownBy(() -> ImageFileCheck.judge(new QemuImgInfo("qcow2", 1, null, null, true), null, false))
                .hasMessage("the qcow2 file is marked corrupt in its header");
        assertThatThrownBy(() -> ImageFileCheck.judge(new QemuImgInfo("raw", 0, null, null, false), null, false))
                .hasMessage("the image is empty (its disk size is 0 bytes)");
        assertThatThrownBy(() -> ImageFileCheck.judge(RAW, ImageFormat.QCOW2, false))
                .isInstanceOfSatisfying(ImageFileException.class,
                        e -> assertThat(e.kind()).isEqualTo(ImageFileException.Kind.INVALID));
    }
}
