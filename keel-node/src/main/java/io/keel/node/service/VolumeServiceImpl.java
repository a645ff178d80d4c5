package io.keel.node.service;

import io.keel.api.ApiException;
import io.keel.api.Sizes;
import io.keel.api.VolumeService;
import io.keel.api.dto.CreateVolumeRequest;
import io.keel.api.dto.ExtendVolumeRequest;
import io.keel.api.dto.SetVolumePolicyRequest;
import io.keel.api.dto.VolumeView;
import io.keel.meta.cluster.ChunkRecord;
import io.keel.meta.cluster.ChunkReplica;
import io.keel.meta.cluster.ClusterCommand;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.S3Cluster;
import io.keel.meta.cluster.NodeRecord;
import io.keel.meta.cluster.StoragePolicy;
import io.keel.meta.cluster.Volume;
import io.keel.meta.cluster.VolumeCommands;
import io.keel.meta.cluster.VolumeLease;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Volumes through the metadata service: creation, growth, policy changes and deletion are
 * replicated commands (the logic checks names, sizes and policies), and the health shown is
 * worked out from the chunk map and which nodes this node hears from.
 */
public final class VolumeServiceImpl implements VolumeService {
    private final MetaGateway meta;
    private final Predicate<String> nodeDown;
    private final Clock clock;
    private final SecureRandom random;

    public VolumeServiceImpl(MetaGateway meta, Predicate<String> nodeDown, Clock clock, SecureRandom random) {
        this.meta = Objects.requireNonNull(meta, "meta");
        this.nodeDown = Objects.requireNonNull(nodeDown, "nodeDown");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public VolumeView create(CreateVolumeRequest request) {
        if (request == null) {
            throw ApiException.invalid("a volume needs a name and a size");
        }
        if (request.name() != null && request.name().startsWith(S3Cluster.DATA_VOLUME_PREFIX)) {
            throw ApiException.invalid("volume names starting with \"" + S3Cluster.DATA_VOLUME_PREFIX
                    + "\" are reserved for the S3 gateways' data volumes: choose another name");
        }
        long size = Sizes.parse("size", request.size());
        long chunk = request.chunkSize() == null || request.chunkSize().isBlank()
                ? VolumeCommands.DEFAULT_CHUNK : Sizes.parse("chunkSize", request.chunkSize());
        if (chunk > Integer.MAX_VALUE) {
            throw ApiException.invalid("chunkSize must be a power of two from 1M to 256M: \"" + request.chunkSize() + "\"");
        }
        String policy = request.policy() == null || request.policy().isBlank() ? onlyPolicy() : request.policy();
        String id = "v" + HexFormat.of().toHexDigits(random.nextLong()).substring(1);
        meta.submit(new ClusterCommand.CreateVolume(id, request.name(), size, (int) chunk, policy, clock.instant()));
        return get(id);
    }

    @Override
    public List<VolumeView> list() {
        ClusterState s = meta.state();
        return s.volumes().stream().map(v -> view(s, v)).toList();
    }

    @Override
    public VolumeView get(String idOrName) {
        ClusterState s = meta.state();
        return view(s, volume(s, idOrName));
    }

    @Override
    public VolumeView extend(String idOrName, ExtendVolumeRequest request) {
        Volume v = volume(meta.state(), idOrName);
        long size = Sizes.parse("size", request == null ? null : request.size());
        if (size < v.sizeBytes()) {
            throw ApiException.invalid("volume " + v.name() + " is " + v.sizeBytes() + " bytes; volumes never shrink"
                    + " (that would lose data): give a size of at least " + v.sizeBytes() + " bytes");
        }
        meta.submit(new ClusterCommand.ExtendVolume(v.id(), size));
        return get(v.id());
    }

    @Override
    public VolumeView setPolicy(String idOrName, SetVolumePolicyRequest request) {
        Volume v = volume(meta.state(), idOrName);
        if (request == null || request.policy() == null || request.policy().isBlank()) {
            throw ApiException.invalid("policy is required");
        }
        meta.submit(new ClusterCommand.SetVolumePolicy(v.id(), request.policy()));
        return get(v.id());
    }

    @Override
    public void delete(String idOrName) {
        Volume v = volume(meta.state(), idOrName);
        meta.submit(new ClusterCommand.DeleteVolume(v.id(), clock.instant()));
    }

    @Override
    public VolumeView breakLease(String idOrName) {
        Volume v = volume(meta.state(), idOrName);
        VolumeLease lease = v.lease();
        if (lease == null || !lease.liveAt(clock.instant())) {
            throw ApiException.conflict("no one holds the write lease of volume " + v.name());
        }
        meta.submit(new ClusterCommand.ReleaseLease(v.id(), lease.epoch()));
        return get(v.id());
    }

    /**
     * The default: the one replicated policy. An erasure-coded policy is never chosen unasked: it
     * trades write cost and snapshot support for space, which is the administrator's call.
     */
    String onlyPolicy() {
        List<StoragePolicy> all = meta.state().policies().stream().filter(p -> !p.erasureCoded()).toList();
        if (all.size() == 1) {
            return all.getFirst().name();
        }
        throw ApiException.invalid(all.isEmpty()
                ? "the cluster has no replicated storage policy yet: create one with 'keel policy create'"
                : "the cluster has " + all.size() + " storage policies: name one with --policy");
    }

    private static Volume volume(ClusterState s, String idOrName) {
        return s.volumeByIdOrName(Objects.requireNonNull(idOrName, "idOrName"))
                .orElseThrow(() -> ApiException.notFound("no volume " + idOrName));
    }

    VolumeView view(ClusterState s, Volume v) {
        StoragePolicy policy = s.policy(v.policy()).orElse(null);
        int wanted = policy == null ? 1 : policy.pieces();
        boolean ec = policy != null && policy.erasureCoded();
        // A fragment holds 1/M of its chunk (rounded up to whole stripe rows, ignored here).
        int data = ec ? policy.ec().data() : 1;
        long allocated = 0;
        long physical = 0;
        List<ChunkRecord> chunks = s.chunks(v.id());
        for (ChunkRecord r : chunks) {
            long bytes = Math.min(v.chunkSize(), v.sizeBytes() - r.index() * v.chunkSize());
            allocated += bytes;
            physical += bytes * r.replicas().size() / data;
        }
        VolumeHealth health = VolumeHealth.of(chunks, wanted, data, ec ? "fragment" : "replica", nodeDown);
        VolumeLease lease = v.lease();
        Instant now = clock.instant();
        String holder = null;
        Long epoch = null;
        String expires = null;
        if (lease != null && lease.liveAt(now)) {
            expires = lease.expiresAt().toString();
            holder = s.node(lease.holder()).map(NodeRecord::name).orElse(lease.holder())
                    + (lease.background() ? " (healing)" : "");
            epoch = lease.epoch();
        }
        String home = v.home() == null ? null : s.node(v.home()).map(NodeRecord::name).orElse(v.home());
        return new VolumeView(v.id(), v.name(), v.sizeBytes(), v.chunkSize(), v.policy(), allocated, physical,
                health.health(), health.reason(), chunks.size(), health.degradedChunks(), holder, epoch,
                v.createdAt().toString(), home, expires, policy == null ? null : policy.redundancy().label(),
                policy == null ? null : policy.overhead(),
                policy == null ? null : PolicyViews.rawBytes(v.sizeBytes(), policy));
    }
}
