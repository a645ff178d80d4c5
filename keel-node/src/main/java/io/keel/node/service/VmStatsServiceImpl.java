package io.keel.node.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.keel.api.ApiException;
import io.keel.api.VmStatsService;
import io.keel.api.dto.VmDiskStatsView;
import io.keel.api.dto.VmNicStatsView;
import io.keel.api.dto.VmStatsView;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.NodeRecord;
import io.keel.meta.cluster.Vm;
import io.keel.meta.cluster.VmDiskRef;
import io.keel.meta.cluster.Volume;
import io.keel.node.compute.stats.DiskCounters;
import io.keel.node.compute.stats.VmStats;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * VM counters (ADR 0020). They live in the memory of the VM's host node, which collects them about
 * every second for its metrics; a VM on another node is asked of that node over its internal API,
 * as the console is, so nothing about them goes through the replicated log.
 */
public final class VmStatsServiceImpl implements VmStatsService {
    private final String selfId;
    private final MetaGateway meta;
    private final Predicate<String> nodeAlive;
    private final Function<String, Optional<VmStats>> local;
    private final PeerCall peers;
    private final ObjectMapper json = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    /** @param local this node's latest counters by VM id */
    public VmStatsServiceImpl(String selfId, MetaGateway meta, Predicate<String> nodeAlive,
            Function<String, Optional<VmStats>> local, PeerCall peers) {
        this.selfId = Objects.requireNonNull(selfId, "selfId");
        this.meta = Objects.requireNonNull(meta, "meta");
        this.nodeAlive = Objects.requireNonNull(nodeAlive, "nodeAlive");
        this.local = Objects.requireNonNull(local, "local");
        this.peers = Objects.requireNonNull(peers, "peers");
    }

    @Override
    public VmStatsView stats(String vm) {
        ClusterState s = meta.state();
        Vm v = vm(s, vm);
        if (v.nodeId().equals(selfId)) {
            return view(s, v, local.apply(v.id()));
        }
        NodeRecord host = s.node(v.nodeId()).orElseThrow(() -> new ApiException(503, "unavailable",
                "the host of VM " + v.name() + " (" + v.nodeId() + ") is not a cluster node"));
        if (!nodeAlive.test(host.id())) {
            throw new ApiException(503, "unavailable", "the host of VM " + v.name() + ", node " + host.name()
                    + ", is down: its counters are kept there");
        }
        String body;
        try {
            body = peers.get(host, "/api/v1/internal/vms/" + v.id() + "/stats");
        } catch (IOException e) {
            throw new ApiException(503, "unavailable", "cannot get the counters of VM " + v.name() + " from node "
                    + host.name() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "unavailable", "interrupted while asking node " + host.name());
        }
        try {
            return json.readValue(body, VmStatsView.class);
        } catch (JsonProcessingException e) {
            throw new ApiException(503, "unavailable", "node " + host.name() + " answered something that is not VM"
                    + " counters: " + e.getOriginalMessage());
        }
    }

    @Override
    public VmStatsView localStats(String vm) {
        ClusterState s = meta.state();
        Vm v = vm(s, vm);
        if (!v.nodeId().equals(selfId)) {
            throw ApiException.conflict("VM " + v.name() + " is hosted by node " + v.nodeId() + ", not by this one");
        }
        return view(s, v, local.apply(v.id()));
    }

    static VmStatsView view(ClusterState s, Vm v, Optional<VmStats> stats) {
        String nodeName = s.node(v.nodeId()).map(NodeRecord::name).orElse(v.nodeId());
        List<VmDiskStatsView> disks = new ArrayList<>();
        for (VmDiskRef ref : v.disks()) {
            String disk = "disk" + ref.slot();
            String volume = s.volume(ref.volumeId()).map(Volume::name).orElse(ref.volumeId());
            DiskCounters c = stats.flatMap(x -> x.disks().stream().filter(d -> d.disk().equals(disk)).findFirst())
                    .orElse(new DiskCounters(disk, 0, 0, 0, 0));
            disks.add(new VmDiskStatsView(disk, volume, c.readBytes(), c.writeBytes(), c.readOps(), c.writeOps()));
        }
        return new VmStatsView(v.name(), v.id(), v.nodeId(), nodeName, stats.isPresent(),
                stats.map(VmStats::collectedAt).orElse(null), stats.map(VmStats::cpuSeconds).orElse(0.0),
                stats.map(VmStats::rssBytes).orElse(0L), v.ramBytes(), disks,
                stats.map(x -> x.nics().stream().map(n -> new VmNicStatsView(n.nic(), n.rxBytes(), n.txBytes(),
                        n.rxPackets(), n.txPackets())).toList()).orElse(List.of()));
    }

    private static Vm vm(ClusterState s, String idOrName) {
        return s.vmByIdOrName(Objects.requireNonNull(idOrName, "vm"))
                .orElseThrow(() -> ApiException.notFound("no VM " + idOrName));
    }
}
