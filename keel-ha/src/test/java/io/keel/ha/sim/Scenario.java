package io.keel.ha.sim;

import io.keel.ha.Capacity;
import io.keel.ha.HaConfig;
import io.keel.ha.ResourceSpec;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** A parsed scenario: the cluster at time 0, the timed actions and how long to run. */
public record Scenario(HaConfig config, Timing timing, List<Node> nodes, List<ResourceSpec> resources,
        List<Timed> actions, Duration runFor) {

    /** How long the simulated machinery takes. */
    public record Timing(Duration vmStart, Duration vipStart, Duration migrate, Duration stop) {
        public static Timing defaults() {
            return new Timing(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1));
        }
    }

    /** @param meta whether the node is a member of the metadata (Raft) group */
    public record Node(String name, Capacity capacity, boolean meta) {}

    /** An action at a virtual time; {@code text} is the line as written, for the log. */
    public record Timed(Duration at, Action action, String text) {}

    public sealed interface Action {
        record Kill(String node) implements Action {}

        record Restart(String node) implements Action {}

        /**
         * The node's LRM takes no step (or resumes) while its heartbeats still reach the leader, as
         * a node does while its metadata replica catches up after a partition (ADR 0031).
         */
        record Stall(String node, boolean stalled) implements Action {}

        record Partition(List<Set<String>> groups) implements Action {}

        record Heal() implements Action {}

        record MaintenanceEnter(String node) implements Action {}

        record MaintenanceLeave(String node) implements Action {}

        record Shutdown(String node) implements Action {}

        record SetCapacity(String node, Capacity capacity) implements Action {}

        record Start(String resource) implements Action {}

        record Stop(String resource) implements Action {}

        /** QEMU dies. */
        record Crash(String resource) implements Action {}

        /** QEMU pauses the VM on an I/O error: alive, holding its leases, running nothing. */
        record IoError(String resource) implements Action {}

        record AddResource(ResourceSpec spec) implements Action {}

        /** The administrator changes the nodes a resource may run on; empty means any node. */
        record SetAllowed(String resource, Set<String> nodes) implements Action {}
    }

    public Scenario {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(timing, "timing");
        nodes = List.copyOf(nodes);
        resources = List.copyOf(resources);
        actions = List.copyOf(actions);
        Objects.requireNonNull(runFor, "runFor");
    }
}
