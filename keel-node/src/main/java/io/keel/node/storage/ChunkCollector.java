package io.keel.node.storage;

import io.keel.meta.cluster.ChunkReferences;
import io.keel.meta.cluster.ClusterState;
import io.keel.storage.chunk.ChunkException;
import io.keel.storage.chunk.ChunkInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes chunk copies on this node's disks that no chunk map (of a volume, snapshot or clone)
 * references any more: replicas
 * dropped while their service was away (stale versions on a returning node), copies of deleted
 * volumes, leftovers of an allocation or rebuild that died half-way. A copy must look
 * unreferenced for {@code delay} before it goes, because allocation and rebuild create the copy
 * first and record it after.
 */
public final class ChunkCollector {
    private static final Logger log = LoggerFactory.getLogger(ChunkCollector.class);

    private final String selfId;
    private final DiskServices disks;
    private final Supplier<ClusterState> state;
    private final Duration delay;
    private final Clock clock;
    private final Map<String, Instant> unreferencedSince = new HashMap<>();
    private long deleted;

    public ChunkCollector(String selfId, DiskServices disks, Supplier<ClusterState> state, Duration delay,
            Clock clock) {
        this.selfId = Objects.requireNonNull(selfId, "selfId");
        this.disks = Objects.requireNonNull(disks, "disks");
        this.state = Objects.requireNonNull(state, "state");
        this.delay = Objects.requireNonNull(delay, "delay");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public synchronized long deleted() {
        return deleted;
    }

    /** One pass over every local disk; returns the number of copies deleted. */
    public synchronized int round() {
        Set<ChunkReferences.Reference> refs = ChunkReferences.of(state.get());
        Instant now = clock.instant();
        Set<String> seen = new HashSet<>();
        int removed = 0;
        for (DiskServices.Running disk : disks.running()) {
            for (ChunkInfo info : disk.store().list()) {
                String key = disk.diskId() + ":" + info.id();
                if (refs.contains(new ChunkReferences.Reference(info.id().volumeId(), info.id().index(), selfId,
                        disk.diskId()))) {
                    continue;
                }
                seen.add(key);
                Instant since = unreferencedSince.computeIfAbsent(key, k -> now);
                if (Duration.between(since, now).compareTo(delay) < 0) {
                    continue;
                }
                try {
                    disk.store().delete(info.id());
                    removed++;
                    log.info("deleted chunk copy {} (version {}) on disk {}: no volume or snapshot references it",
                            info.id(), info.version(), disk.diskId());
                } catch (ChunkException e) {
                    log.debug("chunk {} on disk {} not deleted: {}", info.id(), disk.diskId(), e.getMessage());
                }
            }
        }
        unreferencedSince.keySet().retainAll(seen);
        deleted += removed;
        return removed;
    }
}
