package io.keel.node.s3;

import io.keel.api.ApiException;
import io.keel.api.dto.S3LifecycleSweepView;
import io.keel.meta.cluster.ClusterCommand;
import io.keel.meta.cluster.CommandResult;
import io.keel.meta.cluster.RejectionCodes;
import io.keel.meta.cluster.S3Cluster;
import io.keel.meta.raft.LocalLeader;
import io.keel.meta.raft.MetadataServer;
import io.keel.meta.raft.Peer;
import io.keel.meta.shard.RaftIndexShard;
import io.keel.node.service.MetaGateway;
import io.keel.node.storage.StorageStack;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.S3Bucket;
import io.keel.s3.backend.BucketSetting;
import io.keel.s3.backend.BucketSettings;
import io.keel.s3.backend.S3Backend;
import io.keel.s3.settings.LifecycleSweeper;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.keel.s3store.KeelS3Backend;
import io.keel.s3store.MetaBucketCatalog;
import io.keel.s3store.data.IndexShardReservationLog;
import io.keel.s3store.data.VolumeDataOptions;
import io.keel.s3store.data.VolumeObjectData;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The S3 backend of this node's gateways, put together from the metadata (buckets), the index
 * shards (versions, uploads, counters; clients of the shards' Raft groups, reachable from any
 * node) and the storage (object bytes in this node's data volumes under the S3 cluster's policy).
 */
public final class S3Stack implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(S3Stack.class);
    /** Long enough to ride out a shard leader election, short enough for a client's retry. */
    static final Duration SHARD_TIMEOUT = Duration.ofSeconds(10);
    /** Lifecycle rules count in days (due at midnight UTC); an hour's delay is well inside that. */
    public static final Duration LIFECYCLE_EVERY = Duration.ofHours(1);

    private final String selfId;
    private final MetaGateway meta;
    private final StorageStack storage;
    private final Supplier<List<Peer>> members;
    private final Clock clock;
    private final SecureRandom random;
    private final Map<String, RaftIndexShard> shards = new ConcurrentHashMap<>();
    private final Supplier<Optional<MetadataServer>> localServer;
    private final Map<String, Local> locals = new ConcurrentHashMap<>();
    private final MetaBucketSettings settings;
    private volatile VolumeObjectData data;
    private volatile S3Backend backend;

    /** This node's member of a shard's group, from the metadata server it came from. */
    private record Local(MetadataServer server, LocalLeader leader) {}

    public S3Stack(String selfId, MetaGateway meta, StorageStack storage, Supplier<List<Peer>> members,
            Supplier<Optional<MetadataServer>> localServer, Clock clock, SecureRandom random) {
        this.selfId = Objects.requireNonNull(selfId, "selfId");
        this.localServer = Objects.requireNonNull(localServer, "localServer");
        this.meta = Objects.requireNonNull(meta, "meta");
        this.storage = Objects.requireNonNull(storage, "storage");
        this.members = Objects.requireNonNull(members, "members");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.settings = new MetaBucketSettings(meta::state, this::submit);
    }

    /** Bucket CORS, tagging, policy and lifecycle documents, in the metadata. */
    public BucketSettings settings() {
        return settings;
    }

    /** The backend for {@code cluster}; built once, when this node's gateway first starts. */
    public synchronized S3Backend backend(S3Cluster cluster) {
        MetaBucketCatalog catalog = new MetaBucketCatalog(meta::state, meta::leaderState, this::submit,
                () -> UUID.randomUUID().toString(), clock);
        // The data layer's allocation marks live in the first shard: every gateway shares them.
        data = new VolumeObjectData(new NodeDataVolumes(meta, storage, cluster.policy(), clock, random),
                new IndexShardReservationLog(shard(cluster.indexShards().getFirst())),
                VolumeDataOptions.defaults(selfId));
        backend = new KeelS3Backend(S3Gateways.REGION, catalog, this::shard, data, clock,
                () -> UUID.randomUUID().toString());
        return backend;
    }

    /**
     * A bucket's counters from the object index; {@code backend} is one this class built (the
     * object index's counters are Keel's, not part of the S3 backend's contract).
     */
    public static io.keel.s3store.BucketUsage usage(S3Backend backend, String bucket)
            throws io.keel.s3.error.S3Exception {
        if (!(backend instanceof KeelS3Backend keel)) {
            throw new IllegalArgumentException("not a Keel S3 backend: " + backend.getClass().getName());
        }
        return keel.usage(bucket);
    }

    /** The backend once this node's gateway built it; empty on a node that serves no S3 (yet). */
    public Optional<S3Backend> current() {
        return Optional.ofNullable(backend);
    }

    /**
     * Expires what the buckets' lifecycle rules say is due (ADR 0046). One node sweeps: the
     * metadata leader when it serves S3, otherwise the first node of the S3 cluster; a sweep is
     * idempotent, so a second sweeper during a leader change costs only time.
     */
    public void sweepLifecycle(ClusterState state, Optional<String> leaderId) {
        S3Backend b = backend;
        Optional<S3Cluster> cluster = state.s3().cluster();
        if (b == null || cluster.isEmpty() || !cluster.get().runsOn(selfId)) {
            return;
        }
        boolean leaderServesS3 = leaderId.filter(cluster.get()::runsOn).isPresent();
        boolean mine = leaderServesS3 ? leaderId.get().equals(selfId)
                : cluster.get().nodeIds().getFirst().equals(selfId);
        if (!mine) {
            return;
        }
        List<String> buckets = lifecycleBuckets(state);
        if (buckets.isEmpty()) {
            return;
        }
        LifecycleSweeper.Result r = new LifecycleSweeper(b, settings, clock, 1000).sweep(buckets);
        if (r.expired() + r.noncurrentRemoved() + r.uploadsAborted() + r.failedBuckets() > 0) {
            log.info("S3 lifecycle: {} objects expired, {} noncurrent versions removed, {} uploads aborted,"
                    + " {} buckets failed", r.expired(), r.noncurrentRemoved(), r.uploadsAborted(), r.failedBuckets());
        }
    }

    private List<String> lifecycleBuckets(ClusterState state) {
        return state.s3().buckets().stream()
                .filter(bucket -> settings.get(bucket.name(), BucketSetting.LIFECYCLE).isPresent())
                .map(S3Bucket::name).toList();
    }

    /**
     * One sweep, on this node, now, of every bucket with lifecycle rules through {@code backend}
     * (an administrator's "apply lifecycle now"; the periodic sweep runs on one node only).
     */
    public S3LifecycleSweepView sweepLifecycleNow(S3Backend backend, ClusterState state) {
        List<String> buckets = lifecycleBuckets(state);
        LifecycleSweeper.Result r = new LifecycleSweeper(backend, settings, clock, 1000).sweep(buckets);
        log.info("S3 lifecycle sweep asked for: {} buckets, {} objects expired, {} noncurrent versions removed,"
                + " {} uploads aborted, {} buckets failed", buckets.size(), r.expired(), r.noncurrentRemoved(),
                r.uploadsAborted(), r.failedBuckets());
        return new S3LifecycleSweepView(buckets.size(), r.expired(), r.noncurrentRemoved(), r.uploadsAborted(),
                r.failedBuckets());
    }

    private RaftIndexShard shard(String shardId) {
        return shards.computeIfAbsent(shardId,
                id -> new RaftIndexShard(id, members.get(), SHARD_TIMEOUT, () -> localLeader(id)));
    }

    private Optional<LocalLeader> localLeader(String shardId) {
        Optional<MetadataServer> server = localServer.get();
        if (server.isEmpty()) {
            return Optional.empty();
        }
        Local l = locals.get(shardId);
        if (l == null || l.server() != server.get()) {
            l = new Local(server.get(), server.get().localShardLeader(shardId));
            locals.put(shardId, l);
        }
        return Optional.of(l.leader());
    }

    /** Keeps the shard clients pointed at the current members of the metadata group. */
    public void refreshMembers() {
        List<Peer> now = members.get();
        shards.values().forEach(s -> s.updateMembers(now));
    }

    CommandResult submit(ClusterCommand command) {
        try {
            return new CommandResult.Applied(meta.submit(command));
        } catch (ApiException e) {
            if (e.status() == 503 && !RejectionCodes.NOT_INITIALISED.equals(e.code())) {
                // No quorum: the catalog answers ServiceUnavailable and the client retries.
                throw e;
            }
            return new CommandResult.Rejected(e.code(), e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        VolumeObjectData d = data;
        if (d != null) {
            d.close();
        }
        shards.values().forEach(RaftIndexShard::close);
        shards.clear();
    }
}
