package io.keel.storage.scrub;

import io.keel.storage.chunk.ChunkId;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The outcome of one completed scrub pass.
 *
 * @param passesCompleted passes this scrubber has completed, this one included
 * @param started         when the pass began
 * @param finished        when it ended
 * @param chunksScanned   chunks verified (chunks deleted during the pass are not counted)
 * @param bytesScanned    their allocated bytes, as listed at the start of the pass
 * @param badBlocks       chunks with blocks that failed their checksum, and those blocks' indexes
 * @param failedChunks    chunks that could not be scrubbed at all, with the reason
 */
public record ScrubReport(long passesCompleted, Instant started, Instant finished, long chunksScanned,
        long bytesScanned, Map<ChunkId, List<Integer>> badBlocks, Map<ChunkId, String> failedChunks) {
    public ScrubReport {
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(finished, "finished");
        Objects.requireNonNull(badBlocks, "badBlocks");
        Objects.requireNonNull(failedChunks, "failedChunks");
        if (passesCompleted < 1 || chunksScanned < 0 || bytesScanned < 0 || finished.isBefore(started)) {
            throw new IllegalArgumentException("inconsistent scrub report: pass " + passesCompleted + ", "
                    + chunksScanned + " chunks, " + bytesScanned + " bytes, " + started + " to " + finished);
        }
        // Sorted copies, so reports print and compare the same however the pass found things.
        TreeMap<ChunkId, List<Integer>> bad = new TreeMap<>();
        badBlocks.forEach((id, blocks) -> bad.put(id, List.copyOf(blocks)));
        badBlocks = Collections.unmodifiableSortedMap(bad);
        failedChunks = Collections.unmodifiableSortedMap(new TreeMap<>(failedChunks));
    }

    /** Bad blocks found, over all chunks. */
    public long badBlockCount() {
        return badBlocks.values().stream().mapToLong(List::size).sum();
    }
}
