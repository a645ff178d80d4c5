package io.keel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keel cluster vip}: the management virtual IP that the HA engine keeps on one healthy node (ADR 0031). */
@Command(
        name = "vip",
        description = {"The management virtual IP: an address the HA engine puts on one healthy node",
                "(ip addr add, then gratuitous ARP) and moves when that node is lost."},
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {ClusterVipCommands.Show.class, ClusterVipCommands.Set.class, ClusterVipCommands.Clear.class})
final class ClusterVipCommands extends KeelSubcommand.Group {
    record Vip(boolean set, String address, String iface, String node, String state) {}

    record SetRequest(String address, String iface) {}

    ClusterVipCommands(CliContext ctx) {
        super(ctx);
    }

    static void print(Vip v, PrintWriter out) {
        if (!v.set()) {
            out.println("no virtual IP set");
            return;
        }
        out.println("address: " + v.address());
        out.println("interface: " + v.iface());
        out.println("node: " + Format.orDash(v.node()));
        out.println("state: " + Format.orDash(v.state()));
    }

    @Command(name = "show", description = "Show the virtual IP and the node holding it.")
    static final class Show extends KeelSubcommand {
        Show(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().get("/api/v1/cluster/vip");
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
            } else {
                print(ctx.read(answer, Vip.class), out());
            }
            return KeelCli.OK;
        }
    }

    @Command(name = "set", description = "Set (or change) the virtual IP.")
    static final class Set extends KeelSubcommand {
        @Parameters(paramLabel = "ADDRESS/PREFIX", description = "An IPv4 address with its prefix length, e.g. 192.168.1.50/24.")
        String address;

        @Option(names = "--interface", paramLabel = "IFACE", required = true,
                description = "The network interface the nodes put it on, e.g. eth0 (the same name on every node).")
        String iface;

        Set(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().put("/api/v1/cluster/vip", new SetRequest(address, iface));
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
            } else {
                Vip v = ctx.read(answer, Vip.class);
                out().println("virtual IP " + v.address() + " on " + v.iface()
                        + " set: the HA engine puts it on a healthy node at its next step.");
            }
            return KeelCli.OK;
        }
    }

    @Command(name = "clear", description = "Remove the virtual IP (its node takes the address off).")
    static final class Clear extends KeelSubcommand {
        Clear(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            ctx.api().delete("/api/v1/cluster/vip");
            if (!ctx.jsonOutput()) {
                out().println("virtual IP cleared.");
            }
            return KeelCli.OK;
        }
    }
}
