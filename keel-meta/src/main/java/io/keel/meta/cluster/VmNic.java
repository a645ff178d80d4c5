package io.keel.meta.cluster;

import java.util.Objects;

/**
 * One network interface of a VM.
 *
 * @param slot      its fixed place in the machine (guest device and PCIe port), for life
 * @param network   the network's name
 * @param mac       lower-case {@code xx:xx:xx:xx:xx:xx}, unique in the cluster
 * @param detaching a detach was asked while the VM may run: the host unplugs it first
 */
public record VmNic(int slot, String network, String mac, boolean detaching) {
    public VmNic {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(mac, "mac");
    }

    public VmNic markDetaching() {
        return new VmNic(slot, network, mac, true);
    }
}
