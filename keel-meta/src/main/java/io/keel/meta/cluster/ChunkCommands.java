package io.keel.meta.cluster;

import io.keel.meta.cluster.ClusterCommand.AddReplica;
import io.keel.meta.cluster.ClusterCommand.AllocateChunk;
import io.keel.meta.cluster.ClusterCommand.CopyChunk;
import io.keel.meta.cluster.ClusterCommand.DropReplica;
import io.keel.meta.cluster.ClusterCommand.MarkChunkDirty;
import java.util.ArrayList;
import java.util.List;

/**
 * Changes to a volume's chunk map. Only the current lease holder may make them (the epoch must
 * be the granted one), and changes to an existing chunk name the version they expect, so two
 * writers or a writer and a healer cannot undo each other's work.
 */
final class ChunkCommands {
    private final ClusterCodec codec;

    ChunkCommands(ClusterCodec codec) {
        this.codec = codec;
    }

    Plan allocate(ClusterState state, AllocateChunk c) {
        Checks.initialised(state);
        Volume v = VolumeCommands.ordinary(state, c.volumeId());
        LeaseCommands.current(v, c.epoch());
        checkIndex(v, c.index());
        state.chunk(v.id(), c.index()).ifPresent(existing -> {
            throw Rejection.conflict("chunk " + c.index() + " of volume " + Names.quote(v.name())
                    + " is already allocated (version " + existing.version() + ")");
        });
        List<ChunkReplica> replicas = checkPlacement(state, v, c.replicas());
        ChunkRecord r = new ChunkRecord(c.index(), v.storageId(), 1, replicas);
        return put(v, r);
    }

    Plan drop(ClusterState state, DropReplica c) {
        Checks.initialised(state);
        Volume v = VolumeCommands.volume(state, c.volumeId());
        LeaseCommands.current(v, c.epoch());
        ChunkRecord r = chunk(state, v, c.index(), c.expectedVersion());
        ChunkReplica gone = Checks.required(c.replica(), "replica");
        if (!r.replicas().contains(gone)) {
            throw Rejection.conflict("replica " + gone + " does not hold chunk " + c.index() + " of volume "
                    + Names.quote(v.name()));
        }
        if (r.replicas().size() == 1) {
            throw Rejection.conflict("replica " + gone + " is the last copy of chunk " + c.index() + " of volume "
                    + Names.quote(v.name()) + " and cannot be dropped");
        }
        List<ChunkReplica> rest = new ArrayList<>(r.replicas());
        rest.remove(gone);
        return put(v, r.withReplicas(rest));
    }

    Plan markDirty(ClusterState state, MarkChunkDirty c) {
        Checks.initialised(state);
        Volume v = VolumeCommands.ordinary(state, c.volumeId());
        LeaseCommands.current(v, c.epoch());
        ChunkRecord r = state.chunk(v.id(), c.index()).orElseThrow(() -> Rejection.notFound("chunk " + c.index()
                + " of volume " + Names.quote(v.name()) + " is not allocated"));
        if (!VolumeCommands.policy(state, v.policy()).erasureCoded()) {
            throw Rejection.invalid("volume " + Names.quote(v.name()) + " is replicated: only erasure-coded chunks"
                    + " are marked dirty");
        }
        return put(v, r.withDirty(c.dirty()));
    }

    Plan add(ClusterState state, AddReplica c) {
        Checks.initialised(state);
        Volume v = VolumeCommands.volume(state, c.volumeId());
        LeaseCommands.current(v, c.epoch());
        ChunkRecord r = chunk(state, v, c.index(), c.expectedVersion());
        ChunkReplica added = Checks.required(c.replica(), "replica");
        StoragePolicy policy = VolumeCommands.policy(state, v.policy());
        ChunkPlacement placement = new ChunkPlacement(state);
        Checks.valid(placement.unusable(added, policy));
        // One more than the policy while a replica is being moved: the new copy is added before the
        // old one is dropped, so redundancy never dips.
        if (r.replicas().size() >= policy.pieces() + (policy.erasureCoded() ? 0 : 1)) {
            throw Rejection.conflict("chunk " + c.index() + " of volume " + Names.quote(v.name()) + " already has "
                    + r.replicas().size() + " replicas");
        }
        String domain = placement.domainOf(added, policy.failureDomain()).orElseThrow();
        for (ChunkReplica existing : r.replicas()) {
            if (existing.equals(added) || placement.domainOf(existing, policy.failureDomain())
                    .filter(domain::equals).isPresent() && placement.unusable(existing, policy).isEmpty()) {
                throw Rejection.invalid("replica " + added + " shares " + policy.failureDomain().label() + " "
                        + Names.quote(domain) + " with replica " + existing + " of chunk " + c.index());
            }
        }
        Checks.valid(placement.fragmentProblem(added, policy));
        if (added.fragment() != null && r.replicas().stream().anyMatch(x -> added.fragment().equals(x.fragment()))) {
            throw Rejection.conflict("chunk " + c.index() + " of volume " + Names.quote(v.name()) + " already has "
                    + "fragment " + added.fragment());
        }
        List<ChunkReplica> more = new ArrayList<>(r.replicas());
        more.add(added);
        return put(v, r.withReplicas(more));
    }

    Plan copy(ClusterState state, CopyChunk c) {
        Checks.initialised(state);
        Volume v = VolumeCommands.ordinary(state, c.volumeId());
        LeaseCommands.current(v, c.epoch());
        ChunkRecord r = state.chunk(v.id(), c.index()).orElseThrow(() -> Rejection.notFound("chunk " + c.index()
                + " of volume " + Names.quote(v.name()) + " is not allocated"));
        if (!r.storageId().equals(c.expectedSource())) {
            throw Rejection.conflict("chunk " + c.index() + " of volume " + Names.quote(v.name()) + " is stored under "
                    + Names.quote(r.storageId()) + ", not " + Names.quote(c.expectedSource()));
        }
        if (r.storageId().equals(v.storageId())) {
            throw Rejection.conflict("chunk " + c.index() + " of volume " + Names.quote(v.name())
                    + " is already the volume's own copy");
        }
        List<ChunkReplica> replicas = checkPlacement(state, v, c.replicas());
        return put(v, new ChunkRecord(c.index(), v.storageId(), 1, replicas));
    }

    private Plan put(Volume v, ChunkRecord r) {
        return new Plan(codec, Long.toString(r.version())).put(ClusterState.chunkKey(v.id(), r.index()), r);
    }

    private static ChunkRecord chunk(ClusterState state, Volume v, long index, long expectedVersion) {
        ChunkRecord r = state.chunk(v.id(), index).orElseThrow(() -> Rejection.notFound("chunk " + index
                + " of volume " + Names.quote(v.name()) + " is not allocated"));
        if (r.version() != expectedVersion) {
            throw Rejection.conflict("chunk " + index + " of volume " + Names.quote(v.name()) + " is at version "
                    + r.version() + ", not " + expectedVersion);
        }
        return r;
    }

    private static void checkIndex(Volume v, long index) {
        if (index < 0 || index >= v.chunkCount()) {
            throw Rejection.invalid("chunk index " + index + " is outside volume " + Names.quote(v.name()) + " ("
                    + v.chunkCount() + " chunks)");
        }
    }

    private static List<ChunkReplica> checkPlacement(ClusterState state, Volume v, List<ChunkReplica> replicas) {
        StoragePolicy policy = VolumeCommands.policy(state, v.policy());
        Checks.valid(new ChunkPlacement(state).check(replicas, policy));
        return List.copyOf(replicas);
    }
}
