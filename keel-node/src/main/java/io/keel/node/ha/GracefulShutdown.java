package io.keel.node.ha;

import io.keel.ha.NodeMode;
import io.keel.ha.NodeState;
import io.keel.meta.cluster.ClusterCommand;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.ComputeCluster;
import io.keel.meta.cluster.HaSettings;
import io.keel.meta.cluster.Vm;
import io.keel.node.compute.VmAgent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a node does with its VMs when its process is asked to stop (SIGTERM: {@code keel down},
 * systemd), before anything else closes (ADR 0030). It marks itself shutting down, so the HA
 * manager evacuates it like maintenance (live migration to the nodes that stay) and does not count
 * it as lost when it goes quiet; it waits until its QEMUs are gone, at most the cluster's shutdown
 * timeout. What is left then, or at once when no other node can take anything (the whole cluster
 * is going down), is stopped cleanly here: power button, then quit. A stopped VM keeps its desired
 * power and starts again where the status places it when the node is back.
 */
public final class GracefulShutdown {
    private static final Logger log = LoggerFactory.getLogger(GracefulShutdown.class);
    private static final Duration POLL = Duration.ofMillis(250);
    /** How long a guest gets for the power button here: {@code keel down} gives a node 30 s in all. */
    static final Duration POWER_OFF_WAIT = Duration.ofSeconds(10);
    /** A write that cannot get through in this long will not: the majority is going down too. */
    private static final Duration WRITE_WAIT = Duration.ofSeconds(3);

    private final String selfId;
    private final Supplier<ClusterState> state;
    private final Consumer<ClusterCommand> submit;
    private final VmAgent agent;
    private final Predicate<String> alive;
    private final Runnable stopLaunching;
    private final Clock clock;

    /**
     * @param alive         whether another node is heard now (it could take a VM)
     * @param stopLaunching from here on this node starts no QEMU, whatever the status says
     */
    public GracefulShutdown(String selfId, Supplier<ClusterState> state, Consumer<ClusterCommand> submit,
            VmAgent agent, Predicate<String> alive, Runnable stopLaunching, Clock clock) {
        this.selfId = Objects.requireNonNull(selfId, "selfId");
        this.state = Objects.requireNonNull(state, "state");
        this.submit = Objects.requireNonNull(submit, "submit");
        this.agent = Objects.requireNonNull(agent, "agent");
        this.alive = Objects.requireNonNull(alive, "alive");
        this.stopLaunching = Objects.requireNonNull(stopLaunching, "stopLaunching");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Returns once no QEMU of this node runs any more (or after a bounded wait for the last ones). */
    public void run() {
        if (agent.live().isEmpty()) {
            stopLaunching.run();
            return;
        }
        Instant start = clock.instant();
        ClusterState s = read();
        Duration timeout = Duration.ofSeconds(s == null ? HaSettings.DEFAULTS.shutdownTimeoutSeconds()
                : s.haSettings().shutdownTimeoutSeconds());
        if (s != null && takers(s) && write(new ClusterCommand.SetNodeMode(selfId, NodeMode.SHUTDOWN, start))) {
            log.info("shutting down: moving {} VM(s) to other nodes, for at most {} s", agent.live().size(),
                    timeout.toSeconds());
            Instant deadline = start.plus(timeout);
            while (clock.instant().isBefore(deadline)) {
                ClusterState now = read();
                if (now == null || !takers(now) || evacuated(now) && agent.live().isEmpty()) {
                    break;
                }
                sleep(POLL);
            }
        }
        stopLaunching.run();
        Set<String> left = agent.live();
        if (left.isEmpty()) {
            log.info("shutting down: every VM left this node in {} ms",
                    Duration.between(start, clock.instant()).toMillis());
            return;
        }
        log.info("shutting down: no node takes {} VM(s): stopping them cleanly here", left.size());
        powerOff(left, s);
    }

    /**
     * The manager has seen every move complete. Gone from the agent is not enough: a node that
     * goes quiet while the status still has a migration from it is a lost node to the manager.
     */
    private boolean evacuated(ClusterState s) {
        return s.haStatus().map(r -> r.status().nodes().get(selfId))
                .map(ns -> ns.state() == NodeState.MAINTENANCE && ns.evacuated()).orElse(false);
    }

    /** Another compute node that is active and heard from: someone the manager can move VMs to. */
    private boolean takers(ClusterState s) {
        List<String> compute = s.computeCluster().map(ComputeCluster::nodeIds).orElse(List.of());
        return compute.stream().anyMatch(id -> !id.equals(selfId) && s.nodeMode(id) == NodeMode.ACTIVE
                && alive.test(id));
    }

    private void powerOff(Set<String> vmIds, ClusterState s) {
        List<Thread> stopping = new ArrayList<>();
        for (String id : vmIds) {
            Vm vm = s == null ? null : s.vm(id).orElse(null);
            if (vm == null) {
                agent.kill(id, "node shutting down, VM record unreadable");
                continue;
            }
            agent.powerOff(vm, POWER_OFF_WAIT).ifPresent(stopping::add);
        }
        // The power button, then QMP quit (10 s), then SIGKILL: never longer than that in all.
        long until = System.nanoTime() + POWER_OFF_WAIT.plusSeconds(12).toNanos();
        for (Thread t : stopping) {
            try {
                t.join(Duration.ofNanos(Math.max(1, until - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (String id : agent.live()) {
            agent.kill(id, "node shutting down: did not stop in time");
        }
    }

    private ClusterState read() {
        try {
            return CompletableFuture.supplyAsync(state, r -> Thread.ofVirtual().start(r))
                    .get(WRITE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.info("shutting down: the cluster state cannot be read: {}", e.toString());
            return null;
        }
    }

    private boolean write(ClusterCommand c) {
        try {
            CompletableFuture.runAsync(() -> submit.accept(c), r -> Thread.ofVirtual().start(r))
                    .get(WRITE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            log.info("shutting down: {} not written: {}", c.getClass().getSimpleName(), e.toString());
            return false;
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
