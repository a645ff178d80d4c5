package io.keel.cli;

import static io.keel.cli.ApiClient.segment;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keel vm nic attach|detach}: network interfaces added to and taken off a VM, running or not. */
@Command(name = "nic", description = "Add network interfaces to a VM and remove them, while it runs or not.",
        subcommands = {VmNicCommands.Attach.class, VmNicCommands.Detach.class})
final class VmNicCommands extends KeelSubcommand.Group {
    record AttachRequest(String network, String mac, Integer waitSeconds) {}

    VmNicCommands(CliContext ctx) {
        super(ctx);
    }

    @Command(name = "attach", description = {"Add a NIC on NETWORK to a VM; a running guest gets it at once."})
    static final class Attach extends KeelSubcommand {
        @Parameters(index = "0", paramLabel = "VM", description = "The VM's name or id.")
        String vm;

        @Parameters(index = "1", paramLabel = "NETWORK", description = "The network: see 'keel network list'.")
        String network;

        @Option(names = "--mac", paramLabel = "MAC", description = "Its MAC address (default: a fresh 52:54:00:xx:xx:xx).")
        String mac;

        @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "120",
                description = "How long to wait (default ${DEFAULT-VALUE}).")
        int waitSeconds;

        Attach(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().send("POST", "/api/v1/vms/" + segment(vm) + "/nics",
                    new AttachRequest(network, mac, waitSeconds), Duration.ofSeconds(waitSeconds));
            VmCommands.Vm v = ctx.read(answer, VmCommands.Vm.class);
            String added = v.nics().isEmpty() ? "" : " (" + v.nics().getLast().mac() + ")";
            return VmCommands.report(this, ctx, answer, "Attached a NIC on " + network + added + " to");
        }
    }

    @Command(name = "detach", description = {
        "Remove a NIC from a VM; a running guest is asked to release the device first."})
    static final class Detach extends KeelSubcommand {
        @Parameters(index = "0", paramLabel = "VM", description = "The VM's name or id.")
        String vm;

        @Parameters(index = "1", paramLabel = "MAC", description = "The NIC's MAC address ('keel vm show' lists them).")
        String mac;

        @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "120",
                description = "How long to wait for the guest to release it (default ${DEFAULT-VALUE}).")
        int waitSeconds;

        Detach(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().send("DELETE", "/api/v1/vms/" + segment(vm) + "/nics/" + segment(mac)
                    + "?waitSeconds=" + waitSeconds, null, Duration.ofSeconds(waitSeconds));
            return VmCommands.reportDetach(this, ctx, answer, v -> v.nics().stream()
                    .anyMatch(n -> n.mac().equalsIgnoreCase(mac)), "NIC " + mac);
        }
    }
}
