package io.keel.meta.cluster;

import io.keel.meta.cluster.ClusterCommand.CreateVolume;
import io.keel.meta.cluster.ClusterCommand.DeleteVolume;
import io.keel.meta.cluster.ClusterCommand.ExtendVolume;
import io.keel.meta.cluster.ClusterCommand.RegisterChunkService;
import io.keel.meta.cluster.ClusterCommand.SetVolumePolicy;
import java.time.Instant;
import java.util.List;

/** Volumes as administrators see them (create, grow, re-police, delete) and chunk services. */
public final class VolumeCommands {
    static final long BLOCK = 4096;
    /** 1 PiB: far beyond any disk we expect, small enough that offsets never overflow. */
    static final long MAX_SIZE = 1L << 50;
    static final int MIN_CHUNK = 1 << 20;
    /** Chunk services on node disks accept chunks up to this size, so volumes may not use more. */
    public static final int MAX_CHUNK = 256 << 20;
    public static final int DEFAULT_CHUNK = 64 << 20;

    private final ClusterCodec codec;

    VolumeCommands(ClusterCodec codec) {
        this.codec = codec;
    }

    Plan registerChunkService(ClusterState state, RegisterChunkService c) {
        Checks.initialised(state);
        ChunkServiceInfo s = Checks.required(c.service(), "chunk service");
        NodeRecord n = Checks.node(state, s.nodeId());
        if (n.roleOf(s.diskId()).type() != DiskRole.Type.STORAGE) {
            throw Rejection.invalid("disk " + Names.quote(s.diskId()) + " of node " + Checks.describe(n)
                    + " has no storage role, so it runs no chunk service");
        }
        if (s.port() < 1 || s.port() > 65535) {
            throw Rejection.invalid("chunk service port must be 1-65535, got " + s.port());
        }
        return new Plan(codec, n.id()).put(ClusterState.chunkServiceKey(s.nodeId(), s.diskId()), s);
    }

    Plan create(ClusterState state, CreateVolume c) {
        ClusterInfo info = Checks.initialised(state);
        if (!info.hasStorageCluster()) {
            throw Rejection.invalid("there is no storage cluster yet: create the storage cluster first");
        }
        Checks.valid(Names.validateVolumeId(c.id()));
        Checks.valid(Names.validateVolumeName(c.name()));
        Checks.required(c.at(), "time");
        checkSize(c.sizeBytes());
        int chunk = c.chunkSize();
        if (chunk < MIN_CHUNK || chunk > MAX_CHUNK || Integer.bitCount(chunk) != 1) {
            throw Rejection.invalid("chunk size must be a power of two from 1 MiB to 256 MiB, got " + chunk + " bytes");
        }
        StoragePolicy policy = volumePolicy(state, c.policy());
        if (isReplay(state, c.id(), c.name(), c.at())) {
            return new Plan(codec, c.id());
        }
        if (state.volume(c.id()).isPresent()) {
            throw Rejection.conflict("volume id " + Names.quote(c.id()) + " is taken");
        }
        if (state.volumes().stream().anyMatch(v -> v.name().equals(c.name()))) {
            throw Rejection.conflict("a volume named " + Names.quote(c.name()) + " already exists");
        }
        Volume v = new Volume(c.id(), c.name(), c.sizeBytes(), chunk, policy.name(), c.at(), 0, 0, null, null, null,
                null);
        return new Plan(codec, v.id()).put(ClusterState.volumeKey(v.id()), v);
    }

    /**
     * Ids are random, so an entity that already has this id, name and creation time was made by
     * this very request, delivered twice (a client retry the leader's cache did not catch): it is
     * answered as applied instead of refused, so the caller does not see its own success as a 409.
     */
    static boolean isReplay(ClusterState state, String id, String name, Instant at) {
        return state.volume(id).filter(v -> v.name().equals(name) && v.createdAt().equals(at)).isPresent();
    }

    Plan extend(ClusterState state, ExtendVolume c) {
        Checks.initialised(state);
        Volume v = ordinary(state, c.volumeId());
        checkSize(c.sizeBytes());
        if (c.sizeBytes() < v.sizeBytes()) {
            throw Rejection.invalid("volume " + Names.quote(v.name()) + " is " + v.sizeBytes() + " bytes and cannot"
                    + " shrink to " + c.sizeBytes() + " bytes: shrinking would destroy data, so only growing is"
                    + " supported");
        }
        return new Plan(codec, v.id()).put(ClusterState.volumeKey(v.id()), v.withSize(c.sizeBytes()));
    }

    Plan setPolicy(ClusterState state, SetVolumePolicy c) {
        Checks.initialised(state);
        Volume v = ordinary(state, c.volumeId());
        StoragePolicy p = policyFor(state, v, c.policy());
        return new Plan(codec, v.id()).put(ClusterState.volumeKey(v.id()), v.withPolicy(p.name()));
    }

    Plan delete(ClusterState state, DeleteVolume c) {
        Checks.initialised(state);
        Volume v = ordinary(state, c.volumeId());
        Checks.required(c.at(), "time");
        ImageCommands.usingVolume(state, v.id()).ifPresent(i -> {
            throw Rejection.conflict("volume " + Names.quote(v.name()) + " holds image " + Names.quote(i.name())
                    + ": delete the image instead ('keel image delete " + i.name() + "')");
        });
        List<String> snapshots = state.snapshots(v.id()).stream().map(s -> Names.quote(s.name())).toList();
        if (!snapshots.isEmpty()) {
            throw Rejection.conflict("volume " + Names.quote(v.name()) + " has snapshots " + Checks.list(snapshots)
                    + ": delete them first");
        }
        if (v.name().startsWith(S3Cluster.DATA_VOLUME_PREFIX) && state.s3().cluster().isPresent()) {
            throw Rejection.conflict("volume " + Names.quote(v.name()) + " holds object data of the S3 cluster:"
                    + " its gateways manage it, and objects would lose their bytes; it can go once the S3 cluster"
                    + " is deleted ('keel s3 cluster delete')");
        }
        VmSuspendCommands.refuseStateVolume(state, v, "deleted");
        IscsiCommands.refuseLun(state, v, "deleted");
        state.vms().stream().filter(vm -> vm.uses(v.id())).findFirst().ifPresent(vm -> {
            throw Rejection.conflict("volume " + Names.quote(v.name()) + " is a disk of VM " + Names.quote(vm.name())
                    + ": detach it or delete the VM first");
        });
        VolumeLease l = v.lease();
        if (l != null && !l.background() && l.liveAt(c.at())) {
            throw Rejection.conflict("volume " + Names.quote(v.name()) + " is open for writing by "
                    + Names.quote(l.holder()) + " (lease expires " + l.expiresAt() + "): stop the writer first");
        }
        Plan plan = new Plan(codec, v.id()).delete(ClusterState.volumeKey(v.id()));
        for (ChunkRecord r : state.chunks(v.id())) {
            plan.delete(ClusterState.chunkKey(v.id(), r.index()));
        }
        return plan;
    }

    static Volume volume(ClusterState state, String id) {
        Checks.required(id, "volume id");
        return state.volume(id).orElseThrow(() -> Rejection.notFound("volume " + Names.quote(id) + " does not exist"));
    }

    /** A volume that is not a snapshot: snapshots are read-only and have commands of their own. */
    static Volume ordinary(ClusterState state, String id) {
        Volume v = volume(state, id);
        if (v.isSnapshot()) {
            throw Rejection.invalid(Names.quote(id) + " is a snapshot (named " + Names.quote(v.name())
                    + ") of volume " + Names.quote(v.snapshotOf()) + ", not a volume: snapshots are read-only");
        }
        return v;
    }

    static StoragePolicy policy(ClusterState state, String name) {
        Checks.required(name, "storage policy");
        return state.policy(name).orElseThrow(() -> Rejection.notFound("no storage policy " + Names.quote(name)
                + "; list them with 'keel policy list'"));
    }

    /**
     * A policy for data that lives in shared, copied or cloned chunks (images, clones, S3
     * objects): replicated only. Erasure-coded chunks are striped fragments with parity, which
     * snapshots, copy-on-write and clones do not handle yet (ADR 0051).
     */
    static StoragePolicy dataPolicy(ClusterState state, String name) {
        StoragePolicy p = policy(state, name);
        if (p.erasureCoded()) {
            throw Rejection.invalid("EC policy " + Names.quote(p.name()) + " (" + p.redundancy().label()
                    + ") can hold plain volumes only: images, clones, snapshots and S3 data need a replicated"
                    + " policy (snapshots of erasure-coded volumes are not supported yet)");
        }
        return p;
    }

    /** A policy a new volume may have: any, replicated or erasure-coded. */
    static StoragePolicy volumePolicy(ClusterState state, String name) {
        return policy(state, name);
    }

    /**
     * The policy volume {@code v} may move to: one of the same redundancy (replicated, or the same
     * M+N), since its chunks are stored as whole copies or as M+N fragments and nothing re-encodes
     * them.
     */
    static StoragePolicy policyFor(ClusterState state, Volume v, String name) {
        StoragePolicy next = policy(state, name);
        StoragePolicy now = policy(state, v.policy());
        boolean same = now.erasureCoded() ? now.redundancy().equals(next.redundancy()) : !next.erasureCoded();
        if (!same) {
            throw Rejection.invalid("volume " + Names.quote(v.name()) + " is stored " + now.redundancy().label()
                    + " and cannot move to policy " + Names.quote(next.name()) + " (" + next.redundancy().label()
                    + "): its chunks would need re-encoding; copy the data into a new volume of that policy instead");
        }
        return next;
    }

    static void checkSize(long size) {
        if (size <= 0 || size % BLOCK != 0 || size > MAX_SIZE) {
            throw Rejection.invalid("volume size must be a positive multiple of 4096 bytes up to 1 PiB, got " + size
                    + " bytes");
        }
    }
}
