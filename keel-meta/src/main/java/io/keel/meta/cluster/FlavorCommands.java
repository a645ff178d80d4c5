package io.keel.meta.cluster;

import io.keel.meta.cluster.ClusterCommand.CreateFlavor;
import io.keel.meta.cluster.ClusterCommand.DeleteFlavor;

/**
 * Flavors: vCPU and RAM presets for VMs. They need an initialised cluster but no compute cluster,
 * so an administrator can prepare them first and they survive the compute cluster's deletion.
 * A flavor larger than every node is accepted: nodes can be added later, and a VM asking for it is
 * what gets refused (issue 5 item 11).
 */
final class FlavorCommands {
    private final ClusterCodec codec;

    FlavorCommands(ClusterCodec codec) {
        this.codec = codec;
    }

    Plan create(ClusterState state, CreateFlavor c) {
        Checks.initialised(state);
        Flavor f = valid(Checks.required(c.flavor(), "flavor"));
        state.flavor(f.name()).ifPresent(existing -> {
            throw Rejection.conflict("flavor " + Names.quote(f.name()) + " already exists (" + describe(existing)
                    + "): delete it first or choose another name");
        });
        return new Plan(codec, f.name()).put(ClusterState.flavorKey(f.name()), f);
    }

    Plan delete(ClusterState state, DeleteFlavor c) {
        Checks.initialised(state);
        Flavor f = Checks.found(state.flavor(Checks.required(c.name(), "flavor name")),
                "no flavor " + Names.quote(c.name()));
        // VMs keep the vCPUs and RAM they were made with, so a flavor in use may go (as in OpenStack).
        return new Plan(codec, f.name()).delete(ClusterState.flavorKey(f.name()));
    }

    /** Refuses a flavor outside the bounds documented on {@link Flavor}; returns it otherwise. */
    static Flavor valid(Flavor f) {
        Checks.valid(Names.validateFlavorName(f.name()));
        if (f.vcpus() < Flavor.MIN_VCPUS || f.vcpus() > Flavor.MAX_VCPUS) {
            throw Rejection.invalid("flavor " + Names.quote(f.name()) + ": vCPUs must be " + Flavor.MIN_VCPUS + "-"
                    + Flavor.MAX_VCPUS + ", got " + f.vcpus());
        }
        if (f.ramMiB() < Flavor.MIN_RAM_MIB || f.ramMiB() > Flavor.MAX_RAM_MIB) {
            throw Rejection.invalid("flavor " + Names.quote(f.name()) + ": RAM must be " + Flavor.MIN_RAM_MIB
                    + " MiB to " + (Flavor.MAX_RAM_MIB >> 20) + " TiB, got " + f.ramMiB() + " MiB");
        }
        if (f.ramMiB() % Flavor.RAM_STEP_MIB != 0) {
            throw Rejection.invalid("flavor " + Names.quote(f.name()) + ": RAM must be a multiple of "
                    + Flavor.RAM_STEP_MIB + " MiB, got " + f.ramMiB() + " MiB");
        }
        return f;
    }

    static String describe(Flavor f) {
        return f.vcpus() + " vCPU" + (f.vcpus() == 1 ? "" : "s") + ", " + f.ramMiB() + " MiB RAM";
    }
}
