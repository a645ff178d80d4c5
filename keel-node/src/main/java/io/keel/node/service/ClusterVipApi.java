package io.keel.node.service;

import io.keel.api.ApiException;
import io.keel.api.dto.ClusterVipView;
import io.keel.api.dto.SetClusterVipRequest;
import io.keel.ha.ResourceStatus;
import io.keel.meta.cluster.ClusterCommand;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.ClusterVip;
import io.keel.meta.cluster.NodeRecord;
import io.keel.node.ha.HaResources;
import java.util.Objects;
import java.util.Optional;

/** The management virtual IP's API (ADR 0031): its setting in the metadata and where HA put it. */
final class ClusterVipApi {
    private final MetaGateway meta;

    ClusterVipApi(MetaGateway meta) {
        this.meta = Objects.requireNonNull(meta, "meta");
    }

    ClusterVipView get() {
        ClusterState state = meta.state();
        Optional<ClusterVip> vip = state.vip();
        if (vip.isEmpty()) {
            return new ClusterVipView(false, null, null, null, null);
        }
        ResourceStatus rs = state.haStatus().map(r -> r.status().resources().get(HaResources.VIP_ID)).orElse(null);
        String node = rs == null || rs.node() == null ? null
                : state.node(rs.node()).map(NodeRecord::name).orElse(rs.node());
        return new ClusterVipView(true, vip.get().cidr(), vip.get().iface(), node,
                rs == null ? null : rs.state().label());
    }

    ClusterVipView set(SetClusterVipRequest request) {
        if (request == null || request.address() == null || request.iface() == null) {
            throw ApiException.invalid("a virtual IP needs its address (ADDRESS/PREFIX) and its interface");
        }
        ClusterVip vip;
        try {
            vip = ClusterVip.parse(request.address().strip(), request.iface().strip());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(e.getMessage());
        }
        meta.submit(new ClusterCommand.SetClusterVip(vip));
        return get();
    }

    void clear() {
        meta.submit(new ClusterCommand.SetClusterVip(null));
    }
}
