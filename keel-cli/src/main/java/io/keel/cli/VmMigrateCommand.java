package io.keel.cli;

import static io.keel.cli.ApiClient.segment;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code keel vm migrate VM --to NODE}: live migration, printing the share of the guest's RAM sent
 * while it runs and the total time and downtime at the end; {@code --cancel} stops one.
 */
@Command(name = "migrate", description = {"Move a running VM to another node while it runs (live migration).",
        "Prints the progress (share of the guest's RAM sent), then the total time and the downtime.",
        "--cancel stops a running migration; the VM keeps running where it was."})
final class VmMigrateCommand extends KeelSubcommand {
    private static final Duration POLL = Duration.ofMillis(250);

    record Migration(String id, String sourceName, String targetName, String phase, int progress, long ramTotalBytes,
                     long ramTransferredBytes, Long totalMs, Long downtimeMs, Long pauseMs, String reason) {}

    record Vm(String name, String status, String statusReason, String nodeName, int ramMiB, Migration migration) {}

    record MigrateRequest(String node, Integer waitSeconds, String maxBandwidth) {}

    record ActionRequest(Boolean force, Integer timeoutSeconds, Integer waitSeconds) {}

    static final class Target {
        @Option(names = "--to", paramLabel = "NODE", required = true, description = "The node to move it to.")
        String node;

        @Option(names = "--cancel", required = true, description = "Cancel the VM's running migration.")
        boolean cancel;
    }

    @Parameters(paramLabel = "VM", description = "The VM's name or id.")
    String vm;

    @ArgGroup(multiplicity = "1")
    Target target;

    @Option(names = "--max-bandwidth", paramLabel = "SIZE", converter = Sizes.Converter.class,
            description = "Bytes per second the transfer may use (e.g. 100M), to spare the nodes' network.")
    String maxBandwidth;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "600",
            description = "How long to wait for the migration to end (default ${DEFAULT-VALUE}; 0: do not wait).")
    int waitSeconds;

    VmMigrateCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    public Integer call() throws InterruptedException {
        String path = "/api/v1/vms/" + segment(vm) + "/migrate";
        if (target.cancel) {
            JsonNode answer = ctx.api().send("POST", path + "/cancel", new ActionRequest(null, null, waitSeconds),
                    Duration.ofSeconds(waitSeconds));
            return finished(answer);
        }
        JsonNode answer = ctx.api().post(path, new MigrateRequest(target.node, 0, maxBandwidth));
        Vm started = ctx.read(answer, Vm.class);
        String id = started.migration() == null ? null : started.migration().id();
        long deadline = System.nanoTime() + Duration.ofSeconds(waitSeconds).toNanos();
        int shown = -1;
        while (active(started.migration()) && System.nanoTime() < deadline) {
            Migration m = started.migration();
            if (!ctx.jsonOutput() && m.progress() != shown) {
                shown = m.progress();
                out().println("Migrating VM " + started.name() + " to " + m.targetName() + ": " + m.phase() + ", "
                        + m.progress() + "% of its RAM sent (" + mib(m.ramTransferredBytes()) + " of "
                        + mib(m.ramTotalBytes() > 0 ? m.ramTotalBytes() : (long) started.ramMiB() << 20) + ")");
                out().flush();
            }
            Thread.sleep(POLL);
            answer = ctx.api().get("/api/v1/vms/" + segment(vm));
            started = ctx.read(answer, Vm.class);
            if (started.migration() == null || !started.migration().id().equals(id)) {
                break;
            }
        }
        return finished(answer);
    }

    private int finished(JsonNode answer) {
        if (ctx.jsonOutput()) {
            ctx.printJson(answer);
        }
        Vm v = ctx.read(answer, Vm.class);
        Migration m = v.migration();
        boolean ok = m != null && "completed".equals(m.phase());
        if (!ctx.jsonOutput()) {
            if (m == null) {
                out().println("VM " + v.name() + " has not been migrated: " + v.status() + " on " + v.nodeName() + ".");
            } else if (ok) {
                out().println("Migrated VM " + v.name() + " from " + m.sourceName() + " to " + m.targetName() + " in "
                        + ms(m.totalMs()) + "; downtime " + ms(m.downtimeMs()) + " (QEMU), guest paused "
                        + ms(m.pauseMs()) + ".");
            } else if (active(m)) {
                out().println("VM " + v.name() + " is still migrating to " + m.targetName() + " (" + m.phase() + ", "
                        + m.progress() + "%): see 'keel vm show " + v.name() + "'.");
            } else {
                out().println("Migration of VM " + v.name() + " to " + m.targetName() + " " + m.phase()
                        + (m.reason().isBlank() ? "" : ": " + m.reason()) + ". It runs on " + v.nodeName() + " ("
                        + v.status() + ").");
            }
        }
        return ok || target.cancel && m != null && !active(m) ? KeelCli.OK : KeelCli.FAILED;
    }

    private static boolean active(Migration m) {
        return m != null && ("preparing".equals(m.phase()) || "transferring".equals(m.phase())
                || "switching".equals(m.phase()));
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    private static String ms(Long millis) {
        return millis == null ? "(unknown)" : millis + " ms";
    }
}
