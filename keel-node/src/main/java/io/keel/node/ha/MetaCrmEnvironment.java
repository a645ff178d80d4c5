package io.keel.node.ha;

import io.keel.ha.Capacity;
import io.keel.ha.ClusterSnapshot;
import io.keel.ha.CrmEnvironment;
import io.keel.ha.HaEvent;
import io.keel.ha.LrmReport;
import io.keel.ha.ManagerStatus;
import io.keel.ha.NodeInfo;
import io.keel.ha.HaConfig;
import io.keel.meta.cluster.ClusterCommand;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.ComputeCapacity;
import io.keel.meta.cluster.HaReports;
import io.keel.meta.cluster.HaStatusRecord;
import io.keel.meta.cluster.NodeRecord;
import io.keel.meta.cluster.Volume;
import io.keel.meta.cluster.VolumeLease;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The cluster resource manager's world on the metadata leader (ADR 0029): the nodes of its pool
 * (compute nodes and target group nodes, {@link HaResources#pool}) with
 * the last heartbeat this node heard from each, whether that heartbeat said its local resource
 * manager acts, and when their write leases are certainly expired,
 * the VMs as resources, the nodes' reports, and the persisted status, saved by compare-and-set.
 * One instance serves one step ({@link #begin}); nothing is kept between steps but the version
 * read, which the save must still find.
 */
final class MetaCrmEnvironment implements CrmEnvironment {
    private final String selfId;
    private final Supplier<ClusterState> state;
    private final Consumer<ClusterCommand> submit;
    private final Function<String, Optional<Instant>> lastHeard;
    private final Predicate<String> acting;
    private final Instant monitorStart;
    private final Duration leaseTtl;
    private final ClusterEvents events;
    private final Clock clock;
    private ClusterState current;
    private long version;

    MetaCrmEnvironment(String selfId, Supplier<ClusterState> state, Consumer<ClusterCommand> submit,
            Function<String, Optional<Instant>> lastHeard, Predicate<String> acting, Instant monitorStart,
            Duration leaseTtl, ClusterEvents events, Clock clock) {
        this.selfId = Objects.requireNonNull(selfId, "selfId");
        this.state = Objects.requireNonNull(state, "state");
        this.submit = Objects.requireNonNull(submit, "submit");
        this.lastHeard = Objects.requireNonNull(lastHeard, "lastHeard");
        this.acting = Objects.requireNonNull(acting, "acting");
        this.monitorStart = Objects.requireNonNull(monitorStart, "monitorStart");
        this.leaseTtl = Objects.requireNonNull(leaseTtl, "leaseTtl");
        this.events = Objects.requireNonNull(events, "events");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Reads the state once for the coming step, so snapshot and status agree. */
    void begin() {
        current = state.get();
    }

    @Override
    public Instant now() {
        return clock.instant();
    }

    @Override
    public String node() {
        return selfId;
    }

    @Override
    public ClusterSnapshot snapshot() {
        ClusterState s = current;
        Instant now = now();
        Map<String, Instant> leases = leaseExpiries(s);
        List<NodeInfo> nodes = new ArrayList<>();
        for (String id : HaResources.pool(s)) {
            Optional<NodeRecord> rec = s.node(id);
            if (rec.isEmpty()) {
                continue;
            }
            // A node this leader never heard since it started counts from the start: a new
            // leader gives every node one detection time before calling it lost.
            Instant heard = id.equals(selfId) ? now : lastHeard.apply(id).orElse(monitorStart);
            // Heard but not acting (catching up after a partition): not lost, but nothing new goes there.
            nodes.add(new NodeInfo(id, heard, leasesExpireAt(heard, leases.get(id)), capacity(s, rec.get()),
                    s.nodeMode(id), acting.test(id)));
        }
        List<LrmReport> reports = new ArrayList<>();
        for (HaReports r : s.haReports()) {
            reports.addAll(r.reports().values());
        }
        return new ClusterSnapshot(nodes, HaResources.specs(s).values(), reports);
    }

    /**
     * When everything the node may hold has certainly expired: its last contact plus the lease
     * time, and never before the latest foreground write lease the metadata shows it holding
     * (a longer lease, or one renewed through a path this leader does not hear as heartbeats).
     */
    private Instant leasesExpireAt(Instant heard, Instant latestLease) {
        Instant byContact = heard.plus(leaseTtl);
        return latestLease != null && latestLease.isAfter(byContact) ? latestLease : byContact;
    }

    private static Map<String, Instant> leaseExpiries(ClusterState s) {
        Map<String, Instant> out = new HashMap<>();
        for (Volume v : s.volumes()) {
            VolumeLease l = v.lease();
            if (l != null && !l.background()) {
                out.merge(l.holder(), l.expiresAt(), (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        return out;
    }

    /** The engine's configuration with the cluster's HA settings of the state read for this step. */
    HaConfig config(HaConfig base) {
        ClusterState s = current != null ? current : state.get();
        return HaSettingsConfig.apply(base, s.haSettings());
    }

    static Capacity capacity(ClusterState s, NodeRecord node) {
        ComputeCapacity c = ComputeCapacity.of(s, node, null);
        return new Capacity(c.ramMiB(), c.vcpus());
    }

    @Override
    public Optional<ManagerStatus> loadStatus() {
        Optional<HaStatusRecord> rec = current.haStatus();
        version = rec.map(HaStatusRecord::version).orElse(0L);
        return rec.map(HaStatusRecord::status);
    }

    @Override
    public void saveStatus(ManagerStatus status) {
        // Refused when another manager (or a migration's switch-over) wrote since the load: the
        // step then ends without its events, and the next one starts from what was written.
        submit.accept(new ClusterCommand.SaveHaStatus(version, status, now()));
    }

    @Override
    public void emit(HaEvent event) {
        events.emit(event);
    }
}
