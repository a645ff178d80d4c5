package io.keel.ha.crm;

import io.keel.ha.DesiredState;
import io.keel.ha.HaConfig;
import io.keel.ha.HaEvent;
import io.keel.ha.LrmReport;
import io.keel.ha.LrmReport.Outcome;
import io.keel.ha.MaintenancePlan.Action;
import io.keel.ha.MoveCause;
import io.keel.ha.NodeMode;
import io.keel.ha.NodeState;
import io.keel.ha.NodeStatus;
import io.keel.ha.ResourceSpec;
import io.keel.ha.ResourceState;
import io.keel.ha.ResourceStatus;
import io.keel.ha.Strategy;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** The state machine of one resource within a CRM step (ADR 0027 draws it). */
final class ResourceMachine {
    private final CrmStep s;

    ResourceMachine(CrmStep step) {
        this.s = step;
    }

    void step(String id, ResourceSpec spec) {
        ResourceStatus st = s.resources.get(id);
        // An explicit start is consumed once: it releases a hold or an error, then is remembered.
        boolean startRequested = spec.startRequest() > st.startRequest();
        ResourceStatus next = switch (st.state()) {
            case STOPPED -> stopped(id, spec, st, startRequested);
            case STARTED -> started(id, spec, st);
            case REQUEST_STOP -> requestStop(id, spec, st);
            case MIGRATE -> migrate(id, spec, st);
            case RELOCATE -> relocate(id, spec, st);
            case RECOVERY -> spec.desired() == DesiredState.STOPPED ? stop(id, st) : start(id, spec, st);
            case FENCE -> fence(id, spec, st);
            case ERROR -> startRequested ? stopped(id, spec, cleared(st), true) : st;
            case FREEZE -> freeze(id, spec, st, startRequested);
        };
        if (startRequested) {
            next = next.toBuilder().startRequest(spec.startRequest()).build();
        }
        s.resources.put(id, next);
    }

    private Optional<Outcome> report(String id, ResourceStatus st) {
        return s.snapshot.report(st.node(), id, st.uid());
    }

    /**
     * Its node is lost: it may still run there until that node's leases expire. A node can go from
     * online to fenced in one step (the majority came back long after the node went quiet), so
     * every lost state counts, and {@link #fence} runs at once.
     */
    private boolean nodeLost(ResourceStatus st) {
        NodeState ns = s.nodeState(st.node());
        return ns == NodeState.UNKNOWN || ns == NodeState.FENCE || ns == NodeState.FENCED;
    }

    private ResourceStatus toFence(String id, ResourceSpec spec, ResourceStatus st) {
        return fence(id, spec, st.toBuilder().enter(ResourceState.FENCE, s.uid(), s.now).cause(null).build());
    }

    private ResourceStatus stopped(String id, ResourceSpec spec, ResourceStatus st, boolean startRequested) {
        if (spec.desired() != DesiredState.STARTED) {
            return st;
        }
        if (st.hold()) {
            if (!startRequested) {
                if (s.returned.contains(st.node())) {
                    s.emit(new HaEvent.ResourceHeld(s.now, id, st.node()));
                }
                return st;
            }
            st = st.toBuilder().hold(false).build();
        }
        return start(id, spec, st);
    }

    private ResourceStatus cleared(ResourceStatus st) {
        return st.toBuilder().enter(ResourceState.STOPPED, s.uid(), s.now).relocations(0).cause(null).build();
    }

    /**
     * Starts a resource that runs nowhere: on its own node for pinned and failover resources while
     * that node is in the pool (and one of its allowed nodes), elsewhere among its allowed nodes by
     * the relocation mode otherwise; waits with the reason when that is impossible.
     */
    private ResourceStatus start(String id, ResourceSpec spec, ResourceStatus st) {
        ResourceStatus.Builder b = st.toBuilder();
        String own = st.node() != null ? st.node() : spec.node();
        var used = s.used();
        var demand = spec.placementDemand();
        boolean ownAllowed = spec.mayRunOn(own);
        boolean ownUsable = ownAllowed && s.eligible(own) && !(st.cause() == MoveCause.FAILURE
                && st.state() == ResourceState.RECOVERY);
        String target;
        // An auto resource that has a usable node with room (the node the API placed a new VM on,
        // or where it last ran) starts there: the relocation mode chooses only when it must move.
        if (spec.strategy() == Strategy.AUTO && ownUsable && s.placement().fits(own, demand, used)) {
            target = own;
        } else if (spec.strategy() != Strategy.AUTO && ownUsable) {
            if (!s.placement().fits(own, demand, used)) {
                return s.waiting(id, st, b, "no room on " + own + " for " + demand).build();
            }
            target = own;
        } else if (spec.strategy() == Strategy.PINNED) {
            String why = ownAllowed ? describe(own)
                    : "not one of its allowed nodes " + String.join(", ", spec.allowedNodes());
            return s.waiting(id, st, b, "pinned to " + own + ", which is " + why).build();
        } else if (st.state() == ResourceState.STOPPED && ownAllowed && s.settling(own)) {
            // Its node just joined or came back and is still catching up: it is usable within
            // seconds, while starting elsewhere would cost a migration back on top.
            return s.waiting(id, st, b, "waiting for " + own + ", which is " + describe(own)).build();
        } else {
            Set<String> exclude = st.cause() == MoveCause.FAILURE && own != null ? Set.of(own) : Set.of();
            Optional<String> chosen = s.placement().choose(demand, spec.allowedNodes(), exclude, used);
            if (chosen.isEmpty()) {
                return s.waiting(id, st, b, s.placement().noRoomReason(demand, spec.allowedNodes(), exclude)).build();
            }
            target = chosen.get();
        }
        if (st.state() == ResourceState.RECOVERY && st.cause() == MoveCause.NODE_LOST) {
            s.emit(new HaEvent.ResourceRecovering(s.now, id, st.node(), target));
        } else if (st.cause() == MoveCause.FAILURE) {
            s.emit(new HaEvent.ResourceStarting(s.now, id, target, "relocated after failures on " + st.node()));
        } else {
            s.emit(new HaEvent.ResourceStarting(s.now, id, target, "desired started"));
        }
        // Started away from a node that is gone or in maintenance: come back when it is usable.
        // Never to a node outside the allowed set: that is a move away for good.
        String home = st.home();
        if (home == null && ownAllowed && !target.equals(own) && !ownUsable && st.cause() != MoveCause.FAILURE) {
            home = own;
        }
        return b.enter(ResourceState.STARTED, s.uid(), s.now).node(target).home(home).build();
    }

    private String describe(String node) {
        NodeStatus ns = s.nodeStatus(node);
        if (ns == null) {
            return "not in the cluster";
        }
        boolean acting = s.snapshot.node(node).map(io.keel.ha.NodeInfo::acting).orElse(true);
        return switch (ns.state()) {
            case ONLINE -> !acting ? "not acting yet (its local manager is catching up)"
                    : s.snapshot.node(node).map(n -> n.mode() != NodeMode.ACTIVE).orElse(false)
                            ? "leaving the pool" : "not heard within two heartbeats";
            case MAINTENANCE -> "in maintenance";
            default -> ns.state().label();
        };
    }

    private ResourceStatus started(String id, ResourceSpec spec, ResourceStatus st) {
        if (nodeLost(st)) {
            return toFence(id, spec, st);
        }
        Optional<Outcome> outcome = report(id, st);
        if (outcome.equals(Optional.of(Outcome.FAILED))) {
            return failed(id, spec, st);
        }
        if (spec.desired() == DesiredState.STOPPED) {
            s.emit(new HaEvent.ResourceStopping(s.now, id, st.node(), "desired stopped"));
            return st.toBuilder().enter(ResourceState.REQUEST_STOP, s.uid(), s.now).cause(null).build();
        }
        if (outcome.equals(Optional.of(Outcome.RUNNING)) && !st.confirmed()) {
            if (st.lostAt() != null) {
                s.emit(new HaEvent.ResourceRecovered(s.now, id, st.node(), Duration.between(st.lostAt(), s.now)));
            } else {
                s.emit(new HaEvent.ResourceRunning(s.now, id, st.node()));
            }
            return st.toBuilder().confirmed(true).lostAt(null).cause(null).build();
        }
        if (!spec.mayRunOn(st.node())) {
            return leaveDisallowed(id, spec, st);
        }
        if (st.waiting() != null && s.nodeState(st.node()) == NodeState.ONLINE) {
            // A running resource waits only to leave its node (maintenance, a changed allowed
            // set); nothing asks that of it any more, so the reason would only mislead.
            return st.toBuilder().waiting(null).build();
        }
        return st;
    }

    /**
     * Its node is no longer one of its allowed nodes (the administrator changed the set, e.g. the
     * iSCSI target group): it moves to an allowed node. Until one can take it, it keeps running
     * where it is and says why: stopping it would cut the path for certain, while the administrator
     * may be in the middle of bringing the new nodes in.
     */
    private ResourceStatus leaveDisallowed(String id, ResourceSpec spec, ResourceStatus st) {
        if (spec.strategy() == Strategy.PINNED) {
            return s.waiting(id, st, st.toBuilder(), "pinned to " + st.node() + ", which is not one of its allowed nodes "
                    + String.join(", ", spec.allowedNodes()) + ": not moved").build();
        }
        // Live only from a confirmed instance: one still starting is stopped and started there
        // instead, which also keeps a start in flight from finishing on a node it may not use.
        boolean live = spec.kind().liveMigratable() && st.confirmed();
        Set<String> exclude = Set.of(st.node());
        Optional<String> to = s.placement().choose(spec.placementDemand(), spec.allowedNodes(), exclude, s.used());
        if (to.isEmpty() && s.nodeState(st.node()) == NodeState.MAINTENANCE) {
            return st; // the evacuation of its node says why it stays, once: two reasons would alternate
        }
        if (to.isEmpty()) {
            return s.waiting(id, st, st.toBuilder(), "cannot leave " + st.node() + ", which is not allowed: "
                    + s.placement().noRoomReason(spec.placementDemand(), spec.allowedNodes(), exclude)).build();
        }
        s.emit(new HaEvent.ResourceMoving(s.now, id, st.node(), to.get(), live ? Action.MIGRATE : Action.RELOCATE,
                MoveCause.ALLOWED_NODES));
        return st.toBuilder().enter(live ? ResourceState.MIGRATE : ResourceState.RELOCATE, s.uid(), s.now)
                .target(to.get()).cause(MoveCause.ALLOWED_NODES).build();
    }

    /** The LRM gave up restarting it: move it to another node while relocations are left. */
    private ResourceStatus failed(String id, ResourceSpec spec, ResourceStatus st) {
        boolean stable = Duration.between(st.since(), s.now).compareTo(HaConfig.STABLE_RUN) >= 0;
        int relocations = stable ? 0 : st.relocations();
        if (spec.strategy() == Strategy.PINNED || relocations >= s.config.maxRelocate()) {
            String why = spec.strategy() == Strategy.PINNED ? "failed and pinned, so not relocated"
                    : "failed after " + relocations + " relocation" + (relocations == 1 ? "" : "s");
            s.emit(new HaEvent.ResourceError(s.now, id, st.node(), why));
            return st.toBuilder().enter(ResourceState.ERROR, s.uid(), s.now).build();
        }
        ResourceStatus recovering = st.toBuilder().enter(ResourceState.RECOVERY, s.uid(), s.now)
                .cause(MoveCause.FAILURE).relocations(relocations + 1).build();
        return start(id, spec, recovering);
    }

    private ResourceStatus requestStop(String id, ResourceSpec spec, ResourceStatus st) {
        if (nodeLost(st)) {
            return toFence(id, spec, st);
        }
        boolean freezing = st.cause() == MoveCause.SHUTDOWN;
        if (report(id, st).equals(Optional.of(Outcome.STOPPED))) {
            if (freezing) {
                s.emit(new HaEvent.ResourceFrozen(s.now, id, st.node()));
                return st.toBuilder().enter(ResourceState.FREEZE, s.uid(), s.now).build();
            }
            return stop(id, st);
        }
        if (!freezing && spec.desired() == DesiredState.STARTED) {
            s.emit(new HaEvent.ResourceStarting(s.now, id, st.node(), "desired started again"));
            return st.toBuilder().enter(ResourceState.STARTED, s.uid(), s.now).build();
        }
        return st;
    }

    private ResourceStatus stop(String id, ResourceStatus st) {
        s.emit(new HaEvent.ResourceStopped(s.now, id, st.node()));
        return st.toBuilder().enter(ResourceState.STOPPED, s.uid(), s.now).cause(null).lostAt(null).build();
    }

    private ResourceStatus migrate(String id, ResourceSpec spec, ResourceStatus st) {
        if (nodeLost(st)) {
            return toFence(id, spec, st);
        }
        Optional<Outcome> outcome = report(id, st);
        Optional<LrmReport> arrival = s.snapshot.latest(st.target(), id, st.uid());
        if (outcome.equals(Optional.of(Outcome.MIGRATED))
                || arrival.map(LrmReport::outcome).equals(Optional.of(Outcome.MIGRATED))) {
            s.emit(new HaEvent.ResourceMoved(s.now, id, st.node(), st.target(), Duration.between(st.since(), s.now)));
            return st.toBuilder().enter(ResourceState.STARTED, s.uid(), s.now).node(st.target())
                    .home(homeAfterMove(spec, st)).cause(null).confirmed(true).build();
        }
        if (outcome.equals(Optional.of(Outcome.MIGRATE_FAILED))) {
            s.emit(new HaEvent.ResourceMigrationFailed(s.now, id, st.node(), st.target()));
            return st.toBuilder().enter(ResourceState.STARTED, s.uid(), s.now).cause(null).confirmed(true).build();
        }
        if (outcome.equals(Optional.of(Outcome.STOPPED)) && arrival.isPresent()
                && arrival.get().outcome() == Outcome.STOPPED
                && !arrival.get().at().isBefore(s.snapshot.latest(st.node(), id, st.uid()).orElseThrow().at())) {
            // Neither end has it, and the target said so after the source did: no switch-over can
            // still come (it needs the source's instance), so it runs nowhere and starts again here.
            s.emit(new HaEvent.ResourceMigrationFailed(s.now, id, st.node(), st.target()));
            return st.toBuilder().enter(ResourceState.STARTED, s.uid(), s.now).cause(null).build();
        }
        return st;
    }

    /** The node to go back to after a move: none after going back, nor outside the allowed set. */
    private static String homeAfterMove(ResourceSpec spec, ResourceStatus st) {
        if (st.cause() == MoveCause.MIGRATE_BACK) {
            return null;
        }
        String home = st.home() != null ? st.home() : st.node();
        return spec.mayRunOn(home) ? home : null;
    }

    private ResourceStatus relocate(String id, ResourceSpec spec, ResourceStatus st) {
        if (nodeLost(st)) {
            return toFence(id, spec, st);
        }
        if (!report(id, st).equals(Optional.of(Outcome.STOPPED))) {
            return st;
        }
        String from = st.node();
        String to = st.target();
        if (s.eligible(to) && spec.mayRunOn(to)) {
            s.emit(new HaEvent.ResourceStarting(s.now, id, to, "relocated from " + from));
            return st.toBuilder().enter(ResourceState.STARTED, s.uid(), s.now).node(to).home(homeAfterMove(spec, st))
                    .cause(null).build();
        }
        // The target left the pool (or the allowed set) while this stopped: find another.
        return start(id, spec, st.toBuilder().enter(ResourceState.RECOVERY, s.uid(), s.now)
                .home(homeAfterMove(spec, st)).build());
    }

    private ResourceStatus fence(String id, ResourceSpec spec, ResourceStatus st) {
        NodeState node = s.nodeState(st.node());
        if (node == NodeState.ONLINE || node == NodeState.MAINTENANCE) {
            // Back before its leases expired: nothing ran elsewhere, so it carries on where it was.
            s.emit(new HaEvent.ResourceStarting(s.now, id, st.node(), "its node is back"));
            return st.toBuilder().enter(ResourceState.STARTED, s.uid(), s.now).build();
        }
        if (node != NodeState.FENCED) {
            return st;
        }
        if (spec.desired() == DesiredState.STOPPED) {
            return stop(id, st);
        }
        if (spec.strategy() == Strategy.PINNED) {
            s.emit(new HaEvent.ResourceStranded(s.now, id, st.node()));
            return st.toBuilder().enter(ResourceState.STOPPED, s.uid(), s.now).hold(true).build();
        }
        NodeStatus lost = s.nodeStatus(st.node());
        ResourceStatus recovering = st.toBuilder().enter(ResourceState.RECOVERY, s.uid(), s.now)
                .cause(MoveCause.NODE_LOST).lostAt(lost.lastContact()).home(homeAfterMove(spec, st)).build();
        return start(id, spec, recovering);
    }

    private ResourceStatus freeze(String id, ResourceSpec spec, ResourceStatus st, boolean startRequested) {
        if (!spec.mayRunOn(st.node()) && spec.desired() == DesiredState.STARTED) {
            // Its node may no longer run it: waiting for that node to come back is pointless, and
            // a frozen resource was stopped cleanly, so it can start on an allowed node right away.
            return start(id, spec, st.toBuilder().enter(ResourceState.STOPPED, s.uid(), s.now).cause(null).build());
        }
        if (s.eligible(st.node())) {
            if (spec.desired() == DesiredState.STOPPED) {
                return stop(id, st);
            }
            s.emit(new HaEvent.ResourceStarting(s.now, id, st.node(), "its node is back from shutdown"));
            return st.toBuilder().enter(ResourceState.STARTED, s.uid(), s.now).cause(null).build();
        }
        if (startRequested) {
            return start(id, spec, st.toBuilder().enter(ResourceState.STOPPED, s.uid(), s.now).cause(null).build());
        }
        return st;
    }
}
