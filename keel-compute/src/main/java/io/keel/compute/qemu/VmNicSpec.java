package io.keel.compute.qemu;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One VM network interface: a virtio-net device with a fixed MAC on hot-plug port {@code slot}
 * ({@link QemuCommandLine#NIC_PORTS}), and the host side it talks to.
 */
public record VmNicSpec(int slot, String mac, Backend backend) {
    private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");
    private static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,14}");

    /** The host side of a NIC. */
    public sealed interface Backend permits Tap, User {}

    /** A tap device the node made (and put on a bridge); QEMU only opens it. */
    public record Tap(String ifname) implements Backend {
        public Tap {
            Objects.requireNonNull(ifname, "ifname");
            if (!IFNAME.matcher(ifname).matches()) {
                throw new IllegalArgumentException("tap '" + ifname + "' is not a Linux interface name");
            }
        }
    }

    /** QEMU's user-mode network: a private NAT with DHCP, inside the QEMU process. */
    public record User() implements Backend {}

    public VmNicSpec {
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(backend, "backend");
        if (slot < 0 || slot >= QemuCommandLine.NIC_PORTS) {
            throw new IllegalArgumentException("NIC slot must be between 0 and " + (QemuCommandLine.NIC_PORTS - 1)
                    + ", not " + slot);
        }
        if (!MAC.matcher(mac).matches()) {
            throw new IllegalArgumentException("NIC MAC '" + mac + "' is not xx:xx:xx:xx:xx:xx in lower-case hex");
        }
    }

    /** The guest device's QEMU id. */
    public String deviceId() {
        return "nic" + slot;
    }

    /** The host side's QEMU id. */
    public String netdevId() {
        return "net" + slot;
    }
}
