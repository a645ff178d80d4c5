package io.keel.meta.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/**
 * Compares what the chunk maps say with what the chunk services hold: a replica whose service
 * answers that it has no such chunk has lost it (a wiped or replaced disk) and must be rebuilt; a
 * replica behind the map's version missed a version raise (its writer died in between; the next
 * writer raises it); one ahead of the map is a leftover of an interrupted change. Pure: the
 * caller supplies the stored versions, so this runs in tests without services.
 */
public final class ReplicaAudit {
    /** What was found wrong with one replica of one chunk. */
    public record Finding(String volumeId, long index, ChunkReplica replica, Kind kind, long mapVersion,
            long storedVersion) {
        public enum Kind { MISSING, BEHIND, AHEAD }

        public Finding {
            Objects.requireNonNull(volumeId, "volumeId");
            Objects.requireNonNull(replica, "replica");
            Objects.requireNonNull(kind, "kind");
        }
    }

    /** Replicas asked and what was wrong; a replica whose service could not be asked is not counted. */
    public record Report(long replicasChecked, List<Finding> findings) {
        public Report {
            findings = List.copyOf(findings);
        }

        public long count(Finding.Kind kind) {
            return findings.stream().filter(f -> f.kind() == kind).count();
        }
    }

    private ReplicaAudit() {}

    /**
     * The copies {@code findings} found missing from their disks, as the repair planner's
     * {@code absent} test for one volume: a finding counts only while the chunk's map still has the
     * version it was made against (a later change of the map may have dealt with it already).
     */
    public static BiPredicate<ChunkRecord, ChunkReplica> absent(String volumeId, List<Finding> findings) {
        Objects.requireNonNull(volumeId, "volumeId");
        List<Finding> mine = findings.stream()
                .filter(f -> f.kind() == Finding.Kind.MISSING && f.volumeId().equals(volumeId)).toList();
        return (chunk, replica) -> mine.stream().anyMatch(f -> f.index() == chunk.index()
                && f.mapVersion() == chunk.version() && f.replica().equals(replica));
    }

    /**
     * @param reachable whether the replica's service should be asked (its node is alive)
     * @param stored    the version a service holds for (storage id, index), empty when it has no
     *                  such chunk; throws when the service cannot answer
     */
    public static Report run(ClusterState state, Predicate<ChunkReplica> reachable,
            BiFunction<ChunkReplica, ChunkRecord, Optional<Long>> stored) {
        Objects.requireNonNull(state, "state");
        long checked = 0;
        List<Finding> findings = new ArrayList<>();
        for (Volume v : state.allVolumeRecords()) {
            for (ChunkRecord r : state.chunks(v.id())) {
                for (ChunkReplica replica : r.replicas()) {
                    if (!reachable.test(replica)) {
                        continue;
                    }
                    Optional<Long> version;
                    try {
                        version = stored.apply(replica, r);
                    } catch (RuntimeException e) {
                        continue;
                    }
                    checked++;
                    if (version.isEmpty()) {
                        findings.add(new Finding(v.id(), r.index(), replica, Finding.Kind.MISSING, r.version(), 0));
                    } else if (version.get() < r.version()) {
                        findings.add(new Finding(v.id(), r.index(), replica, Finding.Kind.BEHIND, r.version(),
                                version.get()));
                    } else if (version.get() > r.version()) {
                        findings.add(new Finding(v.id(), r.index(), replica, Finding.Kind.AHEAD, r.version(),
                                version.get()));
                    }
                }
            }
        }
        return new Report(checked, findings);
    }
}
