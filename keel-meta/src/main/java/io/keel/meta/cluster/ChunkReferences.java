package io.keel.meta.cluster;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Every chunk copy some map still needs. Since snapshots and clones share copies, a copy may be
 * named by several maps (a volume's, its snapshots', clones'), and a garbage collector may only
 * delete a copy that no entry of any map names, whatever storage id or map it was found under.
 */
public final class ChunkReferences {
    /** One replica of chunk ({@code storageId}, {@code index}) on disk {@code diskId} of {@code nodeId}. */
    public record Reference(String storageId, long index, String nodeId, String diskId) {
        public Reference {
            Objects.requireNonNull(storageId, "storageId");
            Objects.requireNonNull(nodeId, "nodeId");
            Objects.requireNonNull(diskId, "diskId");
        }
    }

    private ChunkReferences() {}

    /** The references of every map in {@code state}, volumes and snapshots alike; an unmodifiable set. */
    public static Set<Reference> of(ClusterState state) {
        Objects.requireNonNull(state, "state");
        Set<Reference> refs = new HashSet<>();
        for (ChunkRecord r : state.allChunkRecords()) {
            for (ChunkReplica replica : r.replicas()) {
                refs.add(new Reference(r.storageIdOf(replica), r.index(), replica.nodeId(), replica.diskId()));
            }
        }
        return Set.copyOf(refs);
    }
}
