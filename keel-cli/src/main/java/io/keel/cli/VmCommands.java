package io.keel.cli;

import static io.keel.cli.ApiClient.segment;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keel vm}: virtual machines. */
@Command(
        name = "vm",
        description = "Manage virtual machines: create, start, stop, reboot, pause, suspend, resize, rename, migrate, snapshot,"
                + " delete.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {
            VmCommands.ListVms.class,
            VmCommands.Show.class,
            VmCommands.Create.class,
            VmCommands.Start.class,
            VmCommands.Stop.class,
            VmCommands.Reboot.class,
            VmCommands.Pause.class,
            VmCommands.Unpause.class,
            VmSuspendCommands.Suspend.class,
            VmSuspendCommands.Resume.class,
            VmCommands.Rename.class,
            VmCommands.Resize.class,
            VmCommands.Delete.class,
            VmConsoleCommand.class,
            VmMigrateCommand.class,
            VmPlacementCommand.class,
            VmSnapshotCommands.class,
            VmStatsCommand.class,
            VmVolumeCommands.class,
            VmNicCommands.class,
            VmCdromCommands.class
        })
final class VmCommands extends KeelSubcommand.Group {
    record Disk(String volumeId, String volume, long sizeBytes, boolean boot, boolean ownedByVm, int slot,
                String state) {}

    /** The HA manager's view of the VM; null before the manager has seen it. */
    record Ha(String state, String node, String nodeName, String waiting) {}

    record Vm(String id, String name, String status, String statusReason, String power, String node, String nodeName,
              String flavor, int vcpus, int ramMiB, String placement, String image, List<Disk> disks,
              String createdAt, String statusAt, List<Nic> nics, String cdrom, Ha ha) {
        Vm {
            nics = nics == null ? List.of() : nics;
        }
    }

    record NewDisk(String size, String policy) {}

    record Nic(int slot, String network, String mac, String state) {}

    record NewNic(String network, String mac) {}

    record CreateVmRequest(String name, String flavor, String image, String volume, String bootSize, String policy,
                           List<NewDisk> disks, String node, String placement, Boolean start, Integer waitSeconds,
                           List<NewNic> nics, String cdrom) {}

    record ActionRequest(Boolean force, Integer timeoutSeconds, Integer waitSeconds) {}

    record RenameRequest(String name) {}

    record ResizeRequest(String flavor) {}

    VmCommands(CliContext ctx) {
        super(ctx);
    }

    /** What every command that changes a VM prints, and its exit status: a VM in ERROR is a failure. */
    static int report(KeelSubcommand cmd, CliContext ctx, JsonNode answer, String done) {
        if (ctx.jsonOutput()) {
            ctx.printJson(answer);
        }
        Vm vm = ctx.read(answer, Vm.class);
        if (!ctx.jsonOutput()) {
            cmd.out().println(done + " VM " + vm.name() + ": " + vm.status()
                    + (vm.statusReason().isBlank() ? "" : " (" + vm.statusReason() + ")") + " on " + vm.nodeName() + ".");
        }
        return "ERROR".equals(vm.status()) ? KeelCli.FAILED : KeelCli.OK;
    }

    /**
     * What a detach prints: the VM as {@link #report} does, or, when the guest has not released the
     * device yet ({@code stillThere}), that it shows as detaching, as a failure.
     */
    static int reportDetach(KeelSubcommand cmd, CliContext ctx, JsonNode answer,
            java.util.function.Predicate<Vm> stillThere, String what) {
        Vm v = ctx.read(answer, Vm.class);
        if (stillThere.test(v) && !ctx.jsonOutput()) {
            cmd.out().println("VM " + v.name() + " has not released " + what + " yet: it shows as detaching until the"
                    + " guest lets go of it ('keel vm show " + v.name() + "').");
            return KeelCli.FAILED;
        }
        return report(cmd, ctx, answer, "Detached " + what + " from");
    }

    @Command(name = "list", description = "List the VMs.")
    static final class ListVms extends KeelSubcommand {
        ListVms(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().get("/api/v1/vms");
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            var vms = ctx.readList(answer, Vm.class);
            if (vms.isEmpty()) {
                out().println("(no VMs)");
                return KeelCli.OK;
            }
            Table t = new Table("NAME", "STATUS", "NODE", "VCPUS", "RAM", "DISKS", "ID");
            vms.forEach(v -> t.row(v.name(), v.status(), v.nodeName(), v.vcpus(), Format.bytes((long) v.ramMiB() << 20),
                    v.disks().size(), v.id()));
            t.print(out());
            return KeelCli.OK;
        }
    }

    @Command(name = "show", description = "Show one VM.")
    static final class Show extends KeelSubcommand {
        @Parameters(paramLabel = "VM", description = "The VM's name or id.")
        String vm;

        Show(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().get("/api/v1/vms/" + segment(vm));
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            Vm v = ctx.read(answer, Vm.class);
            out().println("name: " + v.name());
            out().println("id: " + v.id());
            out().println("status: " + v.status() + (v.statusReason().isBlank() ? "" : " (" + v.statusReason() + ")"));
            out().println("power: " + v.power());
            out().println("node: " + v.nodeName());
            out().println("flavor: " + Format.orDash(v.flavor()) + " (" + v.vcpus() + " vCPU" + (v.vcpus() == 1 ? "" : "s")
                    + ", " + Format.bytes((long) v.ramMiB() << 20) + " RAM)");
            out().println("placement: " + v.placement());
            if (v.ha() != null) {
                out().println("ha: " + v.ha().state() + (v.ha().nodeName() == null ? "" : " on " + v.ha().nodeName())
                        + (v.ha().waiting() == null ? "" : " (waiting: " + v.ha().waiting() + ")"));
            }
            out().println("created: " + Format.instant(v.createdAt()));
            out().println("disks:");
            for (Disk d : v.disks()) {
                out().println("  " + d.slot() + "  " + d.volume() + "  " + Format.bytes(d.sizeBytes())
                        + (d.boot() ? "  boot" : "") + (d.ownedByVm() ? "  (made for the VM)" : "")
                        + ("detaching".equals(d.state()) ? "  detaching: waiting for the guest to release it" : ""));
            }
            out().println("cdrom: " + (v.cdrom() == null ? "empty" : v.cdrom()));
            out().println("nics:" + (v.nics().isEmpty() ? " none" : ""));
            for (Nic n : v.nics()) {
                out().println("  " + n.slot() + "  " + n.mac() + "  " + n.network()
                        + ("detaching".equals(n.state()) ? "  detaching: waiting for the guest to release it" : ""));
            }
            return KeelCli.OK;
        }
    }

    @Command(name = "create", description = {
        "Create a VM and start it. It boots from an existing volume (--volume) or an image (--image);",
        "--disk adds new empty volumes. The VM runs on --node, or on the compute node with the most free RAM."})
    static final class Create extends KeelSubcommand {
        @Parameters(paramLabel = "NAME", description = "Latin letters, digits, '.', '_' and '-'.")
        String name;

        @Option(names = "--flavor", required = true, paramLabel = "FLAVOR", description = "vCPUs and RAM: see 'keel flavor list'.")
        String flavor;

        @Option(names = "--volume", paramLabel = "VOLUME", description = "Boot from this existing volume.")
        String volume;

        @Option(names = "--image", paramLabel = "IMAGE", description = "Boot from a copy-on-write clone of this image.")
        String image;

        @Option(names = "--boot-size", paramLabel = "SIZE", converter = Sizes.Converter.class,
                description = "Grow the boot disk cloned from the image to this size.")
        String bootSize;

        @Option(names = "--disk", paramLabel = "SIZE[:POLICY]",
                description = "Add a new empty volume of SIZE (with POLICY); repeatable.")
        List<String> disks = new ArrayList<>();

        @Option(names = "--cdrom", paramLabel = "ISO", description = {
            "Put this ISO image in the CD-ROM drive, which boots first. Without --volume or --image,",
            "the boot disk is a new empty volume of --boot-size to install on."})
        String cdrom;

        @Option(names = "--nic", paramLabel = "NETWORK[=MAC]",
                description = "Add a NIC on NETWORK (MAC generated unless given); repeatable: see 'keel network list'.")
        List<String> nics = new ArrayList<>();

        @Option(names = "--policy", paramLabel = "POLICY", description = "Storage policy of the volumes made for the VM.")
        String policy;

        @Option(names = "--node", paramLabel = "NODE", description = "Run it on this node.")
        String node;

        @Option(names = "--placement", paramLabel = "auto|failover|pinned", description = "What HA may do with it (default auto).")
        String placement;

        @Option(names = "--no-start", description = "Create it stopped.")
        boolean noStart;

        @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "120",
                description = "How long to wait for it to run (default ${DEFAULT-VALUE}; 0: do not wait).")
        int waitSeconds;

        Create(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            List<NewDisk> extra = new ArrayList<>();
            for (String d : disks) {
                int colon = d.indexOf(':');
                extra.add(colon < 0 ? new NewDisk(d, null) : new NewDisk(d.substring(0, colon), d.substring(colon + 1)));
            }
            JsonNode answer = ctx.api().send("POST", "/api/v1/vms", new CreateVmRequest(name, flavor, image, volume,
                    bootSize, policy, extra, node, placement, !noStart, waitSeconds, nics.stream().map(n -> {
                        int eq = n.indexOf('=');
                        return eq < 0 ? new NewNic(n, null) : new NewNic(n.substring(0, eq), n.substring(eq + 1));
                    }).toList(), cdrom), Duration.ofSeconds(waitSeconds));
            return report(this, ctx, answer, "Created");
        }
    }

    /** start, stop, reboot, pause, unpause: POST /api/v1/vms/VM/ACTION, waiting for the VM to get there. */
    abstract static class Action extends KeelSubcommand {
        @Parameters(paramLabel = "VM", description = "The VM's name or id.")
        String vm;

        @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "120",
                description = "How long to wait for the VM to get there (default ${DEFAULT-VALUE}; 0: do not wait).")
        int waitSeconds;

        Action(CliContext ctx) {
            super(ctx);
        }

        abstract String action();

        abstract String done();

        ActionRequest request() {
            return new ActionRequest(null, null, waitSeconds);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().send("POST", "/api/v1/vms/" + segment(vm) + "/" + action(), request(),
                    Duration.ofSeconds(waitSeconds + (request().timeoutSeconds() == null ? 0 : request().timeoutSeconds())));
            return report(this, ctx, answer, done());
        }
    }

    @Command(name = "start", description = "Start a VM (also one in ERROR).")
    static final class Start extends Action {
        Start(CliContext ctx) {
            super(ctx);
        }

        String action() {
            return "start";
        }

        String done() {
            return "Started";
        }
    }

    @Command(name = "stop", description = {"Stop a VM: press its power button and wait up to --timeout for the guest",
        "to power off, then stop it; --force stops it at once, like pulling the plug."})
    static final class Stop extends Action {
        @Option(names = "--force", description = "Stop at once, without asking the guest.")
        boolean force;

        @Option(names = "--timeout", paramLabel = "SECONDS", description = "How long the guest gets (default 60).")
        Integer timeout;

        Stop(CliContext ctx) {
            super(ctx);
        }

        @Override
        ActionRequest request() {
            return new ActionRequest(force ? Boolean.TRUE : null, timeout, waitSeconds);
        }

        String action() {
            return "stop";
        }

        String done() {
            return "Stopped";
        }
    }

    @Command(name = "reboot", description = "Reboot a running VM; --hard resets it at once.")
    static final class Reboot extends Action {
        @Option(names = "--hard", description = "Reset at once, without asking the guest.")
        boolean hard;

        Reboot(CliContext ctx) {
            super(ctx);
        }

        @Override
        ActionRequest request() {
            return new ActionRequest(hard ? Boolean.TRUE : null, null, waitSeconds);
        }

        String action() {
            return "reboot";
        }

        String done() {
            return "Rebooted";
        }
    }

    @Command(name = "pause", description = "Pause a VM's vCPUs (it keeps its memory).")
    static final class Pause extends Action {
        Pause(CliContext ctx) {
            super(ctx);
        }

        String action() {
            return "pause";
        }

        String done() {
            return "Paused";
        }
    }

    @Command(name = "unpause", description = "Resume a paused VM.")
    static final class Unpause extends Action {
        Unpause(CliContext ctx) {
            super(ctx);
        }

        String action() {
            return "unpause";
        }

        String done() {
            return "Resumed";
        }
    }

    @Command(name = "resize", description = "Give a shut-off VM another flavor's vCPUs and RAM.")
    static final class Resize extends KeelSubcommand {
        @Parameters(paramLabel = "VM", description = "The VM's name or id.")
        String vm;

        @Option(names = "--flavor", required = true, paramLabel = "FLAVOR", description = "The new size: see 'keel flavor list'.")
        String flavor;

        Resize(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().post("/api/v1/vms/" + segment(vm) + "/resize", new ResizeRequest(flavor));
            Vm v = ctx.read(answer, Vm.class);
            if (!ctx.jsonOutput()) {
                out().println("Resized VM " + v.name() + " to " + v.flavor() + ": " + v.vcpus() + " vCPU"
                        + (v.vcpus() == 1 ? "" : "s") + ", " + Format.bytes((long) v.ramMiB() << 20) + " RAM.");
            } else {
                ctx.printJson(answer);
            }
            return KeelCli.OK;
        }
    }

    @Command(name = "rename", description = "Rename a VM.")
    static final class Rename extends KeelSubcommand {
        @Parameters(index = "0", paramLabel = "VM", description = "The VM's name or id.")
        String vm;

        @Parameters(index = "1", paramLabel = "NEW_NAME", description = "Its new name.")
        String name;

        Rename(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().patch("/api/v1/vms/" + segment(vm), new RenameRequest(name));
            return report(this, ctx, answer, "Renamed");
        }
    }

    @Command(name = "delete", description = {"Delete a VM, stopping it at once if it runs.",
        "Its volumes are kept unless --delete-volumes (only the ones made for it; attached volumes always stay),",
        "which asks for the VM's name on standard input unless --yes is given."})
    static final class Delete extends KeelSubcommand {
        @Parameters(paramLabel = "VM", description = "The VM's name or id.")
        String vm;

        @Option(names = "--delete-volumes", description = "Also delete the volumes made for the VM (asks first).")
        boolean deleteVolumes;

        @Option(names = "--yes", description = "Delete the volumes without asking.")
        boolean yes;

        Delete(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            if (deleteVolumes && !yes) {
                Confirmation.require(ctx, "Delete VM " + vm + " and the data on the volumes made for it? Type its name"
                        + " to confirm: ", vm, "VM " + vm + " not deleted");
            }
            ctx.api().send("DELETE", "/api/v1/vms/" + segment(vm) + (deleteVolumes ? "?deleteVolumes=true" : ""), null,
                    Duration.ofSeconds(150));
            if (!ctx.jsonOutput()) {
                out().println("Deleted VM " + vm + (deleteVolumes ? " and the volumes made for it." : "."));
            }
            return KeelCli.OK;
        }
    }
}
