package io.keel.node.compute;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keel.compute.qemu.QemuLauncher;
import io.keel.compute.qemu.QemuProcess;
import io.keel.compute.qemu.QemuStartException;
import io.keel.compute.qmp.QmpClient;
import io.keel.compute.qmp.QmpEvent;
import io.keel.compute.qmp.QmpException;
import io.keel.meta.cluster.ClusterCommand;
import io.keel.meta.cluster.MigrationPhase;
import io.keel.meta.cluster.NodeRecord;
import io.keel.meta.cluster.Vm;
import io.keel.meta.cluster.VmDiskRef;
import io.keel.meta.cluster.VmMigration;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The target node's part of a live migration: QEMU started with the VM's spec, its disks on
 * standby opens (no write lease yet) and {@code -incoming defer}, listening on this node's address;
 * then it waits for the state and for the record to make this node the host, takes the disks'
 * leases, resumes the guest and reports it running. Whenever the migration ends otherwise, its
 * QEMU is killed: the guest carries on on the source.
 */
final class MigrationTarget implements MigrationStep {
    private static final Logger log = LoggerFactory.getLogger(MigrationTarget.class);
    private static final Duration POLL = Duration.ofMillis(20);
    /** The source reports progress every second; this much silence means it is gone. */
    static final Duration SOURCE_SILENCE = Duration.ofSeconds(120);

    private final MigrationLink link;
    private final QemuLauncher launcher;
    private final VmSpecs specs;
    private final DiskHandover disks;

    MigrationTarget(MigrationLink link, QemuLauncher launcher, VmSpecs specs, DiskHandover disks) {
        this.link = Objects.requireNonNull(link, "link");
        this.launcher = Objects.requireNonNull(launcher, "launcher");
        this.specs = Objects.requireNonNull(specs, "specs");
        this.disks = Objects.requireNonNull(disks, "disks");
    }

    @Override
    public QemuProcess run(Vm vm, QemuProcess process, VmRuntime runtime) throws InterruptedException {
        VmMigration m = vm.migration();
        try {
            if (m.phase() == MigrationPhase.PREPARING) {
                kill(process);
                if (m.cancelRequested()) {
                    return null;
                }
                process = prepare(vm, m, runtime);
                if (process == null) {
                    return null;
                }
            } else if (process == null) {
                link.fail(vm, false, "the target node's agent lost the incoming QEMU (restarted?)");
                return null;
            }
            return await(vm, m, process, runtime);
        } catch (IOException e) {
            link.fail(vm, false, "on the target node: " + e.getMessage());
            kill(process);
            return null;
        }
    }

    private QemuProcess prepare(Vm vm, VmMigration m, VmRuntime runtime) throws IOException, InterruptedException {
        String address = link.state().get().node(link.selfId()).map(NodeRecord::address)
                .orElseThrow(() -> new IOException("this node has no record"));
        QemuProcess p;
        try {
            p = launcher.launch(specs.incomingSpec(vm, runtime), runtime.log());
        } catch (QemuStartException e) {
            link.fail(vm, false, "QEMU did not start on the target node: " + e.getMessage()
                    + (e.logTail().isBlank() ? "" : ": " + e.logTail().strip()));
            return null;
        } catch (IllegalArgumentException e) {
            link.fail(vm, false, "the VM cannot be started on the target node: " + e.getMessage());
            return null;
        }
        runtime.recordPid(p.pid());
        try {
            ObjectNode args = p.qmp().arguments();
            // Port 0: the kernel picks a free one, which query-migrate then names.
            args.put("uri", "tcp:" + hostPart(address) + ":0");
            p.qmp().execute("migrate-incoming", args, Duration.ofSeconds(5));
            JsonNode socket = p.qmp().execute("query-migrate").path("socket-address").path(0);
            String port = socket.path("port").asText("");
            if (port.isEmpty()) {
                throw new IOException("QEMU did not say which port it listens on");
            }
            String incoming = hostPart(address) + ":" + port;
            log.info("VM {} ({}): waiting for its live migration from node {} at {}", vm.name(), vm.id(),
                    m.sourceNodeId(), incoming);
            if (!link.report(new ClusterCommand.ReportMigrationReady(vm.id(), m.id(), link.selfId(), incoming,
                    link.clock().instant()))) {
                kill(p);
                return null;
            }
            return p;
        } catch (IOException e) {
            kill(p);
            throw new IOException("cannot listen for the migration: " + e.getMessage(), e);
        }
    }

    /** Until the record makes this node the host (then resume) or ends the migration (then kill). */
    private QemuProcess await(Vm vm, VmMigration m, QemuProcess p, VmRuntime runtime)
            throws IOException, InterruptedException {
        while (true) {
            Optional<Vm> now = link.vm(vm.id());
            VmMigration cur = now.map(Vm::migration).orElse(null);
            if (cur == null || !cur.id().equals(m.id()) || !cur.active()) {
                log.info("VM {} ({}): the migration ended ({}): stopping the incoming QEMU", vm.name(), vm.id(),
                        cur == null ? "VM gone" : cur.phase().name().toLowerCase());
                kill(p);
                return null;
            }
            if (!p.isAlive()) {
                link.fail(vm, false, "QEMU exited on the target node" + VmSpecs.logTail(runtime.log()));
                return null;
            }
            String incoming = status(p.qmp());
            if ("failed".equals(incoming)) {
                link.fail(vm, false, "the incoming migration failed on the target node"
                        + VmSpecs.logTail(runtime.log()));
                kill(p);
                return null;
            }
            if (cur.phase() == MigrationPhase.SWITCHING && now.get().nodeId().equals(link.selfId())
                    && "completed".equals(incoming)) {
                return resume(now.get(), cur, p);
            }
            if (cur.phase() == MigrationPhase.TRANSFERRING
                    && Duration.between(cur.updatedAt(), link.clock().instant()).compareTo(SOURCE_SILENCE) > 0) {
                link.fail(vm, false, "the source node sent no progress for " + SOURCE_SILENCE.toSeconds() + " s");
                kill(p);
                return null;
            }
            Thread.sleep(POLL);
        }
    }

    /** The switch-over: the disks' leases move here (all at once: each waits for the source's release), then the guest runs. */
    private QemuProcess resume(Vm vm, VmMigration m, QemuProcess p) throws InterruptedException {
        long t0 = System.nanoTime();
        try (var scope = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> leases = new ArrayList<>();
            for (VmDiskRef d : vm.disks()) {
                leases.add(scope.submit(() -> {
                    disks.activate(d.volumeId());
                    return null;
                }));
            }
            for (Future<?> f : leases) {
                f.get();
            }
            long leased = System.nanoTime();
            long mark = p.qmp().eventMark();
            p.qmp().cont();
            Instant resumedAt = resumeTime(p.qmp(), mark).orElseGet(() -> link.clock().instant());
            log.info("VM {} ({}): running here after its live migration from node {} (disks' leases taken in {} ms)",
                    vm.name(), vm.id(), m.sourceNodeId(), (leased - t0) / 1_000_000);
            link.reportHard(new ClusterCommand.FinishVmMigration(vm.id(), m.id(), link.selfId(), resumedAt,
                    link.clock().instant()), 10);
            return p;
        } catch (ExecutionException | IOException e) {
            // The source's QEMU is gone: the guest's state is only here. Keep it paused for the administrator.
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            link.fail(vm, false, "cannot resume the guest on the target node: " + cause.getMessage());
            return p;
        }
    }

    private static Optional<Instant> resumeTime(QmpClient qmp, long mark) throws InterruptedException {
        try {
            QmpEvent e = qmp.awaitEvent("RESUME", mark, Duration.ofSeconds(1));
            return e.timestamp().instant();
        } catch (QmpException e) {
            return Optional.empty();
        }
    }

    private static String status(QmpClient qmp) throws InterruptedException {
        try {
            JsonNode s = qmp.execute("query-migrate").get("status");
            return s == null ? "none" : s.asText();
        } catch (QmpException e) {
            return "unknown";
        }
    }

    private static String hostPart(String address) {
        return address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address;
    }

    private static void kill(QemuProcess p) throws InterruptedException {
        if (p != null && p.isAlive()) {
            p.kill();
        }
        if (p != null) {
            p.close();
        }
    }
}
