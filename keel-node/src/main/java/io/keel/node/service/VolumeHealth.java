package io.keel.node.service;

import io.keel.meta.cluster.ChunkRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A volume's health as {@code volume show} reports it. Degraded has two causes that heal on
 * different clocks (ADR 0028), and the reason names them apart: a chunk whose map holds fewer
 * replicas than the policy asks for lost a copy that missed a write or flush (or was given up),
 * and is rebuilt at once; a chunk whose copies are all in its map but one sits on a node that is
 * down waits for that node until the grace period ends.
 *
 * @param health         healthy, degraded or unavailable
 * @param reason         why it is not healthy, null when it is
 * @param degradedChunks chunks that are degraded or unavailable
 */
record VolumeHealth(String health, String reason, long degradedChunks) {

    static VolumeHealth of(List<ChunkRecord> chunks, int wanted, Predicate<String> nodeDown) {
        return of(chunks, wanted, 1, "replica", nodeDown);
    }

    /**
     * @param needed live pieces a chunk must have to be read: 1 replica, or M fragments of M+N
     * @param noun   what a piece is called: "replica" or "fragment"
     */
    static VolumeHealth of(List<ChunkRecord> chunks, int wanted, int needed, String noun,
            Predicate<String> nodeDown) {
        Objects.requireNonNull(chunks, "chunks");
        Objects.requireNonNull(nodeDown, "nodeDown");
        long unavailable = 0;
        long short_ = 0;
        long waiting = 0;
        for (ChunkRecord r : chunks) {
            long live = r.replicas().stream().filter(x -> !nodeDown.test(x.nodeId())).count();
            if (live < needed) {
                unavailable++;
            } else if (r.replicas().size() < wanted) {
                short_++;
            } else if (live < wanted) {
                waiting++;
            }
        }
        String of = " of " + chunks.size() + " chunks ";
        if (unavailable > 0) {
            return new VolumeHealth("unavailable", unavailable + of + (needed == 1 ? "have no reachable replica"
                    : "have fewer than " + needed + " reachable fragments"),
                    unavailable + short_ + waiting);
        }
        List<String> why = new ArrayList<>();
        if (short_ > 0) {
            String piece = noun.equals("replica") ? "copy" : noun;
            why.add(short_ + of + "have fewer than " + wanted + " " + noun + "s (a " + piece + " that missed a write"
                    + " or was given up is being rebuilt now)");
        }
        if (waiting > 0) {
            why.add(waiting + of + "have a " + noun + " on a node that is down (rebuilt elsewhere only if the node"
                    + " is not back within the grace period)");
        }
        return why.isEmpty() ? new VolumeHealth("healthy", null, 0)
                : new VolumeHealth("degraded", String.join("; ", why), short_ + waiting);
    }
}
