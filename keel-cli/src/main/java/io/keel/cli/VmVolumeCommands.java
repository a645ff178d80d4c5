package io.keel.cli;

import static io.keel.cli.ApiClient.segment;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keel vm volume attach|detach}: disks added to and taken off a VM, running or not. */
@Command(name = "volume", description = "Attach volumes to a VM and detach them, while it runs or not.",
        subcommands = {VmVolumeCommands.Attach.class, VmVolumeCommands.Detach.class})
final class VmVolumeCommands extends KeelSubcommand.Group {
    record AttachRequest(String volume, String size, String policy, Integer waitSeconds) {}

    VmVolumeCommands(CliContext ctx) {
        super(ctx);
    }

    @Command(name = "attach", description = {
        "Attach an existing volume, or a new one made for the VM (--size), as the VM's next disk.",
        "A running guest gets it at once as a hot-plugged virtio disk."})
    static final class Attach extends KeelSubcommand {
        @Parameters(index = "0", paramLabel = "VM", description = "The VM's name or id.")
        String vm;

        @Parameters(index = "1", arity = "0..1", paramLabel = "VOLUME",
                description = "An existing volume (name or id) that no VM uses.")
        String volume;

        @Option(names = "--size", paramLabel = "SIZE", converter = Sizes.Converter.class,
                description = "Make a new empty volume of this size for the VM instead (e.g. 10G).")
        String size;

        @Option(names = "--policy", paramLabel = "POLICY",
                description = "Storage policy of the new volume (default: the cluster's only policy).")
        String policy;

        @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "120",
                description = "How long to wait (default ${DEFAULT-VALUE}).")
        int waitSeconds;

        Attach(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            if ((volume == null) == (size == null)) {
                throw usage("give a VOLUME to attach, or --size for a new one (not both)");
            }
            if (policy != null && size == null) {
                throw usage("--policy applies to a new volume (--size)");
            }
            JsonNode answer = ctx.api().send("POST", "/api/v1/vms/" + segment(vm) + "/volumes",
                    new AttachRequest(volume, size, policy, waitSeconds), Duration.ofSeconds(waitSeconds));
            return VmCommands.report(this, ctx, answer, "Attached " + (volume != null ? volume : "a new " + size
                    + " volume") + " to");
        }
    }

    @Command(name = "detach", description = {
        "Detach a disk (not the boot disk) from a VM; the volume is kept.",
        "A running guest is asked to release the device first, as when a PCIe slot's button is pressed."})
    static final class Detach extends KeelSubcommand {
        @Parameters(index = "0", paramLabel = "VM", description = "The VM's name or id.")
        String vm;

        @Parameters(index = "1", paramLabel = "VOLUME", description = "The disk's volume (name or id).")
        String volume;

        @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "120",
                description = "How long to wait for the guest to release it (default ${DEFAULT-VALUE}).")
        int waitSeconds;

        Detach(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().send("DELETE", "/api/v1/vms/" + segment(vm) + "/volumes/" + segment(volume)
                    + "?waitSeconds=" + waitSeconds, null, Duration.ofSeconds(waitSeconds));
            return VmCommands.reportDetach(this, ctx, answer, v -> v.disks().stream()
                    .anyMatch(d -> d.volume().equals(volume) || d.volumeId().equals(volume)), volume);
        }
    }
}
