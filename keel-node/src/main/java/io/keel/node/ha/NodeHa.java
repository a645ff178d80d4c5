package io.keel.node.ha;

import io.keel.ha.HaConfig;
import io.keel.ha.NodeMode;
import io.keel.ha.ResourceState;
import io.keel.ha.ResourceStatus;
import io.keel.ha.crm.ClusterResourceManager;
import io.keel.ha.lrm.LocalResourceManager;
import io.keel.meta.cluster.ClusterCommand;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.Vm;
import io.keel.node.compute.VmAgent;
import io.keel.node.iscsi.LunPaths;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HA engine on one node (ADR 0029): every heartbeat interval the cluster resource manager
 * takes a step when this node is the metadata leader, then the local resource manager takes its
 * step, then reports and events are written. The VM agent asks {@link #mayLaunch} before starting
 * any QEMU, so a VM runs only where the HA status places it and only while this node reaches the
 * majority.
 */
public final class NodeHa {
    private static final Logger log = LoggerFactory.getLogger(NodeHa.class);

    private final String selfId;
    private final Supplier<ClusterState> state;
    private final BooleanSupplier leader;
    private final ClusterEvents events;
    private final MetaCrmEnvironment crmEnv;
    private final VmLrmEnvironment lrmEnv;
    private final ByKindLrmEnvironment localEnv;
    private final HaConfig config;
    private final Clock clock;
    private final AsyncCommands writes;
    private ClusterResourceManager crm;
    private LocalResourceManager lrm;
    /** The process is stopping: its node's mode is the shutdown's business, not {@link #resumeAfterShutdown}'s. */
    private volatile boolean shuttingDown;
    /** The shutdown moved or stopped what it could: no QEMU may start here any more. */
    private volatile boolean launchesStopped;
    /**
     * Whether the last local round acted on the status. Kept rather than asked for: heartbeats and
     * the manager read it, and must never wait on what deciding it may take (a node without a
     * replica of its own reads the leader's).
     */
    private volatile boolean acting;

    /** Everything the engine reads of this node. */
    public record Wiring(String selfId, Supplier<ClusterState> state, Consumer<ClusterCommand> submit,
            BooleanSupplier leader, BooleanSupplier quorum, MajorityContact contact,
            Function<String, Optional<Instant>> lastHeard, Predicate<String> othersActing, Instant monitorStart,
            ClusterEvents events, Clock clock, Supplier<ClusterState> leaderState) {
        public Wiring {
            Objects.requireNonNull(selfId, "selfId");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(submit, "submit");
            Objects.requireNonNull(leader, "leader");
            Objects.requireNonNull(quorum, "quorum");
            Objects.requireNonNull(contact, "contact");
            Objects.requireNonNull(lastHeard, "lastHeard");
            Objects.requireNonNull(othersActing, "othersActing");
            Objects.requireNonNull(monitorStart, "monitorStart");
            Objects.requireNonNull(events, "events");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(leaderState, "leaderState");
        }
    }

    public NodeHa(Wiring w, HaConfig config, VmAgent agent, LunPaths luns) {
        Objects.requireNonNull(w, "wiring");
        this.config = Objects.requireNonNull(config, "config");
        this.selfId = w.selfId();
        this.state = w.state();
        this.leader = w.leader();
        this.events = w.events();
        this.crmEnv = new MetaCrmEnvironment(selfId, state, w.submit(), w.lastHeard(),
                id -> id.equals(selfId) ? acting() : w.othersActing().test(id), w.monitorStart(), config.leaseTtl(),
                events, w.clock());
        // In contact, and acting on a replica that has caught up (ADR 0031): the local step and the
        // VM agent's launches read the local replica, which lags after a partition.
        ReplicaCatchUp catchUp = new ReplicaCatchUp(() -> ReplicaCatchUp.statusVersion(state.get()),
                () -> ReplicaCatchUp.statusVersion(w.leaderState().get()), Thread::startVirtualThread);
        BooleanSupplier quorum = w.quorum();
        BooleanSupplier inContact = () -> quorum.getAsBoolean()
                && java.time.Duration.between(w.contact().last(), w.clock().instant())
                        .compareTo(config.selfFenceTimeout()) < 0;
        this.lrmEnv = new VmLrmEnvironment(selfId, state, w.submit(), () -> catchUp.caughtUp(inContact.getAsBoolean()),
                w.contact(), config.selfFenceTimeout(), agent, events, w.clock());
        this.localEnv = new ByKindLrmEnvironment(lrmEnv, new VipHands(selfId, HostCommands.processes(VIP_COMMAND_TIMEOUT),
                events::emit, Thread::startVirtualThread, w.clock()), luns);
        this.writes = new AsyncCommands(w.submit(), AsyncCommands::defaultKey);
        this.clock = w.clock();
    }

    /** The process is stopping (ADR 0030): from now on the node's shutdown mode stays as it is. */
    public void beginShutdown() {
        shuttingDown = true;
    }

    /** The graceful shutdown is past moving VMs: nothing starts here any more. */
    public void stopLaunching() {
        shuttingDown = true;
        launchesStopped = true;
    }

    /**
     * A node that comes back from a graceful shutdown is active again: the manager then starts
     * what it froze here and, with migrate-back, brings back what it moved away. Written in the
     * background, like every write of the local side.
     */
    private void resumeAfterShutdown() {
        if (shuttingDown || !lrmEnv.hasMajority()) {
            return;
        }
        ClusterState s = lrmEnv.current();
        if (s != null && s.nodeMode(selfId) == NodeMode.SHUTDOWN) {
            writes.accept(new ClusterCommand.SetNodeMode(selfId, NodeMode.ACTIVE, clock.instant()));
        }
    }

    /** An {@code ip} or {@code arping} that takes longer is stuck; the local step must go on. */
    private static final java.time.Duration VIP_COMMAND_TIMEOUT = java.time.Duration.ofSeconds(5);

    /**
     * The manager's step, on the leader only. Its own task: a save can block for the Raft request
     * timeout, which must never hold up the local step and its self-fence.
     */
    public void managerRound() {
        synchronized (crmEnv) {
            if (!leader.getAsBoolean()) {
                crm = null;
                return;
            }
            if (crm == null) {
                crm = new ClusterResourceManager(crmEnv, () -> crmEnv.config(config));
            }
            try {
                crmEnv.begin();
                crm.step();
            } catch (RuntimeException e) {
                log.info("HA manager step not completed: {}", e.getMessage());
            }
        }
        events.flushInBackground();
    }

    /** The local step: reads and kills only; its writes go out in the background. */
    public void localRound() {
        synchronized (lrmEnv) {
            if (lrm == null) {
                lrm = new LocalResourceManager(localEnv, config);
            }
            try {
                localEnv.begin();
                acting = lrmEnv.hasMajority();
                lrm.step();
                lrmEnv.flush();
                resumeAfterShutdown();
            } catch (RuntimeException e) {
                acting = false;
                log.info("HA local step not completed: {}", e.getMessage());
            }
        }
        events.flushInBackground();
    }

    /**
     * Whether this node's local resource manager acts on the status, as its last round found: in
     * contact with the majority, its replica caught up, and not past a shutdown's last move. Said in every
     * heartbeat, so the manager places nothing new here while it does not (ADR 0031).
     */
    public boolean acting() {
        return acting && !launchesStopped;
    }

    /** Whether the VM agent may start this VM's QEMU here now. */
    public boolean mayLaunch(Vm vm) {
        if (launchesStopped || !lrmEnv.hasMajority()) {
            return false;
        }
        ResourceStatus rs = state.get().haStatus()
                .map(r -> r.status().resources().get(HaResources.resourceId(vm.id()))).orElse(null);
        return rs != null && rs.state() == ResourceState.STARTED && selfId.equals(rs.node());
    }
}
