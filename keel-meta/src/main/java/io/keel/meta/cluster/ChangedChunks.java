package io.keel.meta.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Which byte ranges differ between two points of one volume's history, for incremental backup
 * and replication. Comparing chunk maps is enough: a volume writes only under its current storage
 * id, which changes at every snapshot, so a chunk written since a snapshot carries a storage id the
 * snapshot's entry does not. Granularity is the chunk: a changed chunk may hold unchanged bytes.
 */
public final class ChangedChunks {
    /** {@code length} bytes from {@code offset}. */
    public record Extent(long offset, long length) {}

    private ChangedChunks() {}

    /**
     * The ranges of {@code to} whose content may differ from {@code from}: sorted, merged when
     * adjacent and clipped to the size of {@code to}.
     *
     * @param fromSnapshotId a snapshot of the lineage, or null to list everything allocated in {@code to}
     * @param toId the volume itself or one of its snapshots
     * @throws NoSuchElementException when either does not exist
     * @throws IllegalArgumentException when {@code from} is not a snapshot of the same volume as {@code to}
     */
    public static List<Extent> between(ClusterState state, String fromSnapshotId, String toId) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(toId, "toId");
        Volume to = find(state, toId);
        String lineage = to.isSnapshot() ? to.snapshotOf() : to.id();
        Map<Long, String> before = new HashMap<>();
        if (fromSnapshotId != null) {
            Volume from = find(state, fromSnapshotId);
            if (!from.isSnapshot() || !from.snapshotOf().equals(lineage)) {
                throw new IllegalArgumentException(Names.quote(from.name()) + " is not a snapshot of the volume "
                        + Names.quote(lineage) + " that " + Names.quote(to.name()) + " belongs to");
            }
            state.chunks(from.id()).forEach(r -> before.put(r.index(), r.storageId()));
        }
        Map<Long, String> after = new HashMap<>();
        state.chunks(to.id()).forEach(r -> after.put(r.index(), r.storageId()));
        TreeSet<Long> indexes = new TreeSet<>(before.keySet());
        indexes.addAll(after.keySet());
        List<Extent> extents = new ArrayList<>();
        long size = to.sizeBytes();
        long chunk = to.chunkSize();
        for (long index : indexes) {
            if (Objects.equals(before.get(index), after.get(index))) {
                continue;
            }
            long start = index * chunk;
            if (start >= size) {
                break;
            }
            long end = Math.min(size, start + chunk);
            Extent last = extents.isEmpty() ? null : extents.getLast();
            if (last != null && last.offset() + last.length() == start) {
                extents.set(extents.size() - 1, new Extent(last.offset(), end - last.offset()));
            } else {
                extents.add(new Extent(start, end - start));
            }
        }
        return List.copyOf(extents);
    }

    private static Volume find(ClusterState state, String id) {
        return state.volume(id).orElseThrow(() -> new NoSuchElementException("no volume or snapshot "
                + Names.quote(id)));
    }
}
