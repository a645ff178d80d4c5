package io.keel.node.ha;

import io.keel.ha.ClusterSnapshot;
import io.keel.ha.HaConfig;
import io.keel.ha.MaintenancePlan;
import io.keel.ha.ManagerStatus;
import io.keel.ha.NodeInfo;
import io.keel.ha.NodeMode;
import io.keel.ha.crm.MaintenancePlanner;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.HaStatusRecord;
import io.keel.meta.cluster.NodeRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The plan the API shows before a node enters maintenance (ADR 0030): the engine's own planner
 * over the stored state and HA status, with the cluster's settings, so what the administrator sees
 * is what the manager then does unless something changes in between.
 */
public final class MaintenancePreview {
    private MaintenancePreview() {}

    public static MaintenancePlan of(ClusterState s, String nodeId, NodeMode mode, Instant now) {
        Objects.requireNonNull(s, "state");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(now, "now");
        List<NodeInfo> nodes = new ArrayList<>();
        for (String id : HaResources.pool(s)) {
            Optional<NodeRecord> rec = s.node(id);
            // Heartbeats and leases play no part in a plan: only capacity, mode and the status do.
            rec.ifPresent(r -> nodes.add(new NodeInfo(id, now, now, MetaCrmEnvironment.capacity(s, r),
                    s.nodeMode(id))));
        }
        ClusterSnapshot snapshot = new ClusterSnapshot(nodes, HaResources.specs(s).values(), List.of());
        ManagerStatus status = s.haStatus().map(HaStatusRecord::status).orElseGet(ManagerStatus::empty);
        HaConfig config = HaSettingsConfig.apply(HaConfig.defaults(), s.haSettings());
        return MaintenancePlanner.preview(nodeId, mode, snapshot, status, config);
    }
}
