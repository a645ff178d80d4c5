package io.keel.meta.cluster;

import io.keel.meta.cluster.ClusterCommand.AttachVmNic;
import io.keel.meta.cluster.ClusterCommand.CreateNetwork;
import io.keel.meta.cluster.ClusterCommand.DeleteNetwork;
import io.keel.meta.cluster.ClusterCommand.DetachVmNic;
import io.keel.meta.cluster.ClusterCommand.ReportVmNicDetached;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Virtual networks and VM NICs (ADR 0023). NICs follow the disks' model (ADR 0022): a slot for
 * life, plugged into a running guest by its host, detached only once the guest let go.
 */
final class NetworkCommands {
    /** NICs per VM: one PCIe root port each. */
    static final int MAX_NICS = 8;
    /** Linux interface names: at most 15 bytes, no '/', no whitespace; this keeps to the safe ones. */
    private static final Pattern BRIDGE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,14}");
    private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");

    private final ClusterCodec codec;

    NetworkCommands(ClusterCodec codec) {
        this.codec = codec;
    }

    Plan create(ClusterState state, CreateNetwork c) {
        Checks.initialised(state);
        String name = Checks.required(c.name(), "network name");
        if (!Names.validateFlavorName(name).isEmpty()) {
            throw Rejection.invalid("network name " + Names.quote(name) + " is not valid: use 1-63 Latin letters,"
                    + " digits and hyphens, starting with a letter or digit");
        }
        NetworkType type = Checks.required(c.networkType(), "network type");
        if (type == NetworkType.BRIDGE) {
            String bridge = Checks.required(c.bridge(), "bridge (the Linux bridge on the compute nodes, e.g. vmbr0)");
            if (!BRIDGE.matcher(bridge).matches()) {
                throw Rejection.invalid("bridge " + Names.quote(bridge) + " is not a Linux interface name: 1-15"
                        + " letters, digits, '.', '-' or '_'");
            }
        } else if (c.bridge() != null) {
            throw Rejection.invalid("a NAT network has no bridge: each NIC gets its own NAT inside QEMU");
        }
        state.network(name).ifPresent(n -> {
            throw Rejection.conflict("network " + Names.quote(name) + " already exists");
        });
        Network n = new Network(name, type, type == NetworkType.BRIDGE ? c.bridge() : null,
                Checks.required(c.at(), "time"));
        return new Plan(codec, name).put(ClusterState.networkKey(name), n);
    }

    Plan delete(ClusterState state, DeleteNetwork c) {
        Checks.initialised(state);
        Network n = Checks.found(state.network(Checks.required(c.name(), "network name")),
                "no network " + Names.quote(c.name()));
        List<String> users = state.vms().stream().filter(vm -> vm.nics().stream()
                .anyMatch(nic -> nic.network().equals(n.name()))).map(vm -> Names.quote(vm.name())).toList();
        if (!users.isEmpty()) {
            throw Rejection.conflict("network " + Names.quote(n.name()) + " has NICs of VMs " + Checks.list(users)
                    + ": detach them first");
        }
        return new Plan(codec, n.name()).delete(ClusterState.networkKey(n.name()));
    }

    Plan attach(ClusterState state, AttachVmNic c) {
        Vm vm = VmRules.vm(state, c.vmId());
        if (vm.migrating()) {
            throw Rejection.conflict("VM " + Names.quote(vm.name()) + " is migrating: attach the NIC once it is done");
        }
        VmDiskCommands.refuseWhileStateSaved(state, vm, "attach NICs");
        if (vm.nics().size() >= MAX_NICS) {
            throw Rejection.conflict("VM " + Names.quote(vm.name()) + " has " + vm.nics().size()
                    + " NICs, the most a VM can have: detach one first");
        }
        VmNic nic = new VmNic(vm.freeNicSlot(), Checks.required(c.network(), "network"), Checks.required(c.mac(), "MAC"),
                false);
        checkNics(state, List.of(nic));
        List<VmNic> nics = new ArrayList<>(vm.nics());
        nics.add(nic);
        return new Plan(codec, vm.id()).put(ClusterState.vmKey(vm.id()), vm.withNics(nics));
    }

    Plan detach(ClusterState state, DetachVmNic c) {
        Vm vm = VmRules.vm(state, c.vmId());
        VmNic nic = nic(vm, c.mac());
        if (vm.migrating()) {
            throw Rejection.conflict("VM " + Names.quote(vm.name()) + " is migrating: detach the NIC once it is done");
        }
        if (nic.detaching()) {
            return new Plan(codec, vm.id());
        }
        VmDiskCommands.refuseWhileStateSaved(state, vm, "detach NICs");
        boolean mayRun = vm.power() != VmPower.STOPPED || VmRules.mayRun(vm.status());
        List<VmNic> nics = new ArrayList<>();
        for (VmNic n : vm.nics()) {
            if (n != nic) {
                nics.add(n);
            } else if (mayRun) {
                nics.add(n.markDetaching());
            }
        }
        return new Plan(codec, vm.id()).put(ClusterState.vmKey(vm.id()), vm.withNics(nics));
    }

    Plan detached(ClusterState state, ReportVmNicDetached c) {
        Vm vm = VmRules.vm(state, c.vmId());
        if (!vm.nodeId().equals(c.nodeId())) {
            throw Rejection.conflict("VM " + Names.quote(vm.name()) + " runs on node " + Names.quote(vm.nodeId())
                    + ", not on " + Names.quote(c.nodeId()) + ": only its host reports its NICs");
        }
        VmNic nic = nic(vm, c.mac());
        if (!nic.detaching()) {
            throw Rejection.conflict("NIC " + nic.mac() + " is not being detached from VM " + Names.quote(vm.name()));
        }
        return new Plan(codec, vm.id()).put(ClusterState.vmKey(vm.id()),
                vm.withNics(vm.nics().stream().filter(n -> n != nic).toList()));
    }

    /**
     * NICs of a new VM or a new NIC: existing networks, well-formed unicast addresses, each unused in
     * the cluster (two guests with one MAC on a bridge break each other's traffic).
     */
    static void checkNics(ClusterState state, List<VmNic> nics) {
        if (nics.size() > MAX_NICS) {
            throw Rejection.invalid("a VM has at most " + MAX_NICS + " NICs, not " + nics.size());
        }
        Set<String> taken = new HashSet<>();
        state.vms().forEach(vm -> vm.nics().forEach(n -> taken.add(n.mac())));
        Set<String> seen = new HashSet<>();
        for (VmNic n : nics) {
            Checks.found(state.network(n.network()), "no network " + Names.quote(n.network())
                    + ": list them with 'keel network list'");
            if (!MAC.matcher(n.mac()).matches()) {
                throw Rejection.invalid("MAC address " + Names.quote(n.mac()) + " is not valid: six lower-case hex"
                        + " pairs separated by colons, e.g. 52:54:00:12:34:56");
            }
            if ((Integer.parseInt(n.mac().substring(0, 2), 16) & 1) != 0) {
                throw Rejection.invalid("MAC address " + n.mac() + " is a multicast address: a NIC needs a unicast one");
            }
            if (taken.contains(n.mac()) || !seen.add(n.mac())) {
                throw Rejection.conflict("MAC address " + n.mac() + " is already used by another NIC");
            }
        }
    }

    /** Detaching NICs leave with the QEMU that held them. */
    static Vm withoutDetaching(Vm vm) {
        return vm.nics().stream().noneMatch(VmNic::detaching) ? vm
                : vm.withNics(vm.nics().stream().filter(n -> !n.detaching()).toList());
    }

    private static VmNic nic(Vm vm, String mac) {
        Checks.required(mac, "MAC");
        return vm.nics().stream().filter(n -> n.mac().equalsIgnoreCase(mac)).findFirst().orElseThrow(
                () -> Rejection.notFound("VM " + Names.quote(vm.name()) + " has no NIC " + mac));
    }
}
