package io.keel.ha.lrm;

import io.keel.ha.HaConfig;
import io.keel.ha.HaEvent;
import io.keel.ha.LocalInstance;
import io.keel.ha.LrmEnvironment;
import io.keel.ha.LrmReport;
import io.keel.ha.LrmReport.Outcome;
import io.keel.ha.ManagerStatus;
import io.keel.ha.ResourceSpec;
import io.keel.ha.ResourceState;
import io.keel.ha.ResourceStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The local resource manager of one node: makes the node's instances match what the manager
 * status assigns to it, restarts local failures up to {@link HaConfig#maxRestart}, and self-fences
 * (kills every HA instance) when the node has been cut off from the metadata majority for
 * {@link HaConfig#selfFenceTimeout}. It acts only on a status read from the majority, so a cut-off
 * node never starts anything. What it remembers (restart counts, migrations it began) is lost
 * with the process, which is safe: a new LRM sees the instances and starts from the status.
 */
public final class LocalResourceManager {
    private final LrmEnvironment env;
    private final HaConfig config;
    private final String node;
    /** Restarts per resource, for the decision (uid) that put it here. */
    private final Map<String, Attempts> attempts = new HashMap<>();
    /** Migrations this LRM started, by resource, with the decision they answer. */
    private final Map<String, Long> migrating = new HashMap<>();
    /**
     * What this cut-off already self-fenced and said so. A killed VM stays listed (failed) until
     * its node hears the majority again, so without this every step would announce the same
     * self-fence again: one event a second for as long as the partition lasts.
     */
    private final TreeSet<String> fenced = new TreeSet<>();

    /** Restarts of one placement (uid) since {@code since}, its last start. */
    private record Attempts(long uid, int restarts, boolean gaveUp, Instant since) {}

    public LocalResourceManager(LrmEnvironment env, HaConfig config) {
        this.env = Objects.requireNonNull(env, "env");
        this.config = Objects.requireNonNull(config, "config");
        this.node = env.node();
    }

    public void step() {
        Instant now = env.now();
        Map<String, LocalInstance> local = env.instances();
        if (!env.hasMajority()) {
            selfFenceIfDue(now, local);
            return;
        }
        fenced.clear();
        Optional<ManagerStatus> read = env.readStatus();
        if (read.isEmpty()) {
            return;
        }
        ManagerStatus status = read.get();
        Map<String, ResourceSpec> specs = env.resources();
        TreeSet<String> ids = new TreeSet<>(status.resources().keySet());
        ids.addAll(local.keySet());
        for (String id : ids) {
            ResourceStatus rs = status.resources().get(id);
            LocalInstance inst = local.get(id);
            if (rs == null) {
                continue; // no longer an HA resource: not ours to touch
            }
            if (!node.equals(rs.node())) {
                boolean incoming = rs.state() == ResourceState.MIGRATE && node.equals(rs.target());
                if (incoming) {
                    incoming(id, rs, inst);
                } else if (inst != null) {
                    // A copy the status does not place here (a migration that completed as its
                    // source was lost): it must go before the resource is recovered elsewhere.
                    kill(now, id, "assigned to " + rs.node());
                }
                continue;
            }
            switch (rs.state()) {
                case STARTED -> started(now, id, rs, inst, specs.get(id));
                case REQUEST_STOP -> ensureStopped(now, id, rs, inst, "stop requested");
                case RELOCATE -> ensureStopped(now, id, rs, inst, "relocating to " + rs.target());
                case STOPPED -> ensureStopped(now, id, rs, inst, "stopped in the status");
                case FREEZE -> ensureStopped(now, id, rs, inst, "frozen for shutdown");
                case MIGRATE -> migrateOut(now, id, rs, inst);
                case ERROR, RECOVERY -> {
                    if (inst != null) {
                        kill(now, id, rs.state().label());
                    }
                }
                case FENCE -> { } // the CRM thinks this node is lost; it will say what next
            }
        }
        attempts.keySet().retainAll(status.resources().keySet());
        migrating.keySet().retainAll(status.resources().keySet());
    }

    private void selfFenceIfDue(Instant now, Map<String, LocalInstance> local) {
        Instant contact = env.lastMajorityContact();
        if (local.isEmpty() || Duration.between(contact, now).compareTo(config.selfFenceTimeout()) < 0) {
            return;
        }
        // Killed again at every step, which costs nothing: whatever appeared since must not run.
        List<String> killed = new ArrayList<>(new TreeSet<>(local.keySet()));
        killed.forEach(env::kill);
        if (fenced.addAll(killed)) {
            env.emit(new HaEvent.SelfFenced(now, node, contact, killed));
        }
    }

    private void started(Instant now, String id, ResourceStatus rs, LocalInstance inst, ResourceSpec spec) {
        Attempts a = attempts.get(id);
        if (a == null || a.uid() != rs.uid()) {
            a = new Attempts(rs.uid(), 0, false, now);
            attempts.put(id, a);
        }
        if (a.gaveUp()) {
            report(id, rs, Outcome.FAILED);
            return;
        }
        if (inst == null) {
            if (spec != null) {
                env.emit(new HaEvent.LocalStart(now, node, id));
                env.start(spec);
            }
            return;
        }
        switch (inst.state()) {
            case RUNNING -> report(id, rs, Outcome.RUNNING);
            case FAILED -> {
                boolean stable = Duration.between(a.since(), now).compareTo(HaConfig.STABLE_RUN) >= 0;
                int restarts = (stable ? 0 : a.restarts()) + 1;
                // A VM paused on an I/O error is alive and holds its leases: killed like a dead one.
                env.kill(id);
                if (restarts <= config.maxRestart() && spec != null) {
                    env.emit(new HaEvent.RestartAttempt(now, node, id, restarts, config.maxRestart(), inst.failure()));
                    env.start(spec);
                    attempts.put(id, new Attempts(rs.uid(), restarts, false, now));
                } else {
                    env.emit(new HaEvent.LocalGaveUp(now, node, id, restarts - 1, inst.failure()));
                    attempts.put(id, new Attempts(rs.uid(), restarts - 1, true, a.since()));
                    report(id, rs, Outcome.FAILED);
                }
            }
            case STARTING, STOPPING, MIGRATING -> { }
        }
    }

    private void ensureStopped(Instant now, String id, ResourceStatus rs, LocalInstance inst, String why) {
        if (inst == null) {
            report(id, rs, Outcome.STOPPED);
            return;
        }
        switch (inst.state()) {
            case RUNNING, STARTING -> {
                env.emit(new HaEvent.LocalStop(now, node, id, false, why));
                env.stop(id);
            }
            case FAILED -> kill(now, id, why);
            case STOPPING, MIGRATING -> { }
        }
    }

    private void migrateOut(Instant now, String id, ResourceStatus rs, LocalInstance inst) {
        Long began = migrating.get(id);
        boolean ours = began != null && began == rs.uid();
        if (inst == null) {
            // Gone from here: moved if we migrated it; otherwise we cannot know, and the CRM asks the target.
            report(id, rs, ours ? Outcome.MIGRATED : Outcome.STOPPED);
            return;
        }
        switch (inst.state()) {
            case RUNNING -> {
                if (ours) {
                    report(id, rs, Outcome.MIGRATE_FAILED);
                } else {
                    env.emit(new HaEvent.LocalMigrate(now, node, id, rs.target()));
                    env.migrate(id, rs.target());
                    migrating.put(id, rs.uid());
                }
            }
            case FAILED, STOPPING -> report(id, rs, Outcome.MIGRATE_FAILED);
            case STARTING, MIGRATING -> { }
        }
    }

    /**
     * The target's word on a migration: it has the instance running (the switch-over happened,
     * whatever the source knows), or has none. The source alone cannot tell a completed migration
     * from a vanished VM once it has forgotten starting one (its process restarted).
     */
    private void incoming(String id, ResourceStatus rs, LocalInstance inst) {
        if (inst == null) {
            report(id, rs, Outcome.STOPPED);
        } else if (inst.state() == LocalInstance.State.RUNNING) {
            report(id, rs, Outcome.MIGRATED);
        }
    }

    private void kill(Instant now, String id, String why) {
        env.emit(new HaEvent.LocalStop(now, node, id, true, why));
        env.kill(id);
    }

    private void report(String id, ResourceStatus rs, Outcome outcome) {
        env.report(new LrmReport(node, id, rs.uid(), outcome, env.now()));
    }
}
