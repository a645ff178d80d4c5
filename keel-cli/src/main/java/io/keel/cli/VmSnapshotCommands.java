package io.keel.cli;

import static io.keel.cli.ApiClient.segment;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keel vm snapshot}: snapshots of a VM's disks, crash-consistent together (ADR 0020). */
@Command(
        name = "snapshot",
        description = "Snapshots of a VM: create, list, show, delete, revert.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {
            VmSnapshotCommands.Create.class,
            VmSnapshotCommands.ListSnapshots.class,
            VmSnapshotCommands.Show.class,
            VmSnapshotCommands.Delete.class,
            VmSnapshotCommands.Revert.class
        })
final class VmSnapshotCommands extends KeelSubcommand.Group {
    record Disk(String volume, String volumeId, String snapshot, String snapshotId) {}

    record Snapshot(String id, String name, String vm, String createdAt, boolean withMemory, long pausedMillis,
                    List<Disk> disks, String stateVolume, long stateBytes) {}

    record CreateRequest(String name, Boolean memory) {}

    record RevertRequest(Boolean start, Integer waitSeconds) {}

    VmSnapshotCommands(CliContext ctx) {
        super(ctx);
    }

    static String path(String vm) {
        return "/api/v1/vms/" + segment(vm) + "/snapshots";
    }

    static String path(String vm, String snapshot) {
        return path(vm) + "/" + segment(snapshot);
    }

    @Command(name = "create", description = {
        "Snapshot every disk of a VM together.",
        "A running VM's vCPUs stop for a moment, so the disks are crash-consistent with each other."})
    static final class Create extends KeelSubcommand {
        @Parameters(index = "0", paramLabel = "VM", description = "The VM's name or id.")
        String vm;

        @Parameters(index = "1", paramLabel = "NAME",
                description = "Unique among the VM's snapshots: letters, digits, hyphens, dots and underscores.")
        String name;

        @Option(names = "--memory", description = {"Save the guest's memory too (a running or paused VM only):",
            "a revert then resumes the guest from this moment instead of booting it."})
        boolean memory;

        Create(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().send("POST", path(vm), new CreateRequest(name, memory ? Boolean.TRUE : null),
                    Duration.ofSeconds(90));
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            Snapshot s = ctx.read(answer, Snapshot.class);
            out().println("Created snapshot " + s.name() + " (" + s.id() + ") of VM " + s.vm() + ": "
                    + s.disks().size() + " disks" + (s.withMemory() ? " and " + s.stateBytes() + " bytes of memory"
                    : "") + (s.pausedMillis() > 0 ? ", guest paused " + s.pausedMillis() + " ms" : "") + ".");
            return KeelCli.OK;
        }
    }

    @Command(name = "list", description = "List a VM's snapshots, oldest first.")
    static final class ListSnapshots extends KeelSubcommand {
        @Parameters(paramLabel = "VM", description = "The VM's name or id.")
        String vm;

        ListSnapshots(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().get(path(vm));
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            var snapshots = ctx.readList(answer, Snapshot.class);
            if (snapshots.isEmpty()) {
                out().println("(no snapshots)");
                return KeelCli.OK;
            }
            Table t = new Table("NAME", "ID", "DISKS", "MEMORY", "PAUSED", "CREATED");
            for (Snapshot s : snapshots) {
                t.row(s.name(), s.id(), s.disks().size(), s.withMemory() ? "yes" : "no", s.pausedMillis() + " ms",
                        Format.instant(s.createdAt()));
            }
            t.print(out());
            return KeelCli.OK;
        }
    }

    @Command(name = "show", description = "Show one VM snapshot and its volume snapshots.")
    static final class Show extends KeelSubcommand {
        @Parameters(index = "0", paramLabel = "VM", description = "The VM's name or id.")
        String vm;

        @Parameters(index = "1", paramLabel = "SNAPSHOT", description = "Snapshot name or id.")
        String snapshot;

        Show(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().get(path(vm, snapshot));
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            Snapshot s = ctx.read(answer, Snapshot.class);
            out().println("name: " + s.name());
            out().println("id: " + s.id());
            out().println("vm: " + s.vm());
            out().println("created: " + Format.instant(s.createdAt()));
            out().println("guest paused: " + s.pausedMillis() + " ms");
            out().println("memory: " + (s.withMemory() ? s.stateBytes() + " bytes in volume " + s.stateVolume() : "no"));
            for (Disk d : s.disks()) {
                out().println("disk: " + d.volume() + " -> snapshot " + d.snapshot() + " (" + d.snapshotId() + ")");
            }
            return KeelCli.OK;
        }
    }

    @Command(name = "delete", description = {
        "Delete a VM snapshot and its volume snapshots.",
        "Asks for the snapshot's name on standard input unless --yes is given."})
    static final class Delete extends KeelSubcommand {
        @Parameters(index = "0", paramLabel = "VM", description = "The VM's name or id.")
        String vm;

        @Parameters(index = "1", paramLabel = "SNAPSHOT", description = "Snapshot name or id.")
        String snapshot;

        @Option(names = "--yes", description = "Delete without asking.")
        boolean yes;

        Delete(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            if (!yes) {
                Confirmation.require(ctx, "Delete snapshot " + snapshot + " of VM " + vm
                        + "? Type its name to confirm: ", snapshot, "snapshot " + snapshot + " not deleted");
            }
            ctx.api().delete(path(vm, snapshot));
            if (!ctx.jsonOutput()) {
                out().println("Deleted snapshot " + snapshot + " of VM " + vm + ".");
            }
            return KeelCli.OK;
        }
    }

    @Command(name = "revert", description = {
        "Make every disk of a stopped VM what it was at a snapshot; everything written since is lost.",
        "After a snapshot with memory, the VM's next start resumes the guest from the snapshot's moment",
        "instead of booting it ('keel vm stop' before starting forgets that: it boots).",
        "Asks for the VM's name unless --yes is given."})
    static final class Revert extends KeelSubcommand {
        @Parameters(index = "0", paramLabel = "VM", description = "The VM's name or id.")
        String vm;

        @Parameters(index = "1", paramLabel = "SNAPSHOT", description = "Snapshot name or id.")
        String snapshot;

        @Option(names = "--start", description = "Start the VM once it is reverted.")
        boolean start;

        @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "120",
                description = "With --start, how long to wait for the VM to run (default ${DEFAULT-VALUE}).")
        int waitSeconds;

        @Option(names = "--yes", description = "Revert without asking.")
        boolean yes;

        Revert(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            if (!yes) {
                Confirmation.require(ctx, "Revert VM " + vm + " to snapshot " + snapshot
                        + ", losing everything its disks got since? Type the VM's name to confirm: ",
                        vm, "VM " + vm + " not reverted");
            }
            JsonNode answer = ctx.api().send("POST", path(vm, snapshot) + "/revert",
                    new RevertRequest(start, waitSeconds), Duration.ofSeconds(waitSeconds + 30L));
            return VmCommands.report(this, ctx, answer, "Reverted" + (start ? " and started" : ""));
        }
    }
}
