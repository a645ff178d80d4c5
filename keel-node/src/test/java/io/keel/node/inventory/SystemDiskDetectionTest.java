package io.keel.node.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.keel.meta.cluster.Disk;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which disks carry "/", "/boot" or "/boot/efi", however the kernel names the mount source. */
class SystemDiskDetectionTest {
    @TempDir
    Path base;

    private Map<String, Boolean> systemFlags(FakeHost host) {
        return host.probe().probe().disks().stream().collect(Collectors.toMap(Disk::id, Disk::system));
    }

    @Test
    void devRootIsResolvedThroughMountinfoDeviceNumber() {
        FakeHost host = new FakeHost(base)
                .proc("mounts", "/dev/root / ext4 rw,relatime 0 0\n")
                .proc("self/mountinfo", "27 1 252:1 / / rw,relatime shared:1 - ext4 /dev/root rw\n")
                .blockDevice("vda", 1000, "252:0")
                .partition("vda", "vda1", "252:1")
                .blockDevice("vdb", 1000, "252:16");

        assertThat(systemFlags(host)).containsExactlyInAnyOrderEntriesOf(Map.of("vda", true, "vdb", false));
    }

    @Test
    void wholeDiskWithoutPartitionTable() {
        FakeHost host = new FakeHost(base)
                .proc("mounts", "/dev/vda / ext4 rw 0 0\n")
                .blockDevice("vda", 1000, "254:0")
                .blockDevice("vdb", 1000, "254:16");

        assertThat(systemFlags(host)).containsExactlyInAnyOrderEntriesOf(Map.of("vda", true, "vdb", false));
    }

    @Test
    void lvmRootMarksTheDiskUnderTheVolumeGroup() {
        FakeHost host = new FakeHost(base)
                .proc("mounts", "/dev/mapper/vg0-root / ext4 rw 0 0\n/dev/nvme0n1p1 /boot/efi vfat rw 0 0\n")
                .proc("self/mountinfo", "27 1 253:0 / / rw - ext4 /dev/mapper/vg0-root rw\n")
                .blockDevice("dm-0", 1000, "253:0")
                .slave("dm-0", "sda2")
                .blockDevice("sda", 1000, "8:0")
                .partition("sda", "sda1", "8:1")
                .partition("sda", "sda2", "8:2")
                .blockDevice("sdb", 1000, "8:16")
                .blockDevice("nvme0n1", 1000, "259:0")
                .partition("nvme0n1", "nvme0n1p1", "259:1");

        assertThat(systemFlags(host))
                .containsExactlyInAnyOrderEntriesOf(Map.of("sda", true, "sdb", false, "nvme0n1", true));
    }

    @Test
    void mdRaidBootMarksEveryMember() {
        FakeHost host = new FakeHost(base)
                .proc("mounts", "/dev/md0 /boot ext4 rw 0 0\n")
                .blockDevice("md0", 1000, "9:0")
                .slave("md0", "sda1")
                .slave("md0", "sdb1")
                .blockDevice("sda", 1000, "8:0")
                .partition("sda", "sda1", "8:1")
                .blockDevice("sdb", 1000, "8:16")
                .partition("sdb", "sdb1", "8:17")
                .blockDevice("sdc", 1000, "8:32");

        assertThat(systemFlags(host))
                .containsExactlyInAnyOrderEntriesOf(Map.of("sda", true, "sdb", true, "sdc", false));
    }

    @Test
    void dataMountsDoNotMakeADiskSystem() {
        FakeHost host = new FakeHost(base)
                .proc("mounts", "/dev/sdb1 /srv/data xfs rw 0 0\n/dev/sdb2 /bootstrap xfs rw 0 0\n")
                .blockDevice("sdb", 1000, "8:16")
                .partition("sdb", "sdb1", "8:17")
                .partition("sdb", "sdb2", "8:18");

        assertThat(systemFlags(host)).containsExactlyEntriesOf(Map.of("sdb", false));
    }

    @Test
    void containerOverlayRootMarksNothing() {
        FakeHost host = new FakeHost(base)
                .proc("mounts", "overlay / overlay rw,lowerdir=/a,upperdir=/b 0 0\n")
                .proc("self/mountinfo", "600 500 0:52 / / rw - overlay overlay rw\n")
                .blockDevice("sda", 1000, "8:0");

        assertThat(systemFlags(host)).containsExactlyEntriesOf(Map.of("sda", false));
    }

    @Test
    void serialComesFromDeviceSerialThenVirtioSerialThenWwid() {
        FakeHost host = new FakeHost(base)
                .blockDevice("nvme0n1", 1000, "259:0")
                .deviceFile("nvme0n1", "device/model", "Samsung SSD 980 PRO 1TB                 \n")
                .deviceFile("nvme0n1", "device/serial", "  S5GXNF0R123456  \n")
                .deviceFile("nvme0n1", "wwid", "eui.002538b111b22c33\n")
                .blockDevice("vda", 1000, "254:0")
                .deviceFile("vda", "serial", "vm-disk-1\n")
                .blockDevice("sda", 1000, "8:0")
                .deviceFile("sda", "device/wwid", "naa.5000c500a1b2c3d4\n")
                .blockDevice("sdb", 1000, "8:16");

        List<Disk> disks = host.probe().probe().disks();

        assertThat(disks).extracting(Disk::id, Disk::model, Disk::serial).containsExactly(
                tuple("nvme0n1", "Samsung SSD 980 PRO 1TB", "S5GXNF0R123456"),
                tuple("sda", null, "naa.5000c500a1b2c3d4"),
                tuple("sdb", null, null),
                tuple("vda", null, "vm-disk-1"));
    }
}
