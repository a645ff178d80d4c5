package io.keel.testkit.guest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How one {@link TestGuest} is started.
 *
 * @param name        names the console log ({@code NAME-console.log}) and QMP socket in the test's
 *                    directory, so several guests can share one directory
 * @param memoryMiB   guest RAM; 80 MiB is the least the kernel and initramfs boot in
 * @param bootDrive   null to boot the kernel and initramfs directly ({@code -kernel}); else the QEMU
 *                    {@code -drive} spec of a bootable disk, such as a copy of
 *                    {@link GuestImage#bootDisk()}, that the firmware boots from like a real VM's;
 *                    it comes before {@code drives}, so it is /dev/vda and they start at /dev/vdb
 * @param drives      QEMU {@code -drive} specs in order (the first is /dev/vda unless there is a
 *                    boot drive), for example
 *                    {@code file=nbd://127.0.0.1:10809/disk,format=raw,if=virtio,cache=none}
 * @param extraArgs   appended to the QEMU command line as they are
 * @param bootTimeout how long to wait for the guest to say it is ready
 */
public record GuestOptions(String name, int memoryMiB, String bootDrive, List<String> drives, List<String> extraArgs,
        Duration bootTimeout) {
    public static final int DEFAULT_MEMORY_MIB = 128;
    // TCG boots in about 5 s alone; leave room for a loaded 2-core CI machine running other JVMs.
    public static final Duration DEFAULT_BOOT_TIMEOUT = Duration.ofSeconds(60);
    private static final int MIN_MEMORY_MIB = 80;

    public GuestOptions {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw new IllegalArgumentException("guest name must be a plain file name part: " + name);
        }
        if (memoryMiB < MIN_MEMORY_MIB) {
            throw new IllegalArgumentException("guest memory " + memoryMiB + " MiB is below the " + MIN_MEMORY_MIB + " MiB it needs");
        }
        drives = List.copyOf(Objects.requireNonNull(drives, "drives"));
        extraArgs = List.copyOf(Objects.requireNonNull(extraArgs, "extraArgs"));
        Objects.requireNonNull(bootTimeout, "bootTimeout");
        if (bootTimeout.isNegative() || bootTimeout.isZero()) {
            throw new IllegalArgumentException("bootTimeout must be positive: " + bootTimeout);
        }
    }

    /** Direct kernel boot, as before boot drives existed. */
    public GuestOptions(String name, int memoryMiB, List<String> drives, List<String> extraArgs, Duration bootTimeout) {
        this(name, memoryMiB, null, drives, extraArgs, bootTimeout);
    }

    public static GuestOptions defaults() {
        return new GuestOptions("guest", DEFAULT_MEMORY_MIB, null, List.of(), List.of(), DEFAULT_BOOT_TIMEOUT);
    }

    /** A raw image file as the next virtio disk, bypassing the host page cache like a real disk would. */
    public static String fileDrive(Path file) {
        return fileDrive(file, "raw");
    }

    /** An image file in {@code format} (as QEMU names it: raw, qcow2...) as the next virtio disk. */
    public static String fileDrive(Path file, String format) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(format, "format");
        if (!format.matches("[a-z0-9]+")) {
            throw new IllegalArgumentException("not a QEMU image format name: " + format);
        }
        return "file=" + escape(file.toAbsolutePath().toString()) + ",format=" + format + ",if=virtio,cache=none";
    }

    /** An NBD export as the next virtio disk; QEMU is the NBD client, the guest sees a plain virtio disk. */
    public static String nbdDrive(String host, int port, String export) {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(export, "export");
        return "file=" + escape("nbd://" + host + ":" + port + "/" + export) + ",format=raw,if=virtio,cache=none";
    }

    /** True when the firmware boots {@link #bootDrive()} instead of QEMU loading the kernel. */
    public boolean bootsFromDisk() {
        return bootDrive != null;
    }

    public GuestOptions withName(String n) {
        return new GuestOptions(n, memoryMiB, bootDrive, drives, extraArgs, bootTimeout);
    }

    public GuestOptions withMemoryMiB(int mib) {
        return new GuestOptions(name, mib, bootDrive, drives, extraArgs, bootTimeout);
    }

    /** Boots from {@code drive} (a {@code -drive} spec, see {@link #fileDrive(Path, String)}). */
    public GuestOptions withBootDrive(String drive) {
        Objects.requireNonNull(drive, "drive");
        return new GuestOptions(name, memoryMiB, drive, drives, extraArgs, bootTimeout);
    }

    public GuestOptions withDrives(List<String> d) {
        return new GuestOptions(name, memoryMiB, bootDrive, d, extraArgs, bootTimeout);
    }

    public GuestOptions withDrive(String drive) {
        Objects.requireNonNull(drive, "drive");
        var all = new ArrayList<>(drives);
        all.add(drive);
        return withDrives(all);
    }

    public GuestOptions withExtraArgs(List<String> args) {
        return new GuestOptions(name, memoryMiB, bootDrive, drives, args, bootTimeout);
    }

    public GuestOptions withBootTimeout(Duration timeout) {
        return new GuestOptions(name, memoryMiB, bootDrive, drives, extraArgs, timeout);
    }

    // QEMU option values separate with commas; a literal comma is written twice.
    private static String escape(String value) {
        return value.replace(",", ",,");
    }
}
