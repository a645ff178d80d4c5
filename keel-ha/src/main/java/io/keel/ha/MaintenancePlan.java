package io.keel.ha;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What evacuating a node would do: where each resource goes and what blocks. Computed by
 * {@link io.keel.ha.crm.MaintenancePlanner} for an API preview before anything changes, and by the
 * CRM when it carries the evacuation out.
 */
public record MaintenancePlan(String node, NodeMode mode, List<Move> moves, List<Blocker> blockers) {
    public enum Action {
        /** Running, moves live. */
        MIGRATE,
        /** Running, cannot move live: stopped here, started there. */
        RELOCATE,
        /** Not running: only its assignment moves. */
        REASSIGN,
        /** Stopped cleanly and started again here when the node is back (graceful shutdown). */
        FREEZE
    }

    /** @param to the destination, or null for {@link Action#FREEZE} */
    public record Move(String resource, Action action, String to) {
        public Move {
            Objects.requireNonNull(resource, "resource");
            Objects.requireNonNull(action, "action");
        }

        @Override
        public String toString() {
            return switch (action) {
                case MIGRATE -> resource + " migrates to " + to;
                case RELOCATE -> resource + " relocates to " + to;
                case REASSIGN -> resource + " (stopped) moves to " + to;
                case FREEZE -> resource + " stops and stays";
            };
        }
    }

    public record Blocker(String resource, String reason) {
        public Blocker {
            Objects.requireNonNull(resource, "resource");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String toString() {
            return resource + " (" + reason + ")";
        }
    }

    public MaintenancePlan {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(mode, "mode");
        moves = List.copyOf(moves);
        blockers = List.copyOf(blockers);
    }

    /** Maintenance is refused while anything blocks; a shutdown stops what it cannot move instead. */
    public boolean refused() {
        return !blockers.isEmpty();
    }

    public String describeMoves() {
        return moves.isEmpty() ? "nothing to move" : moves.stream().map(Move::toString).collect(Collectors.joining(", "));
    }

    public String describeBlockers() {
        return blockers.stream().map(Blocker::toString).collect(Collectors.joining(", "));
    }
}
