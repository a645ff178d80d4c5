package io.keel.node.inventory;

import io.keel.meta.cluster.Disk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The block disks of this machine, read from {@code sysRoot/block}, and which of them carry the
 * running system (so nothing ever offers them for data).
 *
 * <p>Skipped device families: loop, ram, zram, nbd and fd are not persistent local disks; sr is
 * optical media. dm-* and md* are skipped because they are assembled from other disks that are
 * reported themselves, and reporting both would double count capacity; their member disks still
 * become {@code system} when a system mount sits on the dm/md device (followed via {@code slaves/}).
 *
 * <p>System detection: a disk is {@code system} when it, one of its partitions, or a dm/md device
 * built on them is mounted at one of {@link #SYSTEM_MOUNT_POINTS} per {@code procRoot/mounts}.
 * When the mount source is not a device name we know ({@code /dev/root}, {@code /dev/mapper/...}),
 * the major:minor that {@code procRoot/self/mountinfo} lists for the mount point — the same number
 * {@code stat("/").st_dev} would give, without native code — is matched against the {@code dev}
 * files of devices and partitions. A root on overlay/tmpfs/btrfs subvolume (anonymous 0:N
 * numbers), as in containers, cannot be traced to a disk; no disk is then marked.
 */
final class BlockDisks {
    /** /boot/efi too: the EFI system partition's disk is needed to boot just as much as /boot's. */
    static final Set<String> SYSTEM_MOUNT_POINTS = Set.of("/", "/boot", "/boot/efi");

    private static final List<String> VIRTUAL_PREFIXES =
            List.of("loop", "ram", "zram", "sr", "dm-", "md", "nbd", "fd");
    /** sysfs {@code size} is always in 512-byte units, whatever the device's logical block size. */
    private static final long SECTOR_BYTES = 512;

    private final Path procRoot;
    private final Path blockDir;
    /** Every device and partition name -> the whole device it belongs to. */
    private final Map<String, String> wholeDevice = new HashMap<>();
    /** "major:minor" -> device or partition name. */
    private final Map<String, String> byDevNumber = new HashMap<>();

    private BlockDisks(Path procRoot, Path sysRoot) {
        this.procRoot = procRoot;
        this.blockDir = sysRoot.resolve("block");
    }

    /** Physical disks sorted by name; a fresh index per call so a probe sees hot-plugged disks. */
    static List<Disk> scan(Path procRoot, Path sysRoot) {
        return new BlockDisks(procRoot, sysRoot).scan();
    }

    static boolean isVirtual(String name) {
        return VIRTUAL_PREFIXES.stream().anyMatch(name::startsWith);
    }

    private List<Disk> scan() {
        List<String> devices = SysFiles.childNames(blockDir);
        devices.forEach(this::index);
        Set<String> system = systemDevices();
        return devices.stream()
                .filter(name -> !isVirtual(name))
                .map(name -> describe(name, system.contains(name)))
                .toList();
    }

    private void index(String device) {
        Path dir = blockDir.resolve(device);
        wholeDevice.put(device, device);
        indexDevNumber(dir, device);
        for (String child : SysFiles.childNames(dir)) {
            // Partitions are sysfs subdirectories named after their disk (vda1, nvme0n1p1).
            if (child.startsWith(device) && Files.isDirectory(dir.resolve(child))) {
                wholeDevice.put(child, device);
                indexDevNumber(dir.resolve(child), child);
            }
        }
    }

    private void indexDevNumber(Path dir, String name) {
        SysFiles.readTrimmed(dir.resolve("dev")).ifPresent(dev -> byDevNumber.putIfAbsent(dev, name));
    }

    private Disk describe(String name, boolean system) {
        Path dir = blockDir.resolve(name);
        long size = SysFiles.readLong(dir.resolve("size")).orElse(0) * SECTOR_BYTES;
        boolean rotational = SysFiles.readTrimmed(dir.resolve("queue/rotational")).map("1"::equals).orElse(false);
        String model = SysFiles.readTrimmed(dir.resolve("device/model")).orElse(null);
        // SCSI/SATA/NVMe expose device/serial; virtio-blk puts serial beside size; wwid is the fallback.
        String serial = Stream.of("device/serial", "serial", "device/wwid", "wwid")
                .map(file -> SysFiles.readTrimmed(dir.resolve(file)))
                .flatMap(Optional::stream)
                .findFirst()
                .orElse(null);
        return new Disk(name, "block", "/dev/" + name, size, rotational, model, serial, system);
    }

    private Set<String> systemDevices() {
        Map<String, String> devNumberByMountPoint = systemMountDevNumbers();
        Set<String> mountPoints = new HashSet<>(devNumberByMountPoint.keySet());
        Map<String, List<String>> sourcesByMountPoint = new HashMap<>();
        for (String line : SysFiles.lines(procRoot.resolve("mounts"))) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length >= 2 && SYSTEM_MOUNT_POINTS.contains(fields[1])) {
                mountPoints.add(fields[1]);
                sourcesByMountPoint.computeIfAbsent(fields[1], k -> new ArrayList<>()).add(fields[0]);
            }
        }
        Set<String> system = new HashSet<>();
        for (String mountPoint : mountPoints) {
            boolean found = false;
            for (String source : sourcesByMountPoint.getOrDefault(mountPoint, List.of())) {
                String name = source.startsWith("/dev/") ? source.substring(source.lastIndexOf('/') + 1) : "";
                if (wholeDevice.containsKey(name)) {
                    addWithMembers(name, system, new HashSet<>());
                    found = true;
                }
            }
            String byNumber = byDevNumber.get(devNumberByMountPoint.get(mountPoint));
            if (!found && byNumber != null) {
                addWithMembers(byNumber, system, new HashSet<>());
            }
        }
        return system;
    }

    /** Mount point -> "major:minor" of the topmost mount there, for the system mount points. */
    private Map<String, String> systemMountDevNumbers() {
        Map<String, String> result = new HashMap<>();
        for (String line : SysFiles.lines(procRoot.resolve("self/mountinfo"))) {
            // "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw": number is field 3, mount point field 5.
            String[] fields = line.strip().split("\\s+");
            if (fields.length >= 5 && SYSTEM_MOUNT_POINTS.contains(fields[4])) {
                result.put(fields[4], fields[2]);
            }
        }
        return result;
    }

    /** Marks the whole device of {@code name} and, for dm/md, the disks it is built from. */
    private void addWithMembers(String name, Set<String> out, Set<String> seen) {
        String whole = wholeDevice.get(name);
        if (whole == null || !seen.add(whole)) {
            return;
        }
        out.add(whole);
        for (String member : SysFiles.childNames(blockDir.resolve(whole).resolve("slaves"))) {
            addWithMembers(member, out, seen);
        }
    }
}
