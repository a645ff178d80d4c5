package io.keel.meta.cluster;

import io.keel.meta.cluster.ClusterCommand.CloneVolume;
import io.keel.meta.cluster.ClusterCommand.CreateSnapshot;
import io.keel.meta.cluster.ClusterCommand.DeleteSnapshot;
import io.keel.meta.cluster.ClusterCommand.RevertVolume;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Snapshots, reverts and clones: all of them copy chunk map entries and never data. An entry
 * names the storage id its data lives under, and a volume only ever writes chunks under its own
 * current storage id, so an entry copied into another map points at data that no one will change
 * again; the volume that owns the map copies it (CopyChunk) before its first write.
 */
final class SnapshotCommands {
    private final ClusterCodec codec;

    SnapshotCommands(ClusterCodec codec) {
        this.codec = codec;
    }

    Plan create(ClusterState state, CreateSnapshot c) {
        Checks.initialised(state);
        Volume v = VolumeCommands.ordinary(state, c.volumeId());
        if (VolumeCommands.policy(state, v.policy()).erasureCoded()) {
            throw Rejection.invalid("volume " + Names.quote(v.name()) + " is erasure-coded: snapshots of"
                    + " erasure-coded volumes are not supported yet");
        }
        Checks.valid(Names.validateVolumeId(c.snapshotId()));
        Checks.valid(Names.validateSnapshotName(c.name()));
        Instant at = Checks.required(c.at(), "time");
        if (VolumeCommands.isReplay(state, c.snapshotId(), c.name(), at)) {
            return new Plan(codec, c.snapshotId());
        }
        if (state.volume(c.snapshotId()).isPresent()) {
            throw Rejection.conflict("id " + Names.quote(c.snapshotId()) + " is taken");
        }
        if (state.snapshots(v.id()).stream().anyMatch(s -> s.name().equals(c.name()))) {
            throw Rejection.conflict("volume " + Names.quote(v.name()) + " already has a snapshot named "
                    + Names.quote(c.name()));
        }
        VolumeLease lease = v.lease();
        if (c.epoch() != 0) {
            // The writer that quiesced its I/O must still be the writer, or its quiescing meant nothing.
            LeaseCommands.current(v, c.epoch());
        } else if (lease != null && !lease.background() && lease.liveAt(at)) {
            throw Rejection.conflict("volume " + Names.quote(v.name()) + " is open for writing by "
                    + Names.quote(lease.holder()) + " (epoch " + lease.epoch() + ", lease expires "
                    + lease.expiresAt() + "): the snapshot must be taken through that writer, which pauses its"
                    + " writes around it");
        }
        // The epoch carries on from the volume's: a healer of the snapshot then fences shared chunks
        // above every writer that wrote them before the snapshot.
        Volume snapshot = new Volume(c.snapshotId(), c.name(), v.sizeBytes(), v.chunkSize(), v.policy(), at, 0,
                v.epoch(), null, null, v.id(), null);
        Plan plan = new Plan(codec, snapshot.id()).put(ClusterState.volumeKey(snapshot.id()), snapshot);
        for (ChunkRecord r : state.chunks(v.id())) {
            plan.put(ClusterState.chunkKey(snapshot.id(), r.index()), r);
        }
        // The new generation makes every entry above shared, so the volume copies before writing.
        Volume parent = v.withGeneration(v.generation() + 1);
        if (c.epoch() == 0 && lease != null && !lease.background()) {
            // An expired writer that was never replaced could still renew and write in place with its
            // old layout; dropping its lease makes that renewal fail, so it stops as fenced.
            parent = parent.withLease(null, v.epoch());
        }
        return plan.put(ClusterState.volumeKey(v.id()), parent);
    }

    Plan delete(ClusterState state, DeleteSnapshot c) {
        Checks.initialised(state);
        Volume s = snapshot(state, c.snapshotId());
        ImageCommands.usingVolume(state, s.id()).ifPresent(i -> {
            throw Rejection.conflict("snapshot " + Names.quote(s.name()) + " is the golden snapshot of image "
                    + Names.quote(i.name()) + ": delete the image instead ('keel image delete " + i.name() + "')");
        });
        state.vmSnapshotOwning(s.id()).ifPresent(vs -> {
            // Alone, the rest of the VM snapshot would no longer restore a consistent machine.
            String vm = state.vm(vs.vmId()).map(Vm::name).orElse(vs.vmId());
            throw Rejection.conflict("snapshot " + Names.quote(s.name()) + " is part of snapshot "
                    + Names.quote(vs.name()) + " of VM " + Names.quote(vm) + ": delete that VM snapshot instead");
        });
        return deletePlan(state, s);
    }

    /** Removes snapshot {@code s} and its map, without asking whether a VM snapshot owns it. */
    Plan deletePlan(ClusterState state, Volume s) {
        // Clones keep working: their maps hold their own references to the shared copies.
        Plan plan = new Plan(codec, s.id()).delete(ClusterState.volumeKey(s.id()));
        for (ChunkRecord r : state.chunks(s.id())) {
            plan.delete(ClusterState.chunkKey(s.id(), r.index()));
        }
        return plan;
    }

    Plan revert(ClusterState state, RevertVolume c) {
        Checks.initialised(state);
        Volume v = VolumeCommands.ordinary(state, c.volumeId());
        Volume s = snapshot(state, c.snapshotId());
        Instant at = Checks.required(c.at(), "time");
        if (!v.id().equals(s.snapshotOf())) {
            throw Rejection.invalid("snapshot " + Names.quote(s.name()) + " belongs to volume "
                    + Names.quote(s.snapshotOf()) + ", not to volume " + Names.quote(v.name()));
        }
        VolumeLease lease = v.lease();
        if (lease != null && !lease.background() && lease.liveAt(at)) {
            throw Rejection.conflict("volume " + Names.quote(v.name()) + " is open for writing by "
                    + Names.quote(lease.holder()) + " (lease expires " + lease.expiresAt() + "): close it before"
                    + " reverting it");
        }
        Plan plan = new Plan(codec, v.id());
        List<ChunkRecord> target = state.chunks(s.id());
        Set<Long> kept = new HashSet<>();
        for (ChunkRecord r : target) {
            kept.add(r.index());
        }
        for (ChunkRecord r : state.chunks(v.id())) {
            if (!kept.contains(r.index())) {
                plan.delete(ClusterState.chunkKey(v.id(), r.index()));
            }
        }
        for (ChunkRecord r : target) {
            plan.put(ClusterState.chunkKey(v.id(), r.index()), r);
        }
        // The lease goes too (the epoch stays): a healer planned its changes against the old map, whose
        // versions the new entries could repeat, so it must fail and plan again under a new lease.
        Volume reverted = v.withSize(s.sizeBytes()).withGeneration(v.generation() + 1).withLease(null, v.epoch());
        return plan.put(ClusterState.volumeKey(v.id()), reverted);
    }

    Plan cloneVolume(ClusterState state, CloneVolume c) {
        return cloneVolume(state, c, 0);
    }

    /** A clone grown to {@code sizeBytes} (0: the snapshot's size), as a VM's boot disk made from an image is. */
    Plan cloneVolume(ClusterState state, CloneVolume c, long sizeBytes) {
        Checks.initialised(state);
        Volume s = snapshot(state, c.snapshotId());
        Checks.valid(Names.validateVolumeId(c.cloneId()));
        Checks.valid(Names.validateVolumeName(c.name()));
        Instant at = Checks.required(c.at(), "time");
        StoragePolicy policy = VolumeCommands.dataPolicy(state, c.policy() == null ? s.policy() : c.policy());
        if (VolumeCommands.isReplay(state, c.cloneId(), c.name(), at)) {
            return new Plan(codec, c.cloneId());
        }
        if (state.volume(c.cloneId()).isPresent()) {
            throw Rejection.conflict("volume id " + Names.quote(c.cloneId()) + " is taken");
        }
        if (state.volumes().stream().anyMatch(v -> v.name().equals(c.name()))) {
            throw Rejection.conflict("a volume named " + Names.quote(c.name()) + " already exists");
        }
        long size = sizeBytes == 0 ? s.sizeBytes() : sizeBytes;
        if (size < s.sizeBytes()) {
            throw Rejection.invalid("a clone of " + Names.quote(s.name()) + " (" + s.sizeBytes() + " bytes) cannot be"
                    + " smaller than it: " + size + " bytes");
        }
        VolumeCommands.checkSize(size);
        // Generation 0 gives the clone storage id <clone>-0, which no copied entry can carry.
        Volume clone = new Volume(c.cloneId(), c.name(), size, s.chunkSize(), policy.name(), at, 0,
                s.epoch(), null, s.id(), null, null);
        Plan plan = new Plan(codec, clone.id()).put(ClusterState.volumeKey(clone.id()), clone);
        for (ChunkRecord r : state.chunks(s.id())) {
            plan.put(ClusterState.chunkKey(clone.id(), r.index()), r);
        }
        return plan;
    }

    static Volume snapshot(ClusterState state, String id) {
        Checks.required(id, "snapshot id");
        Volume s = state.volume(id).orElseThrow(() -> Rejection.notFound("snapshot " + Names.quote(id)
                + " does not exist"));
        if (!s.isSnapshot()) {
            throw Rejection.invalid(Names.quote(id) + " is a volume (named " + Names.quote(s.name())
                    + "), not a snapshot");
        }
        return s;
    }
}
