package io.keel.cli;

import static io.keel.cli.ApiClient.segment;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keel network}: the virtual networks VM NICs attach to. */
@Command(
        name = "network",
        description = "Manage virtual networks: host bridges and per-NIC NAT that VM NICs attach to.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {
            NetworkCommands.ListNetworks.class,
            NetworkCommands.Show.class,
            NetworkCommands.Create.class,
            NetworkCommands.Delete.class
        })
final class NetworkCommands extends KeelSubcommand.Group {
    record Network(String name, String type, String bridge, int nics, String createdAt) {}

    record CreateRequest(String name, String type, String bridge) {}

    NetworkCommands(CliContext ctx) {
        super(ctx);
    }

    @Command(name = "list", description = "List the networks.")
    static final class ListNetworks extends KeelSubcommand {
        ListNetworks(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().get("/api/v1/networks");
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            var networks = ctx.readList(answer, Network.class);
            if (networks.isEmpty()) {
                out().println("(no networks)");
                return KeelCli.OK;
            }
            Table t = new Table("NAME", "TYPE", "BRIDGE", "NICS");
            networks.forEach(n -> t.row(n.name(), n.type(), Format.orDash(n.bridge()), n.nics()));
            t.print(out());
            return KeelCli.OK;
        }
    }

    @Command(name = "show", description = "Show one network.")
    static final class Show extends KeelSubcommand {
        @Parameters(paramLabel = "NAME", description = "The network's name.")
        String name;

        Show(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().get("/api/v1/networks/" + segment(name));
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            Network n = ctx.read(answer, Network.class);
            out().println("name: " + n.name());
            out().println("type: " + n.type());
            out().println("bridge: " + Format.orDash(n.bridge()));
            out().println("nics: " + n.nics());
            out().println("created: " + Format.instant(n.createdAt()));
            return KeelCli.OK;
        }
    }

    @Command(name = "create", description = {
        "Create a network. --type bridge puts NICs on the Linux bridge --bridge, which every compute node",
        "must have (e.g. vmbr0 with the uplink as a port); --type nat gives each NIC its own NAT with DHCP."})
    static final class Create extends KeelSubcommand {
        @Parameters(paramLabel = "NAME", description = "Latin letters, digits and hyphens.")
        String name;

        @Option(names = "--type", required = true, paramLabel = "bridge|nat", description = "How NICs reach the world.")
        String type;

        @Option(names = "--bridge", paramLabel = "BRIDGE", description = "The nodes' Linux bridge (type bridge).")
        String bridge;

        Create(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().post("/api/v1/networks", new CreateRequest(name, type, bridge));
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            Network n = ctx.read(answer, Network.class);
            out().println("Created network " + n.name() + " (" + n.type()
                    + (n.bridge() == null ? "" : ", on Linux bridge " + n.bridge()) + ").");
            return KeelCli.OK;
        }
    }

    @Command(name = "delete", description = "Delete a network that no NIC is on.")
    static final class Delete extends KeelSubcommand {
        @Parameters(paramLabel = "NAME", description = "The network's name.")
        String name;

        Delete(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            ctx.api().delete("/api/v1/networks/" + segment(name));
            out().println("Deleted network " + name + ".");
            return KeelCli.OK;
        }
    }
}
