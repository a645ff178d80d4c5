package io.keel.compute.qemu;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * One VM disk: a Keel volume that QEMU reaches as an NBD client, shown to the guest as a virtio
 * disk. QEMU opens the export for writing (unless {@code readOnly}), which takes the volume's write
 * lease, so a second QEMU cannot open the same volume for writing (ADR 0014).
 *
 * @param name      the guest device's QEMU id, and the stem of its block node names
 * @param nbd       {@code nbd://HOST[:PORT]/EXPORT}; the port defaults to 10809
 * @param bootIndex firmware boot order, lowest first; empty for a disk not to boot from
 * @param readOnly  QEMU opens the export read-only and the guest sees a read-only disk
 * @param hotplugPort the hot-plug root port the disk sits on ({@link QemuCommandLine#DISK_PORTS}), or
 *                  empty for the root complex, where it can be neither added nor removed while the
 *                  machine runs
 */
public record VmDisk(String name, URI nbd, OptionalInt bootIndex, boolean readOnly, OptionalInt hotplugPort) {
    public static final int DEFAULT_NBD_PORT = 10809;
    // QEMU ids start with a letter; node names add "-raw"/"-nbd" and must stay within 31 characters.
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,23}");

    public VmDisk {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(nbd, "nbd");
        Objects.requireNonNull(bootIndex, "bootIndex");
        Objects.requireNonNull(hotplugPort, "hotplugPort");
        if (hotplugPort.isPresent() && (hotplugPort.getAsInt() < 0 || hotplugPort.getAsInt() >= QemuCommandLine.DISK_PORTS)) {
            throw new IllegalArgumentException("disk " + name + ": port must be between 0 and "
                    + (QemuCommandLine.DISK_PORTS - 1) + ", not " + hotplugPort.getAsInt());
        }
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("disk name '" + name
                    + "' must start with a letter and have at most 24 letters, digits, '-' or '_'");
        }
        checkNbd(name, nbd);
        if (bootIndex.isPresent() && bootIndex.getAsInt() < 0) {
            throw new IllegalArgumentException("disk " + name + ": boot index must not be negative: " + bootIndex.getAsInt());
        }
    }

    /** A disk on the root complex. */
    public VmDisk(String name, URI nbd, OptionalInt bootIndex, boolean readOnly) {
        this(name, nbd, bootIndex, readOnly, OptionalInt.empty());
    }

    /** The same disk on hot-plug root port {@code p}. */
    public VmDisk onPort(int p) {
        return new VmDisk(name, nbd, bootIndex, readOnly, OptionalInt.of(p));
    }

    /** A writable disk at {@code nbd} (text form), booted from at {@code bootIndex}. */
    public static VmDisk boot(String name, String nbd, int bootIndex) {
        return new VmDisk(name, uri(nbd), OptionalInt.of(bootIndex), false);
    }

    /** A read-only medium at {@code nbd} (text form): a CD. */
    public static VmDisk readOnly(String name, String nbd, OptionalInt bootIndex) {
        return new VmDisk(name, uri(nbd), bootIndex, true);
    }

    /** A writable disk at {@code nbd} (text form) that is not booted from. */
    public static VmDisk data(String name, String nbd) {
        return new VmDisk(name, uri(nbd), OptionalInt.empty(), false);
    }

    /** The server's host name or address, IPv6 without brackets. */
    public String host() {
        String h = nbd.getHost();
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    public int port() {
        return nbd.getPort() < 0 ? DEFAULT_NBD_PORT : nbd.getPort();
    }

    /** The export name: the URI's path without its leading slash, percent-decoded. */
    public String export() {
        return nbd.getPath().substring(1);
    }

    private static URI uri(String text) {
        Objects.requireNonNull(text, "nbd");
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not an NBD URI: '" + text + "': " + e.getMessage(), e);
        }
    }

    private static void checkNbd(String name, URI nbd) {
        String where = "disk " + name + ": '" + nbd + "' ";
        if (!"nbd".equals(nbd.getScheme())) {
            throw new IllegalArgumentException(where + "is not an nbd:// URI (only NBD over TCP is supported)");
        }
        if (nbd.getHost() == null || nbd.getHost().isEmpty()) {
            throw new IllegalArgumentException(where + "has no server host");
        }
        if (nbd.getPort() == 0 || nbd.getPort() > 65535) {
            throw new IllegalArgumentException(where + "has an invalid port " + nbd.getPort());
        }
        if (nbd.getRawUserInfo() != null || nbd.getRawQuery() != null || nbd.getRawFragment() != null) {
            throw new IllegalArgumentException(where + "must not have user info, a query or a fragment");
        }
        String path = nbd.getPath();
        if (path == null || path.length() < 2 || path.charAt(0) != '/') {
            throw new IllegalArgumentException(where + "names no export (nbd://HOST[:PORT]/EXPORT)");
        }
        if (path.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(where + "has control characters in its export name");
        }
    }
}
