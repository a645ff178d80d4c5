package io.keel.node.storage;

import io.keel.meta.cluster.ChunkPlacement;
import io.keel.meta.cluster.ChunkReplica;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.StoragePolicy;
import io.keel.meta.cluster.Volume;
import io.keel.storage.volume.ReplicaPlacer;
import io.keel.storage.volume.ReplicaRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Places new chunk copies with the metadata's placement rules, over the services this node
 * believes alive: their node heartbeats and the last request to them did not fail. The first copy
 * of a new chunk goes to this node's own disk when it is about as empty as the best elsewhere: the
 * node placing new chunks is the one writing the volume, whose reads prefer a local copy (ADR 0012).
 */
public final class NodeReplicaPlacer implements ReplicaPlacer {
    private final String selfId;
    private final Supplier<ClusterState> state;
    private final Predicate<String> nodeAlive;
    private final NodeChunkServices services;
    private final Map<String, ReplicaRef> hints = new ConcurrentHashMap<>();

    /** @param selfId this node, preferred for the first copy of chunks it allocates */
    public NodeReplicaPlacer(String selfId, Supplier<ClusterState> state, Predicate<String> nodeAlive,
            NodeChunkServices services) {
        this.selfId = Objects.requireNonNull(selfId, "selfId");
        this.state = Objects.requireNonNull(state, "state");
        this.nodeAlive = Objects.requireNonNull(nodeAlive, "nodeAlive");
        this.services = Objects.requireNonNull(services, "services");
    }

    /**
     * Asks that the next copy placed for the chunk go to {@code target}: a rebalancing move has
     * chosen where. Used once; ignored if the target is taken by then.
     */
    public void prefer(String volumeId, long index, ReplicaRef target) {
        hints.put(volumeId + "/" + index, target);
    }

    /** A hint is only taken while it still suits the policy and shares no failure domain with the others. */
    private boolean fits(String volumeId, ReplicaRef hint, List<ReplicaRef> existing) {
        ClusterState s = state.get();
        StoragePolicy policy = s.volume(volumeId).flatMap(v -> s.policy(v.policy())).orElse(null);
        if (policy == null || policy.erasureCoded()) {
            return false;
        }
        ChunkPlacement placement = new ChunkPlacement(s);
        ChunkReplica target = MetaVolumeCatalog.toMeta(hint);
        if (placement.unusable(target, policy).isPresent()) {
            return false;
        }
        var domain = placement.domainOf(target, policy.failureDomain());
        return domain.isPresent() && existing.stream().map(MetaVolumeCatalog::toMeta)
                .noneMatch(r -> placement.domainOf(r, policy.failureDomain()).equals(domain));
    }

    @Override
    public List<ReplicaRef> place(String volumeId, long index, int count, List<ReplicaRef> existing) {
        ReplicaRef hint = hints.remove(volumeId + "/" + index);
        if (hint != null && count >= 1 && !existing.contains(hint) && services.reachable(hint)
                && fits(volumeId, hint, existing)) {
            List<ReplicaRef> out = new ArrayList<>();
            out.add(hint);
            List<ReplicaRef> taken = new ArrayList<>(existing);
            taken.add(hint);
            out.addAll(place(volumeId, index, count - 1, taken));
            return out;
        }
        ClusterState s = state.get();
        Volume v = s.volume(volumeId).orElse(null);
        if (v == null || count <= 0) {
            return List.of();
        }
        StoragePolicy policy = s.policy(v.policy()).orElse(null);
        // Replicas and erasure-coded fragments alike: the caller numbers the fragments.
        if (policy == null) {
            return List.of();
        }
        long seed = volumeId.hashCode() * 31L + index;
        Predicate<ChunkReplica> usable = r -> nodeAlive.test(r.nodeId())
                && services.reachable(MetaVolumeCatalog.toRef(r));
        // Only a new chunk (nothing placed yet) is pulled toward this node. With copies in place
        // the call is a repair, a rebalancing move or a policy change, which run on whichever node
        // heals the volume and must not drag data toward it.
        String preferred = existing.isEmpty() ? selfId : null;
        return new ChunkPlacement(s).choose(policy, count, MetaVolumeCatalog.toMeta(existing), usable, seed, preferred)
                .stream().map(MetaVolumeCatalog::toRef).toList();
    }
}
