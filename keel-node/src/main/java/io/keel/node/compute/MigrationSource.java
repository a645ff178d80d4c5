package io.keel.node.compute;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keel.compute.qemu.QemuProcess;
import io.keel.compute.qmp.QmpClient;
import io.keel.compute.qmp.QmpEvent;
import io.keel.compute.qmp.QmpException;
import io.keel.meta.cluster.ClusterCommand;
import io.keel.meta.cluster.MigrationPhase;
import io.keel.meta.cluster.Vm;
import io.keel.meta.cluster.VmMigration;
import io.keel.meta.cluster.VmPower;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The source node's part of a live migration: once the target waits, QMP {@code migrate} to it,
 * progress reports, cancel on request; on completion QEMU is quit (so its NBD connections close
 * and this node lets go of the disks' write leases) and the switch-over is recorded. Until then
 * the guest keeps running here, whatever goes wrong.
 */
final class MigrationSource implements MigrationStep {
    private static final Logger log = LoggerFactory.getLogger(MigrationSource.class);
    /** A target that is not listening by then is not coming (its node or agent is down). */
    static final Duration PREPARE_TIMEOUT = Duration.ofSeconds(60);
    /** No RAM sent for this long: the target is gone without the connection breaking. */
    static final Duration STALL_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(20);
    private static final Duration REPORT_EVERY = Duration.ofSeconds(1);
    private static final Duration QUIT_WAIT = Duration.ofSeconds(10);
    /** The guest pause QEMU aims for at the switch-over: QEMU's own default, stated. */
    static final long DOWNTIME_LIMIT_MS = 300;
    /** Bytes/s; QEMU's default (32 MiB/s) would make migrations of big guests take minutes on any network. */
    static final long MAX_BANDWIDTH = 8L << 30;
    private static final Set<String> RUNNING = Set.of("setup", "active", "pre-switchover", "device",
            "wait-unplug", "cancelling");

    private final MigrationLink link;

    MigrationSource(MigrationLink link) {
        this.link = Objects.requireNonNull(link, "link");
    }

    @Override
    public QemuProcess run(Vm vm, QemuProcess process, VmRuntime runtime) throws InterruptedException {
        VmMigration m = vm.migration();
        if (process == null || !process.isAlive()) {
            link.fail(vm, false, "the VM's QEMU is not running on the source node");
            return process;
        }
        // Waits here for the target rather than for the next round: the transfer starts as soon as it listens.
        while (m.phase() == MigrationPhase.PREPARING) {
            if (cancelWanted(vm)) {
                link.fail(vm, true, "cancelled before the transfer began");
                return process;
            }
            if (Duration.between(m.startedAt(), link.clock().instant()).compareTo(PREPARE_TIMEOUT) > 0) {
                link.fail(vm, false, "the target node did not get ready within " + PREPARE_TIMEOUT.toSeconds() + " s");
                return process;
            }
            Thread.sleep(POLL);
            Optional<Vm> latest = link.vm(vm.id());
            if (latest.isEmpty() || !sameMigration(latest.get(), m)) {
                return process;
            }
            vm = latest.get();
            m = vm.migration();
        }
        if (m.phase() != MigrationPhase.TRANSFERRING) {
            return process;
        }
        try {
            return transfer(vm, m, process);
        } catch (QmpException e) {
            link.fail(vm, false, "QMP: " + e.getMessage());
            return process;
        }
    }

    private QemuProcess transfer(Vm vm, VmMigration m, QemuProcess process) throws QmpException, InterruptedException {
        QmpClient qmp = process.qmp();
        long mark = qmp.eventMark();
        String status = text(qmp.execute("query-migrate"), "status", "none");
        // An agent restarted mid-transfer finds QEMU still sending, and follows it.
        if (!RUNNING.contains(status)) {
            if (link.vm(vm.id()).map(MigrationSource::cancelWanted).orElse(true)) {
                link.fail(vm, true, "cancelled before the transfer began");
                return process;
            }
            ObjectNode params = qmp.arguments();
            params.put("downtime-limit", DOWNTIME_LIMIT_MS);
            params.put("max-bandwidth", m.maxBandwidth() != null ? m.maxBandwidth() : MAX_BANDWIDTH);
            qmp.execute("migrate-set-parameters", params, Duration.ofSeconds(5));
            ObjectNode args = qmp.arguments();
            args.put("uri", "tcp:" + m.incoming());
            qmp.execute("migrate", args, Duration.ofSeconds(10));
            log.info("VM {} ({}): live migration to node {} at {} started", vm.name(), vm.id(), m.targetNodeId(),
                    m.incoming());
        }
        Instant lastReport = Instant.EPOCH;
        long lastTransferred = -1;
        Instant lastMoved = link.clock().instant();
        while (true) {
            JsonNode info = qmp.execute("query-migrate");
            status = text(info, "status", "none");
            if ("completed".equals(status)) {
                return switchOver(vm, m, process, info, mark);
            }
            if ("failed".equals(status)) {
                link.fail(vm, false, text(info, "error-desc", "QEMU reported the migration failed"));
                return process;
            }
            if ("cancelled".equals(status)) {
                link.fail(vm, true, "cancelled");
                return process;
            }
            if (!process.isAlive()) {
                link.fail(vm, false, "the VM's QEMU exited on the source node");
                return process;
            }
            Instant now = link.clock().instant();
            JsonNode ram = info.path("ram");
            long transferred = ram.path("transferred").asLong(0);
            if (transferred != lastTransferred) {
                lastTransferred = transferred;
                lastMoved = now;
            }
            Optional<Vm> latest = link.vm(vm.id());
            if (latest.isEmpty() || cancelWanted(latest.get()) || !sameMigration(latest.get(), m)) {
                return cancel(vm, process, "cancelled by the administrator");
            }
            if (Duration.between(lastMoved, now).compareTo(STALL_TIMEOUT) > 0) {
                return cancel(vm, process, "no RAM could be sent for " + STALL_TIMEOUT.toSeconds()
                        + " s: the target node is unreachable");
            }
            if (Duration.between(lastReport, now).compareTo(REPORT_EVERY) >= 0 && ram.has("total")) {
                lastReport = now;
                link.report(new ClusterCommand.ReportMigrationProgress(vm.id(), m.id(), link.selfId(),
                        ram.path("total").asLong(0), transferred, ram.path("remaining").asLong(0), now));
            }
            Thread.sleep(POLL);
        }
    }

    private QemuProcess cancel(Vm vm, QemuProcess process, String reason) throws QmpException, InterruptedException {
        QmpClient qmp = process.qmp();
        qmp.execute("migrate_cancel");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String status = text(qmp.execute("query-migrate"), "status", "none");
        while (RUNNING.contains(status) && System.nanoTime() < deadline) {
            Thread.sleep(POLL);
            status = text(qmp.execute("query-migrate"), "status", "none");
        }
        if ("completed".equals(status)) {
            // Too late: everything was sent before the cancel arrived. Finish the move instead.
            return switchOver(vm, vm.migration(), process, qmp.execute("query-migrate"), qmp.eventMark());
        }
        // A cancelled migration leaves the guest running here, as it was.
        if (!qmp.queryStatus().running()) {
            qmp.cont();
        }
        link.fail(vm, true, reason);
        return process;
    }

    /**
     * Everything was sent and the guest is stopped here: quit QEMU so that this node lets go of the
     * disks, then record the switch-over, after which the target resumes the guest.
     */
    private QemuProcess switchOver(Vm vm, VmMigration m, QemuProcess process, JsonNode info, long mark)
            throws QmpException, InterruptedException {
        Long downtime = info.has("downtime") ? info.get("downtime").asLong() : null;
        Instant stoppedAt = stopTime(process.qmp(), mark).orElseGet(() -> link.clock().instant());
        long t0 = System.nanoTime();
        process.qmp().quit();
        if (!process.awaitExit(QUIT_WAIT)) {
            process.kill();
        }
        process.close();
        log.info("VM {} ({}): all state sent to node {} (QEMU downtime {} ms, its QEMU quit in {} ms); handing it"
                + " over", vm.name(), vm.id(), m.targetNodeId(), downtime, (System.nanoTime() - t0) / 1_000_000);
        ClusterCommand complete = new ClusterCommand.CompleteVmMigration(vm.id(), m.id(), link.selfId(), stoppedAt,
                downtime, link.clock().instant());
        for (int i = 0; i < 30 && !link.report(complete); i++) {
            if (link.vm(vm.id()).map(v -> v.migration() != null && v.migration().id().equals(m.id())
                    && v.migration().phase() != MigrationPhase.TRANSFERRING).orElse(true)) {
                break;
            }
            Thread.sleep(1000);
        }
        return null;
    }

    /** When the guest stopped for the switch-over, by QEMU's clock (the STOP event). */
    private static Optional<Instant> stopTime(QmpClient qmp, long mark) throws InterruptedException {
        try {
            QmpEvent stop = qmp.awaitEvent("STOP", mark, Duration.ZERO);
            return stop.timestamp().instant();
        } catch (QmpException e) {
            return Optional.empty();
        }
    }

    private static boolean cancelWanted(Vm vm) {
        return vm.migration() == null || vm.migration().cancelRequested() || vm.power() != VmPower.RUNNING;
    }

    private static boolean sameMigration(Vm vm, VmMigration m) {
        return vm.migration() != null && vm.migration().id().equals(m.id()) && vm.migration().active();
    }

    private static String text(JsonNode n, String field, String otherwise) {
        JsonNode v = n.get(field);
        return v == null || !v.isTextual() ? otherwise : v.textValue();
    }
}
