package io.keel.node.ha;

import io.keel.ha.HaEvent;
import io.keel.ha.LocalInstance;
import io.keel.ha.LrmEnvironment;
import io.keel.ha.LrmReport;
import io.keel.ha.ManagerStatus;
import io.keel.ha.ResourceSpec;
import io.keel.ha.ResourceStatus;
import io.keel.meta.cluster.ClusterCommand;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.HaStatusRecord;
import io.keel.meta.cluster.Vm;
import io.keel.node.compute.VmAgent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's local resource manager's world (ADR 0029): the VM agent is its hands. The agent
 * starts and stops QEMU as the VM records say, and starts one only when the HA status places the
 * VM on this node ({@link #mayLaunch}); this environment adds what the records cannot say: take
 * a VM the status moved here ({@link ClusterCommand.PlaceHaVm}), kill a QEMU now, let a failed
 * VM start again, begin a live migration the manager ordered, and report with decision ids.
 */
final class VmLrmEnvironment implements LrmEnvironment {
    private static final Logger log = LoggerFactory.getLogger(VmLrmEnvironment.class);

    private final String selfId;
    private final Supplier<ClusterState> state;
    private final AsyncCommands submit;
    private final BooleanSupplier quorum;
    private final MajorityContact contact;
    private final Duration selfFenceTimeout;
    private final VmAgent agent;
    private final ClusterEvents events;
    private final Clock clock;
    private final Map<String, LrmReport> reported = new HashMap<>();
    private final List<LrmReport> unsent = new ArrayList<>();
    /** The decision each resource's start was last announced for. */
    private final Map<String, Long> announcedStarts = new HashMap<>();
    private ClusterState current;

    VmLrmEnvironment(String selfId, Supplier<ClusterState> state, Consumer<ClusterCommand> submit,
            BooleanSupplier quorum, MajorityContact contact, Duration selfFenceTimeout, VmAgent agent,
            ClusterEvents events, Clock clock) {
        this.selfId = Objects.requireNonNull(selfId, "selfId");
        this.state = Objects.requireNonNull(state, "state");
        this.submit = new AsyncCommands(Objects.requireNonNull(submit, "submit"), AsyncCommands::defaultKey);
        this.quorum = Objects.requireNonNull(quorum, "quorum");
        this.contact = Objects.requireNonNull(contact, "contact");
        this.selfFenceTimeout = Objects.requireNonNull(selfFenceTimeout, "selfFenceTimeout");
        this.agent = Objects.requireNonNull(agent, "agent");
        this.events = Objects.requireNonNull(events, "events");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Reads the state for the coming step. Cut off from the majority it keeps the last one: a
     * remote read could block for the request timeout, and the self-fence needs none.
     */
    void begin() {
        if (current == null || hasMajority()) {
            current = state.get();
        }
    }

    /** The state this step acts on (the last one read with the majority). */
    ClusterState current() {
        return current;
    }

    @Override
    public String node() {
        return selfId;
    }

    @Override
    public Instant now() {
        return clock.instant();
    }

    /**
     * The quorum view of the heartbeats, and a recent certain contact: a node whose writes stopped
     * being acknowledged is cut off even while heartbeats still reach it.
     */
    @Override
    public boolean hasMajority() {
        return quorum.getAsBoolean() && Duration.between(contact.last(), now()).compareTo(selfFenceTimeout) < 0;
    }

    @Override
    public Instant lastMajorityContact() {
        return contact.last();
    }

    @Override
    public Optional<ManagerStatus> readStatus() {
        return hasMajority() ? current.haStatus().map(HaStatusRecord::status) : Optional.empty();
    }

    @Override
    public Map<String, ResourceSpec> resources() {
        return HaResources.specs(current);
    }

    @Override
    public Map<String, LocalInstance> instances() {
        Map<String, LocalInstance> out = new HashMap<>();
        agent.instances().forEach((vmId, i) -> {
            Optional<Vm> vm = current.vm(vmId);
            if (vm.isPresent() && !vm.get().nodeId().equals(selfId)) {
                // The target's QEMU of a live migration before the switch-over: the migration's
                // business, not a copy to kill. (A VM moved away is evicted by the agent itself.)
                return;
            }
            String id = HaResources.resourceId(vmId);
            // The record is fresher than the agent's last round: a migration begun in the last
            // step is under way, not a running instance that failed to leave.
            boolean moving = i.state() == LocalInstance.State.RUNNING && vm.map(Vm::migrating).orElse(false);
            out.put(id, moving ? new LocalInstance(id, LocalInstance.State.MIGRATING, null)
                    : new LocalInstance(id, i.state(), i.failure()));
        });
        return out;
    }

    @Override
    public void start(ResourceSpec resource) {
        String vmId = HaResources.vmId(resource.id()).orElseThrow();
        Optional<Vm> vm = current.vm(vmId);
        if (vm.isEmpty()) {
            return;
        }
        if (vm.get().nodeId().equals(selfId)) {
            agent.restart(vmId);
            return;
        }
        uid(resource.id()).ifPresent(uid -> {
            submit.run(new ClusterCommand.PlaceHaVm(vmId, selfId, uid),
                    () -> log.info("VM {} taken over by this node (HA decision {})", vm.get().name(), uid),
                    e -> log.warn("VM {}: cannot take it over yet: {}", vm.get().name(), e.getMessage()));
        });
    }

    /**
     * Usually nothing: a VM's clean stop is its desired power (the administrator's stop, or the
     * status apply that holds a stranded pinned VM), which the VM agent carries out; killing here
     * would cut the guest's shutdown short. A failed VM is killed through {@link #kill}. The one
     * exception is a VM frozen for its node's graceful shutdown (ADR 0030): it must stop with its
     * desired power still running, so it starts again when the node is back.
     */
    @Override
    public void stop(String resource) {
        Optional<ResourceStatus> rs = current.haStatus().map(r -> r.status().resources().get(resource));
        Optional<Vm> vm = HaResources.vmId(resource).flatMap(current::vm);
        if (rs.isPresent() && rs.get().cause() == io.keel.ha.MoveCause.SHUTDOWN && vm.isPresent()) {
            agent.powerOffIfIdle(vm.get(), GracefulShutdown.POWER_OFF_WAIT);
            return;
        }
        log.debug("{}: stopped by its desired power", resource);
    }

    @Override
    public void kill(String resource) {
        HaResources.vmId(resource).ifPresent(vmId -> agent.kill(vmId, "killed by the HA manager"));
    }

    @Override
    public void migrate(String resource, String target) {
        String vmId = HaResources.vmId(resource).orElseThrow();
        uid(resource).ifPresent(uid -> {
            submit.run(new ClusterCommand.StartVmMigration(vmId, "ha-" + uid, target, now()), () -> { },
                    e -> log.warn("VM {}: live migration to {} not started: {}", vmId, target, e.getMessage()));
        });
    }

    private Optional<Long> uid(String resource) {
        return current.haStatus().map(r -> r.status().resources().get(resource)).map(ResourceStatus::uid);
    }

    /** Only news is written: the same outcome for the same decision is not written twice. */
    @Override
    public synchronized void report(LrmReport report) {
        LrmReport last = reported.get(report.resource());
        if (last != null && last.uid() == report.uid() && last.outcome() == report.outcome()) {
            return;
        }
        reported.put(report.resource(), report);
        unsent.add(report);
    }

    /** Writes the reports made since the last flush, in the background. */
    synchronized void flush() {
        if (unsent.isEmpty()) {
            return;
        }
        List<LrmReport> batch = List.copyOf(unsent);
        if (submit.run(new ClusterCommand.ReportHa(selfId, batch), () -> { }, e -> forget(batch, e))) {
            unsent.clear();
        }
    }

    /** Reports whose write failed are made again at the next step: forgotten, they count as news then. */
    private synchronized void forget(List<LrmReport> batch, RuntimeException e) {
        batch.forEach(r -> {
            if (reported.get(r.resource()) == r) {
                reported.remove(r.resource());
            }
        });
        log.debug("HA reports not written yet: {}", e.getMessage());
    }

    /**
     * The engine asks for a start at every step until the agent has the QEMU, which takes a
     * placement write and a launch: "starts" is announced once per decision, not every second.
     */
    @Override
    public void emit(HaEvent event) {
        if (event instanceof HaEvent.LocalStart start) {
            Optional<Long> uid = current == null ? Optional.empty() : uid(start.resource());
            if (uid.isPresent() && uid.get().equals(announcedStarts.get(start.resource()))) {
                return;
            }
            uid.ifPresent(u -> announcedStarts.put(start.resource(), u));
        }
        events.emit(event);
    }
}
