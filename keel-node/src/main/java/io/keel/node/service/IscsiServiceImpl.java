package io.keel.node.service;

import io.keel.api.ApiException;
import io.keel.api.IscsiService;
import io.keel.api.dto.AttachIscsiLunRequest;
import io.keel.api.dto.CreateIscsiGroupRequest;
import io.keel.api.dto.IscsiAccessRequest;
import io.keel.api.dto.IscsiAccessView;
import io.keel.api.dto.IscsiGroupNodeRequest;
import io.keel.api.dto.IscsiGroupView;
import io.keel.api.dto.IscsiLunView;
import io.keel.api.dto.IscsiPathView;
import io.keel.api.dto.IscsiTargetView;
import io.keel.ha.ResourceState;
import io.keel.ha.ResourceStatus;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.IscsiCommand;
import io.keel.meta.cluster.IscsiTargetGroup;
import io.keel.meta.cluster.NodeRecord;
import io.keel.meta.cluster.Volume;
import io.keel.node.ha.HaResources;
import io.keel.node.iscsi.IscsiPortals;
import io.keel.node.iscsi.TargetCounters;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * iSCSI target groups over the metadata (ADR 0033). The metadata checks every rule; this turns
 * names into ids, and builds views from the group, the nodes' reported iSCSI ports, the HA
 * status (which node's path is active for each LUN) and each target's counters.
 */
public final class IscsiServiceImpl implements IscsiService {
    static final String ACTIVE = "active/optimized";
    static final String STANDBY = "standby";
    static final String UNAVAILABLE = "unavailable";
    static final String TRANSITIONING = "transitioning";

    private final String selfId;
    private final MetaGateway meta;
    private final Predicate<String> nodeAlive;
    private final Function<NodeRecord, Map<String, TargetCounters>> counters;
    private final Clock clock;
    private final RandomGenerator random;

    /**
     * @param counters the counters of a node's targets by IQN: this node's from memory, another's
     *                 asked of it; empty when it cannot be asked
     */
    public IscsiServiceImpl(String selfId, MetaGateway meta, Predicate<String> nodeAlive,
            Function<NodeRecord, Map<String, TargetCounters>> counters, Clock clock, RandomGenerator random) {
        this.selfId = Objects.requireNonNull(selfId, "selfId");
        this.meta = Objects.requireNonNull(meta, "meta");
        this.nodeAlive = Objects.requireNonNull(nodeAlive, "nodeAlive");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public List<IscsiGroupView> list() {
        ClusterState s = meta.state();
        return s.iscsi().groups().stream().map(g -> view(s, g)).toList();
    }

    @Override
    public IscsiGroupView get(String group) {
        ClusterState s = meta.state();
        return view(s, group(s, group));
    }

    @Override
    public IscsiGroupView create(CreateIscsiGroupRequest request) {
        if (request == null || request.nodes() == null) {
            throw ApiException.invalid("give the group's name and its nodes");
        }
        ClusterState s = meta.state();
        List<IscsiCommand.NodeAddress> nodes = new ArrayList<>();
        for (IscsiGroupNodeRequest n : request.nodes()) {
            if (n == null || n.node() == null) {
                throw ApiException.invalid("every node of a group needs its id or name");
            }
            NodeRecord rec = s.nodeByIdOrName(n.node()).orElseThrow(() -> ApiException.notFound("no node " + n.node()));
            nodes.add(new IscsiCommand.NodeAddress(rec.id(), n.address()));
        }
        String id = "g" + Long.toHexString(random.nextLong() & Long.MAX_VALUE);
        meta.submit(new IscsiCommand.CreateGroup(id, request.name(), nodes, clock.instant()));
        ClusterState after = meta.state();
        return view(after, group(after, id));
    }

    @Override
    public void delete(String group) {
        meta.submit(new IscsiCommand.DeleteGroup(group(meta.state(), group).id()));
    }

    @Override
    public IscsiGroupView setAccess(String group, IscsiAccessRequest r) {
        if (r == null) {
            throw ApiException.invalid("give the access setting: initiators, and CHAP users and secrets if any");
        }
        IscsiTargetGroup g = group(meta.state(), group);
        meta.submit(new IscsiCommand.SetAccess(g.id(), r.initiators() == null ? List.of() : r.initiators(),
                blankToNull(r.chapUser()), r.chapSecret(), blankToNull(r.mutualChapUser()), r.mutualChapSecret()));
        ClusterState after = meta.state();
        return view(after, group(after, g.id()));
    }

    @Override
    public List<IscsiLunView> luns(String group) {
        ClusterState s = meta.state();
        IscsiTargetGroup g = group(s, group);
        return g.luns().stream().map(l -> lunView(s, g, l)).toList();
    }

    @Override
    public IscsiLunView attachLun(String group, AttachIscsiLunRequest request) {
        if (request == null || request.volume() == null) {
            throw ApiException.invalid("give the volume to present as a LUN");
        }
        ClusterState s = meta.state();
        IscsiTargetGroup g = group(s, group);
        Volume v = s.volumeByIdOrName(request.volume())
                .orElseThrow(() -> ApiException.notFound("no volume " + request.volume()));
        int lun = Integer.parseInt(meta.submit(new IscsiCommand.AttachLun(g.id(), v.id(), request.lun())));
        ClusterState after = meta.state();
        IscsiTargetGroup now = group(after, g.id());
        return lunView(after, now, now.lun(lun).orElseThrow(() -> ApiException.notFound("LUN " + lun
                + " was removed meanwhile")));
    }

    @Override
    public void detachLun(String group, int lun) {
        meta.submit(new IscsiCommand.DetachLun(group(meta.state(), group).id(), lun));
    }

    /** This node's targets with its own counters only: asking the others here would make them ask back. */
    @Override
    public List<IscsiTargetView> localTargets() {
        ClusterState s = meta.state();
        return s.iscsi().groupsOn(selfId).stream().flatMap(g -> g.target(selfId).stream()
                .map(t -> target(s, t, counters))).toList();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static IscsiTargetGroup group(ClusterState s, String group) {
        return s.iscsi().groupByIdOrName(Objects.requireNonNull(group, "group"))
                .orElseThrow(() -> ApiException.notFound("no target group " + group));
    }

    IscsiGroupView view(ClusterState s, IscsiTargetGroup g) {
        List<IscsiTargetView> targets = new ArrayList<>();
        for (IscsiTargetGroup.Target t : g.targets()) {
            targets.add(target(s, t, counters));
        }
        IscsiTargetGroup.Access a = g.access();
        return new IscsiGroupView(g.id(), g.name(), targets, g.luns().stream().map(l -> lunView(s, g, l)).toList(),
                new IscsiAccessView(a.initiators(), a.chapUser(), a.mutualChapUser() != null), g.createdAt());
    }

    private IscsiTargetView target(ClusterState s, IscsiTargetGroup.Target t,
            Function<NodeRecord, Map<String, TargetCounters>> source) {
        Optional<NodeRecord> node = s.node(t.nodeId());
        boolean online = node.isPresent() && nodeAlive.test(t.nodeId()) && node.get().inventory().iscsiPort() != 0;
        TargetCounters c = online ? source.apply(node.get()).getOrDefault(t.iqn(), TargetCounters.NONE)
                : TargetCounters.NONE;
        return new IscsiTargetView(t.nodeId(), nodeName(s, t.nodeId()), t.iqn(), portal(s, t), t.portGroup(),
                online ? "online" : "offline", c.sessions(), c.readOps(), c.writeOps(), c.readBytes(), c.writeBytes());
    }

    IscsiLunView lunView(ClusterState s, IscsiTargetGroup g, IscsiTargetGroup.Lun l) {
        Optional<Volume> v = s.volume(l.volumeId());
        ResourceStatus rs = s.haStatus().map(r -> r.status().resources().get(HaResources.iscsiId(l.volumeId())))
                .orElse(null);
        // Active once its node reported the volume open, not when the manager merely decided so.
        String active = rs != null && rs.state() == ResourceState.STARTED && rs.confirmed() ? rs.node() : null;
        List<IscsiPathView> paths = new ArrayList<>();
        for (IscsiTargetGroup.Target t : g.targets()) {
            paths.add(new IscsiPathView(t.nodeId(), nodeName(s, t.nodeId()), t.iqn(), portal(s, t), t.portGroup(),
                    alua(t.nodeId(), rs)));
        }
        return new IscsiLunView(l.lun(), l.volumeId(), v.map(Volume::name).orElse(l.volumeId()),
                v.map(Volume::sizeBytes).orElse(0L), active, active == null ? null : nodeName(s, active),
                rs == null ? "waiting for the HA manager" : rs.state().name().toLowerCase(Locale.ROOT)
                        + (rs.waiting() == null ? "" : ": " + rs.waiting()), paths);
    }

    /** What the target on {@code nodeId} reports for the LUN, as the HA status tells it. */
    private String alua(String nodeId, ResourceStatus rs) {
        if (!nodeAlive.test(nodeId)) {
            return UNAVAILABLE;
        }
        if (rs == null) {
            return STANDBY;
        }
        if (nodeId.equals(rs.node())) {
            return rs.state() == ResourceState.STARTED && rs.confirmed() ? ACTIVE : TRANSITIONING;
        }
        return nodeId.equals(rs.target()) ? TRANSITIONING : STANDBY;
    }

    private static String nodeName(ClusterState s, String nodeId) {
        return s.node(nodeId).map(NodeRecord::name).orElse(nodeId);
    }

    static String portal(ClusterState s, IscsiTargetGroup.Target t) {
        return IscsiPortals.portal(s, t);
    }
}
