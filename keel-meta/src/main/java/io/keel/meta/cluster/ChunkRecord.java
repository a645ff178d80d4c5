package io.keel.meta.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/**
 * Chunk {@code index} of a volume: stored under chunk id ({@code storageId}, {@code index}) on
 * {@code replicas}, all at {@code version}. The version moves forward whenever the replica set
 * changes, so a replica that missed writes is recognisable by its older version when it returns.
 * {@code dirty} (erasure-coded chunks only, else null and left out of the stored JSON): true while
 * a writer may have changed some fragments of a stripe and not the others, so its parity is not
 * to be trusted until the next writer recomputes it (ADR 0051).
 */
public record ChunkRecord(long index, String storageId, long version, List<ChunkReplica> replicas,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean dirty) {
    public ChunkRecord {
        Objects.requireNonNull(storageId, "storageId");
        replicas = List.copyOf(Objects.requireNonNull(replicas, "replicas"));
    }

    public ChunkRecord(long index, String storageId, long version, List<ChunkReplica> replicas) {
        this(index, storageId, version, replicas, null);
    }

    ChunkRecord withReplicas(List<ChunkReplica> r) {
        return new ChunkRecord(index, storageId, version + 1, r, dirty);
    }

    /** Null rather than false when clean, so a clean record stores the bytes it always did. */
    ChunkRecord withDirty(boolean d) {
        return new ChunkRecord(index, storageId, version, replicas, d ? Boolean.TRUE : null);
    }

    public boolean isDirty() {
        return Boolean.TRUE.equals(dirty);
    }

    /**
     * The storage id {@code replica}'s copy is kept under on its disk: the record's own for a whole
     * copy, with {@code -f<fragment>} appended for a fragment of an erasure-coded chunk (the rule
     * keel-storage's {@code ErasureShape.fragmentId} follows; a storage id ends in its numeric
     * generation, so the suffix cannot clash with another one).
     */
    public String storageIdOf(ChunkReplica replica) {
        return replica.fragment() == null ? storageId : storageId + "-f" + replica.fragment();
    }
}
