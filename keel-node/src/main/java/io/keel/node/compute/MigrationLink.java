package io.keel.node.compute;

import io.keel.meta.cluster.ClusterCommand;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.Vm;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both sides of a live migration talk to: this node's view of the VM records, the replicated
 * log to report steps in, and the clock.
 */
record MigrationLink(String selfId, Supplier<ClusterState> state, Consumer<ClusterCommand> submit, Clock clock) {
    private static final Logger log = LoggerFactory.getLogger(MigrationLink.class);

    MigrationLink {
        Objects.requireNonNull(selfId, "selfId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(submit, "submit");
        Objects.requireNonNull(clock, "clock");
    }

    Optional<Vm> vm(String id) {
        return state.get().vm(id);
    }

    /** True if the cluster took it; a refusal or an unreachable quorum is logged. */
    boolean report(ClusterCommand c) {
        try {
            submit.accept(c);
            return true;
        } catch (RuntimeException e) {
            log.warn("live migration: {} not recorded: {}", c.getClass().getSimpleName(), e.getMessage());
            return false;
        }
    }

    /** Retries a step whose loss would strand the VM, for up to {@code attempts} tries a second apart. */
    boolean reportHard(ClusterCommand c, int attempts) throws InterruptedException {
        for (int i = 0; i < attempts; i++) {
            if (report(c)) {
                return true;
            }
            Thread.sleep(1000);
        }
        return false;
    }

    void fail(Vm vm, boolean cancelled, String reason) {
        log.warn("VM {}: live migration {}: {}", vm.name(), cancelled ? "cancelled" : "failed", reason);
        report(new ClusterCommand.FailVmMigration(vm.id(), vm.migration().id(), selfId, cancelled, reason,
                clock.instant()));
    }
}
