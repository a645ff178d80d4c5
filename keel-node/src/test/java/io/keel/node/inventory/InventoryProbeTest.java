package io.keel.node.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.keel.meta.cluster.Disk;
import io.keel.meta.cluster.Inventory;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryProbeTest {
    private static final long VDA_SECTORS = 209_715_200L; // 100 GiB
    private static final long SDB_SECTORS = 7_814_037_168L; // 4 TB

    @TempDir
    Path base;

    private FakeHost host;

    @BeforeEach
    void typicalServer() {
        host = new FakeHost(base)
                .resource(base.resolve("proc/cpuinfo"), "cpuinfo")
                .resource(base.resolve("proc/meminfo"), "meminfo")
                .resource(base.resolve("proc/mounts"), "mounts")
                .resource(base.resolve("root/etc/os-release"), "os-release")
                .proc("sys/kernel/hostname", "node-a\n")
                .blockDevice("vda", VDA_SECTORS, "252:0")
                .deviceFile("vda", "device/model", "QEMU HARDDISK   \n")
                .deviceFile("vda", "device/serial", "KEEL-VDA-0001\n")
                .partition("vda", "vda1", "252:1")
                .blockDevice("sdb", SDB_SECTORS, "8:16")
                .rotational("sdb")
                .deviceFile("sdb", "device/model", "ST4000NM0035-1V4\n")
                .deviceFile("sdb", "device/serial", "ZC1A2B3C\n")
                .blockDevice("loop0", 131_072, "7:0")
                .blockDevice("dm-0", 41_943_040, "253:0");
    }

    @Test
    void readsCpuMemoryHostnameAndOs() {
        Inventory inventory = host.probe().probe();

        assertThat(inventory.hostname()).isEqualTo("node-a");
        assertThat(inventory.os()).isEqualTo("Ubuntu 24.04.1 LTS");
        assertThat(inventory.cpuModel()).isEqualTo("Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz");
        assertThat(inventory.cpuCores()).isEqualTo(2);
        assertThat(inventory.memoryBytes()).isEqualTo(16_303_748L * 1024);
    }

    @Test
    void reportsPhysicalDisksSortedAndSkipsVirtualOnes() {
        Inventory inventory = host.probe().probe();

        assertThat(inventory.disks()).containsExactly(
                new Disk("sdb", "block", "/dev/sdb", SDB_SECTORS * 512, true, "ST4000NM0035-1V4", "ZC1A2B3C", false),
                new Disk("vda", "block", "/dev/vda", VDA_SECTORS * 512, false, "QEMU HARDDISK", "KEEL-VDA-0001", true));
    }

    @Test
    void everyVirtualFamilyIsSkipped() {
        for (String name : List.of("loop7", "ram0", "zram0", "sr0", "dm-3", "md127", "nbd0", "fd0")) {
            host.blockDevice(name, 1024, "1:1");
        }

        assertThat(host.probe().probe().disks()).extracting(Disk::id).containsExactly("sdb", "vda");
    }

    @Test
    void missingFilesYieldDefaults() {
        FakeHost empty = new FakeHost(base.resolve("nothing"));

        Inventory inventory = empty.probe().probe();

        assertThat(inventory.hostname()).isNotBlank();
        assertThat(inventory.os()).startsWith(System.getProperty("os.name"));
        assertThat(inventory.cpuModel()).isEqualTo("unknown");
        assertThat(inventory.cpuCores()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(inventory.memoryBytes()).isZero();
        assertThat(inventory.disks()).isEmpty();
    }

    @Test
    void oddFileContentsDoNotThrow() {
        host.proc("cpuinfo", "\u0000\u00ff garbage without colons\n: leading colon\nmodel name :\n")
                .proc("meminfo", "MemTotal: lots kB\nMemTotal:\n")
                .proc("mounts", "\n/dev/vda1\n   \n")
                .proc("self/mountinfo", "1 2\nnonsense\n")
                .deviceFile("vda", "size", "not-a-number\n")
                .deviceFile("sdb", "queue/rotational", "\n")
                .deviceFile("sdb", "device/model", "   \n");

        Inventory inventory = host.probe().probe();

        assertThat(inventory.cpuModel()).isEqualTo("unknown");
        assertThat(inventory.memoryBytes()).isZero();
        assertThat(inventory.disks()).containsExactly(
                new Disk("sdb", "block", "/dev/sdb", SDB_SECTORS * 512, false, null, "ZC1A2B3C", false),
                new Disk("vda", "block", "/dev/vda", 0, false, "QEMU HARDDISK", "KEEL-VDA-0001", false));
    }

    @Test
    void osReleaseFallsBackToUsrLib() {
        FakeHost other = new FakeHost(base.resolve("other"))
                .file(base.resolve("other/root/usr/lib/os-release"), "NAME=Debian\nPRETTY_NAME='Debian GNU/Linux 13 (trixie)'\n");

        assertThat(other.probe().probe().os()).isEqualTo("Debian GNU/Linux 13 (trixie)");
    }

    @Test
    void unquotesOsReleaseValues() {
        assertThat(InventoryProbe.unquote("\"Fedora Linux 42 (\\\"Adams\\\")\"")).isEqualTo("Fedora Linux 42 (\"Adams\")");
        assertThat(InventoryProbe.unquote("'single'")).isEqualTo("single");
        assertThat(InventoryProbe.unquote("bare")).isEqualTo("bare");
        assertThat(InventoryProbe.unquote("\"")).isEqualTo("\"");
    }

    @Test
    void rejectsNullArguments() {
        assertThatNullPointerException().isThrownBy(() -> new InventoryProbe(null, base, List.of()));
        assertThatNullPointerException().isThrownBy(() -> new InventoryProbe(base, null, List.of()));
        assertThatNullPointerException().isThrownBy(() -> new InventoryProbe(base, base, null));
    }
}
