package io.keel.testkit.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuestOptionsTest {
    private static final GuestImage IMAGE = new GuestImage(Path.of("/g"), Path.of("/g/vmlinuz"), Path.of("/g/initrd.img"));
    private static final Path QMP = Path.of("/t/guest.qmp");

    @Test
    void directBootPassesTheKernelAndItsArguments() {
        GuestOptions options = GuestOptions.defaults().withDrive(GuestOptions.fileDrive(Path.of("/t/data.raw")));
        List<String> cmd = TestGuest.command(IMAGE, options, QMP);
        assertThat(options.bootsFromDisk()).isFalse();
        assertThat(cmd).containsSubsequence("-kernel", "/g/vmlinuz", "-initrd", "/g/initrd.img", "-append", TestGuest.KERNEL_ARGS)
                .containsSubsequence("-drive", "file=/t/data.raw,format=raw,if=virtio,cache=none");
    }

    @Test
    void diskBootHasNoKernelAndPutsTheBootDriveFirst() {
        GuestOptions options = GuestOptions.defaults().withDrive(GuestOptions.fileDrive(Path.of("/t/data.raw")))
                .withBootDrive(GuestOptions.fileDrive(Path.of("/t/boot.qcow2"), "qcow2"));
        List<String> cmd = TestGuest.command(IMAGE, options, QMP);
        assertThat(options.bootsFromDisk()).isTrue();
        assertThat(cmd).doesNotContain("-kernel", "-initrd", "-append", TestGuest.KERNEL_ARGS)
                .containsSubsequence("-drive", "file=/t/boot.qcow2,format=qcow2,if=virtio,cache=none",
                        "-drive", "file=/t/data.raw,format=raw,if=virtio,cache=none");
    }

    @Test
    void theBootDriveSurvivesTheOtherWithers() {
        GuestOptions options = GuestOptions.defaults().withBootDrive("file=/b,format=raw,if=virtio").withName("n")
                .withMemoryMiB(96).withDrives(List.of()).withExtraArgs(List.of("-S")).withBootTimeout(Duration.ofSeconds(5));
        assertThat(options.bootDrive()).isEqualTo("file=/b,format=raw,if=virtio");
    }

    @Test
    void fileDrivesEscapeCommasAndRefuseOddFormats() {
        assertThat(GuestOptions.fileDrive(Path.of("/t/a,b.qcow2"), "qcow2")).startsWith("file=/t/a,,b.qcow2,format=qcow2,");
        assertThatThrownBy(() -> GuestOptions.fileDrive(Path.of("/t/x"), "raw,if=ide")).isInstanceOf(IllegalArgumentException.class);
    }
}
