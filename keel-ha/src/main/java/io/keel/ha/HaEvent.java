package io.keel.ha;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * Everything the engine decides or observes, with the (virtual or real) time it happened. These
 * feed the cluster events API and CLI; {@link #describe} is the one-line text both show, given
 * how to print an instant.
 */
public sealed interface HaEvent {
    Instant at();

    String describe(Function<Instant, String> time);

    // ---- cluster resource manager ------------------------------------------------------------

    /** A CRM took over on {@code node}; {@code resumed} when it carried on from a persisted status. */
    record ManagerActive(Instant at, String node, boolean resumed) implements HaEvent {
        public String describe(Function<Instant, String> time) {
            return "manager active on " + node + (resumed ? ", resuming the persisted status" : ", fresh status");
        }
    }

    record NodeLost(Instant at, String node, Instant lastContact) implements HaEvent {
        public String describe(Function<Instant, String> time) {
            return "node " + node + " lost: no heartbeat since " + time.apply(lastContact);
        }
    }

    record NodeFencing(Instant at, String node, Instant leasesExpireAt, List<String> resources) implements HaEvent {
        public String describe(Function<Instant, String> time) {
            return "node " + node + " fencing: its leases expire at " + time.apply(leasesExpireAt) + "; it may still run "
                    + String.join(", ", resources);
        }
    }

    record NodeFenced(Instant at, String node, Duration sinceLastContact) implements HaEvent {
        public String describe(Function<Instant, String> time) {
            return "node " + node + " fenced: its leases expired " + seconds(sinceLastContact) + " after its last contact";
        }
    }

    record NodeBack(Instant at, String node, NodeState was) implements HaEvent {
        public String describe(Function<Instant, String> time) {
            return "node " + node + " back online (was " + was.label() + ")";
        }
    }

    record MaintenanceStarted(Instant at, MaintenancePlan plan) implements HaEvent {
        public String describe(Function<Instant, String> time) {
            String what = plan.mode() == NodeMode.SHUTDOWN ? "shutting down" : "entering maintenance";
            return "node " + plan.node() + " " + what + ": " + plan.describeMoves()
                    + (plan.blockers().isEmpty() ? "" : "; stays: " + plan.describeBlockers());
        }
    }

    /** Maintenance refused (by the API preview) or held up (by the CRM) while something blocks. */
    record MaintenanceBlocked(Instant at, String node, List<MaintenancePlan.Blocker> blockers) implements HaEvent {
        public String describe(Function<Instant, String> time) {
            return "node " + node + " maintenance refused, blocked by "
                    + String.join(", ", blockers.stream().map(MaintenancePlan.Blocker::toString).toList());
        }
    }

    record MaintenanceComplete(Instant at, String node) implements HaEvent {
        public String describe(Function<Instant, String> time) {
            return "node " + node + " evacuated";
        }
    }

    record MaintenanceLeft(Instant at, String node) implements HaEvent {
        public String describe(Function<Instant, String> time) {
            return "node " + node + " out of maintenance, back in the pool";
        }
    }

    record ResourceStarting(Instant at, String resource, String node, String why) implements HaEvent {
        public String describe(Function<Instant, String> time) {
            return resource + " starting on " + node + " (" + why + ")";
        }
    }

    record ResourceRecovering(Instant at, String resource, String from, String to) implements HaEvent {
        public String describe(Function<Instant, String> time) {
            return from.equals(to) ? resource + " recovering on " + to + ", its node is back"
                    : resource + " recovering from " + from + " on " + to;
        }
    }

    record ResourceRunning(Instant at, String resource, String node) implements HaEvent {
        public String describe(Function<Instant, String> time) {
            return resource + " running on " + node;
        }
    }

    /** Running again after its node was lost; {@code afterLoss} counts from that node's last contact. */
    record ResourceRecovered(Instant at, String resource, String node, Duration afterLoss) implements HaEvent {
        public String describe(Function<Instant, String> time) {
            return resource + " recovered on " + node + ", running " + seconds(afterLoss) + " after its node's last contact";
        }
    }

    record ResourceWaiting(Instant at, String resource, String reason) implements HaEvent {
        public String describe(Function<Instant, String> time) {
            return resource + " waiting: " + reason;
        }
    }

    record ResourceStopping(Instant at, String resource, String node, String why) implements HaEvent {
        public String describe(Function<Instant, String> time) {
            return resource + " stopping on " + node + " (" + why + ")";
        }
    }

    record ResourceStopped(Instant at, String resource, String node) implements HaEvent {
        public String describe(Function<Instant, String> time) {
            return resource + " stopped on " + node;
        }
    }

    record ResourceMoving(Instant at, String resource, String from, String to, MaintenancePlan.Action action,
            MoveCause cause) implements HaEvent {
        public String describe(Function<Instant, String> time) {
            String verb = switch (action) {
                case MIGRATE -> "migrating";
                case RELOCATE -> "relocating";
                case REASSIGN -> "moving (stopped)";
                case FREEZE -> "freezing";
            };
            return resource + " " + verb + " from " + from + " to " + to + " (" + cause.label() + ")";
        }
    }

    record ResourceMoved(Instant at, String resource, String from, String to, Duration took) implements HaEvent {
        public String describe(Function<Instant, String> time) {
            return resource + " moved from " + from + " to " + to + " in " + seconds(took);
        }
    }

    record ResourceMigrationFailed(Instant at, String resource, String from, String to) implements HaEvent {
        public String describe(Function<Instant, String> time) {
            return resource + " migration from " + from + " to " + to + " failed, it stays on " + from;
        }
    }

    /** A pinned resource whose node is lost: not moved, by design. */
    record ResourceStranded(Instant at, String resource, String node) implements HaEvent {
        public String describe(Function<Instant, String> time) {
            return resource + " pinned to lost node " + node + ": not recovered elsewhere";
        }
    }

    /** A pinned resource whose node returned: kept stopped until someone starts it. */
    record ResourceHeld(Instant at, String resource, String node) implements HaEvent {
        public String describe(Function<Instant, String> time) {
            return resource + " stays stopped on " + node + " until started by hand";
        }
    }

    record ResourceFrozen(Instant at, String resource, String node) implements HaEvent {
        public String describe(Function<Instant, String> time) {
            return resource + " frozen on " + node + " until it is back";
        }
    }

    record ResourceError(Instant at, String resource, String node, String reason) implements HaEvent {
        public String describe(Function<Instant, String> time) {
            return resource + " in error on " + node + ": " + reason;
        }
    }

    // ---- local resource managers -------------------------------------------------------------

    record SelfFenced(Instant at, String node, Instant lastContact, List<String> killed) implements HaEvent {
        public String describe(Function<Instant, String> time) {
            return "node " + node + " self-fenced: no majority since " + time.apply(lastContact) + ", killed "
                    + String.join(", ", killed);
        }
    }

    record LocalStart(Instant at, String node, String resource) implements HaEvent {
        public String describe(Function<Instant, String> time) {
            return node + " starts " + resource;
        }
    }

    record LocalStop(Instant at, String node, String resource, boolean kill, String why) implements HaEvent {
        public String describe(Function<Instant, String> time) {
            return node + (kill ? " kills " : " stops ") + resource + " (" + why + ")";
        }
    }

    record LocalMigrate(Instant at, String node, String resource, String target) implements HaEvent {
        public String describe(Function<Instant, String> time) {
            return node + " migrates " + resource + " to " + target;
        }
    }

    /** A local failure: a QEMU that died, or a VM QEMU paused on an I/O error. */
    record RestartAttempt(Instant at, String node, String resource, int attempt, int max, String cause)
            implements HaEvent {
        public String describe(Function<Instant, String> time) {
            return node + " restarts " + resource + " (" + cause + "), attempt " + attempt + " of " + max;
        }
    }

    record LocalGaveUp(Instant at, String node, String resource, int restarts, String cause) implements HaEvent {
        public String describe(Function<Instant, String> time) {
            return node + " gives up on " + resource + " (" + cause + ") after " + restarts + " restart"
                    + (restarts == 1 ? "" : "s");
        }
    }

    /** A duration as events print it: whole seconds, or tenths when it has a fraction. */
    static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
    }
}
