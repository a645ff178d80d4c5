package io.keel.storage.volume;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the parts of one open volume share: its collaborators and the cached layout. The cache is
 * changed only after the catalog accepted a change, so it never runs ahead of the catalog.
 */
final class VolumeContext {
    final String volumeId;
    final VolumeCatalog catalog;
    final ReplicaPlacer placer;
    final ReplicaIo io;
    final VolumeStats stats;
    final RateLimiter rebuildLimiter;
    final ChunkLocks locks = new ChunkLocks();

    private volatile VolumeLayout layout;
    private final ConcurrentHashMap<Long, ChunkEntry> entries = new ConcurrentHashMap<>();
    /** Copies being rebuilt: not in the catalog yet, but every write goes to them too. */
    private final ConcurrentHashMap<Long, Set<ReplicaRef>> rebuilding = new ConcurrentHashMap<>();

    VolumeContext(String volumeId, VolumeCatalog catalog, ReplicaPlacer placer, ReplicaIo io, VolumeStats stats,
            RateLimiter rebuildLimiter) {
        this.volumeId = Objects.requireNonNull(volumeId, "volumeId");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.placer = Objects.requireNonNull(placer, "placer");
        this.io = Objects.requireNonNull(io, "io");
        this.stats = Objects.requireNonNull(stats, "stats");
        this.rebuildLimiter = Objects.requireNonNull(rebuildLimiter, "rebuildLimiter");
        load(catalog.layout(volumeId));
    }

    /**
     * Reloads the whole layout as the catalog's leader has it: a reload follows a change someone
     * else made (a chunk allocated or moved by the writer), which this node's replica may not have
     * yet; entries are replaced in place so a reader never sees a gap.
     */
    void reload() {
        load(catalog.freshLayout(volumeId));
    }

    private void load(VolumeLayout fresh) {
        entries.putAll(fresh.chunks());
        entries.keySet().retainAll(fresh.chunks().keySet());
        layout = fresh;
    }

    /** Reloads one chunk's entry from the catalog; null if it is not allocated there. */
    ChunkEntry reloadEntry(long index) {
        VolumeLayout fresh = catalog.freshLayout(volumeId);
        ChunkEntry e = fresh.chunks().get(index);
        if (e == null) {
            entries.remove(index);
        } else {
            entries.put(index, e);
        }
        return e;
    }

    /** The cached entry of chunk {@code index}, or null when it is unallocated. */
    ChunkEntry entry(long index) {
        return entries.get(index);
    }

    void put(ChunkEntry e) {
        entries.put(e.index(), e);
    }

    /** Replicas of chunk {@code index} being rebuilt; change it only under the chunk's exclusive lock. */
    List<ReplicaRef> rebuilding(long index) {
        Set<ReplicaRef> s = rebuilding.get(index);
        return s == null ? List.of() : List.copyOf(s);
    }

    void startRebuilding(long index, List<ReplicaRef> replicas) {
        rebuilding.computeIfAbsent(index, i -> ConcurrentHashMap.newKeySet()).addAll(replicas);
    }

    /** Returns whether {@code replica} was still being rebuilt. */
    boolean stopRebuilding(long index, ReplicaRef replica) {
        boolean[] removed = new boolean[1];
        rebuilding.computeIfPresent(index, (i, s) -> {
            removed[0] = s.remove(replica);
            return s.isEmpty() ? null : s;
        });
        return removed[0];
    }

    Map<Long, ChunkEntry> entries() {
        return Map.copyOf(entries);
    }

    VolumeLayout layout() {
        return layout;
    }

    String storageId() {
        return layout.storageId();
    }

    long size() {
        return layout.sizeBytes();
    }

    int chunkSize() {
        return layout.chunkSize();
    }

    boolean owned(ChunkEntry e) {
        return e.chunk().volumeId().equals(layout.storageId());
    }

    void checkRange(long offset, long length) {
        if (offset < 0 || length < 0 || offset > size() - length) {
            throw new VolumeIoException(VolumeIoException.Kind.EINVAL, "range " + offset + "+" + length
                    + " is outside volume " + volumeId + " of " + size() + " bytes");
        }
    }
}
