package io.keel.node.monitoring;

import io.keel.meta.cluster.ChunkRecord;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.DiskRole;
import io.keel.meta.cluster.NodeRecord;
import io.keel.meta.cluster.Volume;
import io.keel.node.s3.S3Metrics;
import io.keel.node.storage.DiskServices;
import io.keel.node.storage.IoMeters;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Reads what the dashboard's history keeps from what this node already has: the volume I/O its
 * exports served (NBD and iSCSI both go through them), its chunk services and their disks, and the
 * cluster's volumes from the metadata as this node reads it, the bytes its healer copied to rebuild
 * replicas and what its S3 gateway answered.
 */
public final class NodeReadings implements Supplier<MonitoringSampler.Reading> {
    private final String selfId;
    private final Supplier<IoMeters.Totals> io;
    private final Supplier<List<DiskServices.Running>> disks;
    private final Supplier<ClusterState> state;
    private final LongSupplier rebuildBytes;
    private final Supplier<S3Metrics.Totals> s3;
    private final Clock clock;

    public NodeReadings(String selfId, Supplier<IoMeters.Totals> io, Supplier<List<DiskServices.Running>> disks,
            Supplier<ClusterState> state, LongSupplier rebuildBytes, Supplier<S3Metrics.Totals> s3, Clock clock) {
        this.selfId = Objects.requireNonNull(selfId, "selfId");
        this.io = Objects.requireNonNull(io, "io");
        this.disks = Objects.requireNonNull(disks, "disks");
        this.state = Objects.requireNonNull(state, "state");
        this.rebuildBytes = Objects.requireNonNull(rebuildBytes, "rebuildBytes");
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public MonitoringSampler.Reading get() {
        ClusterState s = state.get();
        List<DiskServices.Running> running = disks.get();
        long used = 0;
        long total = 0;
        for (DiskServices.Running r : running) {
            try {
                long u = r.store().usedBytes();
                used += u;
                total += u + r.store().freeBytes();
            } catch (RuntimeException e) {
                // A store closing under us (role removed meanwhile): its disk counts next time or not at all.
            }
        }
        int wanted = s.node(selfId).map(NodeReadings::storageDisks).orElse(0);
        long[] logical = logical(s);
        return new MonitoringSampler.Reading(clock.instant(), io.get(), running.size(),
                Math.max(wanted, running.size()), used, total, logical[0], logical[1], rebuildBytes.getAsLong(),
                s3.get());
    }

    private static int storageDisks(NodeRecord me) {
        return (int) me.inventory().disks().stream()
                .filter(d -> me.roleOf(d.id()).type() == DiskRole.Type.STORAGE).count();
    }

    /** Allocated bytes (chunks written, before redundancy) and provisioned size of every volume. */
    static long[] logical(ClusterState s) {
        long allocated = 0;
        long provisioned = 0;
        for (Volume v : s.volumes()) {
            provisioned += v.sizeBytes();
            for (ChunkRecord r : s.chunks(v.id())) {
                allocated += Math.max(0, Math.min(v.chunkSize(), v.sizeBytes() - r.index() * v.chunkSize()));
            }
        }
        return new long[] {allocated, provisioned};
    }
}
