package io.keel.node.ha;

import io.keel.ha.HaEvent;
import io.keel.meta.cluster.ClusterCommand;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.HaEventRecord;
import io.keel.meta.cluster.NodeRecord;
import io.keel.meta.cluster.Vm;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the HA engine's events go on a node: the log, the metrics, and the cluster event list in
 * the metadata. They are held here until a write succeeds, so the self-fence of a node cut off
 * from the majority is recorded once it is back (bounded, oldest dropped first).
 */
public final class ClusterEvents {
    private static final Logger log = LoggerFactory.getLogger(ClusterEvents.class);
    private static final int MAX_PENDING = 1000;
    private static final int MAX_TEXT = 300;

    private final Supplier<ClusterState> state;
    private final Consumer<ClusterCommand> submit;
    private final MeterRegistry registry;
    private final DistributionSummary recovery;
    private final Deque<HaEventRecord> pending = new ArrayDeque<>();
    private final java.util.concurrent.atomic.AtomicBoolean flushing = new java.util.concurrent.atomic.AtomicBoolean();

    public ClusterEvents(Supplier<ClusterState> state, Consumer<ClusterCommand> submit, MeterRegistry registry) {
        this.state = Objects.requireNonNull(state, "state");
        this.submit = Objects.requireNonNull(submit, "submit");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.recovery = DistributionSummary.builder("keel_ha_recovery_seconds")
                .description("time from a lost node's last contact to each of its VMs running elsewhere")
                .baseUnit("seconds").register(registry);
    }

    public synchronized void emit(HaEvent event) {
        Objects.requireNonNull(event, "event");
        String type = event.getClass().getSimpleName();
        Double seconds = null;
        if (event instanceof HaEvent.ResourceRecovered r) {
            seconds = r.afterLoss().toMillis() / 1000.0;
            recovery.record(seconds);
        } else if (event instanceof HaEvent.ResourceMoved m) {
            seconds = m.took().toMillis() / 1000.0;
        }
        Counter.builder("keel_ha_events_total").description("HA engine events by type").tag("type", type)
                .register(registry).increment();
        String text = shortened(readable(describe(event)));
        log.info("HA: {}", text);
        pending.addLast(new HaEventRecord(0, event.at(), type, text, seconds));
        while (pending.size() > MAX_PENDING) {
            pending.removeFirst();
        }
    }

    /** {@link #flush} on a virtual thread, unless one is under way: a write may block for seconds. */
    public void flushInBackground() {
        if (flushing.compareAndSet(false, true)) {
            Thread.ofVirtual().name("ha-events").start(() -> {
                try {
                    flush();
                } finally {
                    flushing.set(false);
                }
            });
        }
    }

    /** Writes what is pending as one command; kept for the next try when the write fails. */
    void flush() {
        List<HaEventRecord> batch;
        synchronized (this) {
            if (pending.isEmpty()) {
                return;
            }
            batch = new ArrayList<>(pending);
        }
        try {
            submit.accept(new ClusterCommand.AppendHaEvents(batch));
        } catch (RuntimeException e) {
            log.debug("cluster events not written yet: {}", e.getMessage());
            return;
        }
        synchronized (this) {
            for (int i = 0; i < batch.size() && !pending.isEmpty(); i++) {
                pending.removeFirst();
            }
        }
    }

    /**
     * The engine's text, but for a pinned VM stranded on a lost node: the metadata apply of the
     * status that strands it also sets its power to stopped (ADR 0029), so the engine never gets
     * to say "held" when the node returns. The one event says what happens instead.
     */
    private static String describe(HaEvent event) {
        if (event instanceof HaEvent.ResourceStranded r) {
            return r.resource() + " pinned to lost node " + r.node() + ": not recovered elsewhere; held stopped on "
                    + r.node() + ", waiting to be started by hand";
        }
        return event.describe(i -> i.toString());
    }

    /** One line of reasonable length: a failure reason may carry QEMU's whole command line. */
    private static String shortened(String text) {
        String line = text.replace('\n', ' ');
        return line.length() <= MAX_TEXT ? line : line.substring(0, MAX_TEXT - 1) + "…";
    }

    /** Administrators know nodes and VMs by name, the engine by id. */
    private String readable(String text) {
        String out = text;
        try {
            ClusterState s = state.get();
            for (Vm vm : s.vms()) {
                out = out.replace(HaResources.resourceId(vm.id()), "VM " + vm.name());
            }
            for (NodeRecord n : s.nodes()) {
                out = out.replace(n.id(), n.name());
            }
        } catch (RuntimeException e) {
            log.debug("names not resolved in an HA event: {}", e.getMessage());
        }
        return out;
    }
}
