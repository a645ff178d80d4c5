package io.keel.meta.cluster;

import io.keel.meta.cluster.ClusterCommand.SetClusterVip;

/** The management virtual IP's setting (ADR 0031); the HA engine places it like any resource. */
final class VipCommands {
    private final ClusterCodec codec;

    VipCommands(ClusterCodec codec) {
        this.codec = codec;
    }

    Plan set(ClusterState state, SetClusterVip c) {
        if (c.vip() == null) {
            return new Plan(codec, "none").delete(ClusterState.HA_VIP_KEY);
        }
        ClusterVip vip;
        try {
            // Decoded records skip no check, but a command may come from an older writer: check again.
            vip = new ClusterVip(c.vip().address(), c.vip().prefix(), c.vip().iface());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw Rejection.invalid(e.getMessage());
        }
        // Each set is also a start request: it releases a VIP the engine gave up on (every node
        // failed to bring it up, say on a wrong interface) once the administrator has fixed the cause.
        return new Plan(codec, vip.cidr()).put(ClusterState.HA_VIP_KEY, vip)
                .put(ClusterState.HA_VIP_START_KEY, state.vipStartRequests() + 1);
    }
}
