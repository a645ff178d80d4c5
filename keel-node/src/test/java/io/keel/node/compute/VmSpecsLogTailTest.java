package io.keel.node.compute;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VmSpecsLogTailTest {
    @TempDir
    Path dir;

    @Test
    void theTailIsQemusOwnWordsWithoutTheLaunchersCommandLines() throws Exception {
        Path log = dir.resolve("qemu.log");
        Files.writeString(log, "keel: 2026-12-03T08:00:00Z starting VM web: /usr/bin/qemu-system-x86_64 " + "-x ".repeat(300)
                + "\nqemu-system-x86_64: -blockdev nbd: Failed to connect\n");
        assertThat(VmSpecs.logTail(log)).isEqualTo(": qemu-system-x86_64: -blockdev nbd: Failed to connect");
    }

    @Test
    void aQemuKilledWithoutAWordLeavesNoTail() throws Exception {
        Path log = dir.resolve("qemu.log");
        Files.writeString(log, "keel: 2026-12-03T08:00:00Z starting VM web: /usr/bin/qemu-system-x86_64 -name web\n");
        assertThat(VmSpecs.logTail(log)).isEmpty();
        assertThat(VmSpecs.logTail(dir.resolve("missing.log"))).isEmpty();
    }
}
