package io.keel.compute.qemu;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Everything one QEMU process is started with; {@link QemuCommandLine} turns it into arguments.
 * Checked on construction, so a spec that exists can be launched: a mistake is reported here with
 * its reason rather than as a QEMU start failure.
 *
 * @param name          the VM's name, also QEMU's {@code -name} (thread names, logs)
 * @param uuid          the machine UUID the guest sees (SMBIOS)
 * @param vcpus         virtual CPUs
 * @param memoryMiB     guest RAM
 * @param accelerator   KVM or TCG, as {@link AcceleratorDetector} chose for this node
 * @param disks         virtio disks over NBD, in the guest's bus order
 * @param qmpSocket     where QEMU listens for QMP
 * @param serialSocket  where QEMU listens for the serial console (the WebSocket console attaches here)
 * @param vncSocket     where QEMU serves VNC, if the VM has a display; a Unix socket rather than a
 *                      TCP port, so no ports are handed out and the API proxies it to noVNC
 * @param startPaused   start with the vCPUs stopped ({@code -S}), waiting for {@code cont}
 * @param serialLog     where QEMU also appends everything the serial console prints, whether or
 *                      not a client is attached (a socket console drops output nobody reads)
 * @param incoming      QEMU's {@code -incoming} value: the machine waits for its state from a live
 *                      migration instead of booting; {@code defer} waits for {@code migrate-incoming}
 *                      over QMP, which names the address only once the port is known
 * @param nics          network interfaces
 * @param cdrom         the medium in the CD-ROM drive (a read-only NBD export), if any; the drive
 *                      itself is always there, so media can be changed while the VM runs
 */
public record VmLaunchSpec(String name, UUID uuid, int vcpus, int memoryMiB, Accelerator accelerator, List<VmDisk> disks,
                           Path qmpSocket, Path serialSocket, Optional<Path> vncSocket, boolean startPaused,
                           Optional<Path> serialLog, Optional<String> incoming, List<VmNicSpec> nics,
                           Optional<VmDisk> cdrom) {
    public static final int MAX_VCPUS = 255;
    public static final int MIN_MEMORY_MIB = 16;
    public static final int MAX_MEMORY_MIB = 4 << 20;
    // sun_path holds 108 bytes including the terminating NUL.
    public static final int MAX_SOCKET_PATH_BYTES = 107;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern INCOMING = Pattern.compile("defer|tcp:[A-Za-z0-9.:\\[\\]-]{1,200}:[0-9]{1,5}");

    /** A VM without NICs. */
    public VmLaunchSpec(String name, UUID uuid, int vcpus, int memoryMiB, Accelerator accelerator, List<VmDisk> disks,
                        Path qmpSocket, Path serialSocket, Optional<Path> vncSocket, boolean startPaused,
                        Optional<Path> serialLog, Optional<String> incoming) {
        this(name, uuid, vcpus, memoryMiB, accelerator, disks, qmpSocket, serialSocket, vncSocket, startPaused,
                serialLog, incoming, List.of(), Optional.empty());
    }

    /** A VM that boots (no incoming migration). */
    public VmLaunchSpec(String name, UUID uuid, int vcpus, int memoryMiB, Accelerator accelerator, List<VmDisk> disks,
                        Path qmpSocket, Path serialSocket, Optional<Path> vncSocket, boolean startPaused,
                        Optional<Path> serialLog) {
        this(name, uuid, vcpus, memoryMiB, accelerator, disks, qmpSocket, serialSocket, vncSocket, startPaused,
                serialLog, Optional.empty());
    }

    /** A VM whose serial output is not logged. */
    public VmLaunchSpec(String name, UUID uuid, int vcpus, int memoryMiB, Accelerator accelerator, List<VmDisk> disks,
                        Path qmpSocket, Path serialSocket, Optional<Path> vncSocket, boolean startPaused) {
        this(name, uuid, vcpus, memoryMiB, accelerator, disks, qmpSocket, serialSocket, vncSocket, startPaused,
                Optional.empty());
    }

    public VmLaunchSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(serialLog, "serialLog");
        Objects.requireNonNull(incoming, "incoming");
        incoming.ifPresent(i -> {
            if (!INCOMING.matcher(i).matches()) {
                throw new IllegalArgumentException("VM " + name + ": incoming must be 'defer' or tcp:HOST:PORT, not '"
                        + i + "'");
            }
        });
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(accelerator, "accelerator");
        disks = List.copyOf(Objects.requireNonNull(disks, "disks"));
        nics = List.copyOf(Objects.requireNonNull(nics, "nics"));
        Objects.requireNonNull(cdrom, "cdrom");
        cdrom.ifPresent(c -> {
            if (!c.readOnly()) {
                throw new IllegalArgumentException("VM " + name + ": a CD-ROM medium is read-only");
            }
        });
        Set<Integer> nicSlots = new HashSet<>();
        for (VmNicSpec n : nics) {
            if (!nicSlots.add(n.slot())) {
                throw new IllegalArgumentException("VM " + name + ": two NICs are in slot " + n.slot());
            }
        }
        Objects.requireNonNull(vncSocket, "vncSocket");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("VM name '" + name
                    + "' must start with a letter or digit and have at most 64 letters, digits, '.', '-' or '_'");
        }
        if (vcpus < 1 || vcpus > MAX_VCPUS) {
            throw new IllegalArgumentException("VM " + name + ": vCPUs must be between 1 and " + MAX_VCPUS + ", not " + vcpus);
        }
        if (memoryMiB < MIN_MEMORY_MIB || memoryMiB > MAX_MEMORY_MIB) {
            throw new IllegalArgumentException("VM " + name + ": memory must be between " + MIN_MEMORY_MIB + " and "
                    + MAX_MEMORY_MIB + " MiB, not " + memoryMiB);
        }
        checkSocket(name, "QMP socket", qmpSocket);
        checkSocket(name, "serial console socket", serialSocket);
        vncSocket.ifPresent(p -> checkSocket(name, "VNC socket", p));
        serialLog.ifPresent(p -> checkOptionPath(name, "serial log", p));
        Set<Path> sockets = new HashSet<>();
        sockets.add(qmpSocket);
        if (!sockets.add(serialSocket) || vncSocket.isPresent() && !sockets.add(vncSocket.get())) {
            throw new IllegalArgumentException("VM " + name + ": the QMP, serial and VNC sockets must be different paths");
        }
        Set<String> names = new HashSet<>();
        Set<Integer> bootIndexes = new HashSet<>();
        for (VmDisk d : disks) {
            Objects.requireNonNull(d, "disk");
            if (!names.add(d.name())) {
                throw new IllegalArgumentException("VM " + name + ": two disks are named " + d.name());
            }
            if (d.bootIndex().isPresent() && !bootIndexes.add(d.bootIndex().getAsInt())) {
                throw new IllegalArgumentException("VM " + name + ": two disks have boot index " + d.bootIndex().getAsInt());
            }
        }
    }

    private static void checkSocket(String vm, String what, Path p) {
        checkOptionPath(vm, what, p);
        String s = p.toString();
        if (s.getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH_BYTES) {
            throw new IllegalArgumentException("VM " + vm + ": the " + what + " path is longer than the "
                    + MAX_SOCKET_PATH_BYTES + " bytes a Unix socket allows: " + s);
        }
    }

    private static void checkOptionPath(String vm, String what, Path p) {
        Objects.requireNonNull(p, what);
        String s = p.toString();
        if (!p.isAbsolute()) {
            throw new IllegalArgumentException("VM " + vm + ": the " + what + " must be an absolute path: " + s);
        }
        // QEMU's option syntax splits on commas; Keel chooses these paths, so refusing is simpler than escaping.
        if (s.indexOf(',') >= 0 || s.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("VM " + vm + ": the " + what + " path must not contain commas or control characters: " + s);
        }
    }

    /** The same machine, waiting for its state from a live migration ({@code -incoming defer}, {@code -S}). */
    public VmLaunchSpec incomingDeferred() {
        return new VmLaunchSpec(name, uuid, vcpus, memoryMiB, accelerator, disks, qmpSocket, serialSocket, vncSocket,
                true, serialLog, Optional.of("defer"), nics, cdrom);
    }

    /** The same machine with {@code n} as its NICs. */
    public VmLaunchSpec withNics(List<VmNicSpec> n) {
        return new VmLaunchSpec(name, uuid, vcpus, memoryMiB, accelerator, disks, qmpSocket, serialSocket, vncSocket,
                startPaused, serialLog, incoming, n, cdrom);
    }

    /** The same machine with {@code medium} in its CD-ROM drive. */
    public VmLaunchSpec withCdrom(Optional<VmDisk> medium) {
        return new VmLaunchSpec(name, uuid, vcpus, memoryMiB, accelerator, disks, qmpSocket, serialSocket, vncSocket,
                startPaused, serialLog, incoming, nics, medium);
    }

    /** A paused-at-start VM with no disks and no display: the smallest thing QEMU will run. */
    public static VmLaunchSpec minimal(String name, Accelerator accelerator, int memoryMiB, Path dir) {
        Objects.requireNonNull(dir, "dir");
        return new VmLaunchSpec(name, UUID.randomUUID(), 1, memoryMiB, accelerator, List.of(),
                dir.resolve(name + ".qmp"), dir.resolve(name + ".serial"), Optional.empty(), true);
    }
}
