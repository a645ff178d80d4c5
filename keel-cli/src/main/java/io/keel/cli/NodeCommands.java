package io.keel.cli;

import static io.keel.cli.ApiClient.segment;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.cli.Views.Disk;
import io.keel.cli.Views.DiskRoleRequest;
import io.keel.cli.Views.Inventory;
import io.keel.cli.Views.JoinClusterRequest;
import io.keel.cli.Views.JoinToken;
import io.keel.cli.Views.LocationRef;
import io.keel.cli.Views.NetInterface;
import io.keel.cli.Views.Node;
import io.keel.cli.Views.RotateTokenRequest;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keel node}: the servers of the cluster, the join token, and (without a subcommand) the daemon. */
@Command(
        name = "node",
        description = {
            "Show the cluster's nodes and the join token, and add nodes to the storage cluster.",
            "Without one of the subcommands below, 'keel node' runs the node daemon on this server."
        },
        synopsisSubcommandLabel = "COMMAND | DAEMON-OPTIONS",
        subcommands = {
            NodeCommands.ListNodes.class,
            NodeCommands.ShowNode.class,
            NodeCommands.Token.class,
            NodeCommands.JoinCluster.class,
            NodeCommands.Release.class,
            NodeMaintenanceCommands.class
        },
        footerHeading = "%nRunning the node daemon:%n",
        footer = {
            "  keel node --config FILE --bootstrap     start the first node of a cluster",
            "  keel node --join ADDRESS --token TOKEN  join the cluster at ADDRESS",
            "  keel node --config FILE                 start a node that is a member",
            "",
            "Daemon options:",
            "  --config FILE     node configuration file (YAML)",
            "  --bootstrap       initialise a new cluster with this node in it",
            "  --join ADDRESS    host:port of the cluster's management API",
            "  --token TOKEN     join token, from 'keel node token'",
            "Unless a subcommand or --help follows 'node' (after global options, if any),",
            "every argument after 'node' goes to the daemon, unparsed."
        })
final class NodeCommands extends KeelSubcommand.Group {
    NodeCommands(CliContext ctx) {
        super(ctx);
    }

    @Override
    public Integer call() {
        throw usage("missing subcommand: expected one of " + String.join(", ", spec.subcommands().keySet())
                + " (to run the node daemon, put its options right after 'node': keel node --config FILE ...)");
    }

    @Command(name = "list", description = "List the nodes.")
    static final class ListNodes extends KeelSubcommand {
        ListNodes(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().get("/api/v1/nodes");
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            Table table = new Table("NAME", "ID", "STATUS", "ADDRESS", "ROLES", "RACK", "HEARTBEAT");
            for (Node n : ctx.readList(answer, Node.class)) {
                table.row(Format.orDash(n.name()), n.id(), Format.titleCase(n.status()),
                        Format.hostPort(n.address(), n.apiPort()), Format.list(n.roles()),
                        n.location() == null ? "-" : Format.orDash(n.location().rack()), Format.age(n.heartbeatAgeMs()));
            }
            table.print(out());
            return KeelCli.OK;
        }
    }

    @Command(name = "show", description = "Show a node: status, location, hardware, interfaces and disks.")
    static final class ShowNode extends KeelSubcommand {
        @Parameters(paramLabel = "NODE", description = "Node name or id.")
        String node;

        ShowNode(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            ApiClient api = ctx.api();
            JsonNode answer = api.get("/api/v1/nodes/" + segment(node));
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            Node n = ctx.read(answer, Node.class);
            List<Disk> disks = ctx.readList(api.get("/api/v1/nodes/" + segment(n.id() == null ? node : n.id()) + "/disks"),
                    Disk.class);
            print(n, disks, out());
            return KeelCli.OK;
        }

        static void print(Node n, List<Disk> disks, PrintWriter out) {
            out.println("name: " + Format.orDash(n.name()));
            out.println("id: " + Format.orDash(n.id()));
            out.println("status: " + Format.titleCase(n.status()));
            out.println("address: " + Format.hostPort(n.address(), n.apiPort()));
            out.println("in storage cluster: " + Format.yesNo(n.inCluster()));
            out.println("roles: " + (n.roles() == null || n.roles().isEmpty() ? "-" : String.join(", ", n.roles())));
            out.println("location: " + location(n.location()));
            out.println("heartbeat: " + (n.heartbeatAgeMs() == null ? "-" : Format.age(n.heartbeatAgeMs()) + " ago"));
            out.println("joined: " + Format.instant(n.joinedAt()));
            if (n.release() != null) {
                out.println("release: " + n.release());
            }
            Inventory inv = n.inventory();
            if (inv != null) {
                out.println("hostname: " + Format.orDash(inv.hostname()));
                out.println("os: " + Format.orDash(inv.os()));
                out.println("cpu: " + Format.orDash(inv.cpuModel())
                        + (inv.cpuCores() > 0 ? " (" + inv.cpuCores() + " cores)" : ""));
                out.println("memory: " + Format.gib(inv.memoryBytes()));
                out.println("interfaces:");
                if (inv.interfaces() == null || inv.interfaces().isEmpty()) {
                    out.println("  (none)");
                } else {
                    Table t = new Table("NAME", "STATE", "MTU", "MAC", "ADDRESSES");
                    for (NetInterface i : inv.interfaces()) {
                        t.row(i.name(), i.up() ? "up" : "down", i.mtu() > 0 ? i.mtu() : "-", Format.orDash(i.mac()),
                                i.addresses() == null || i.addresses().isEmpty() ? "-" : String.join(", ", i.addresses()));
                    }
                    t.print(out, "  ");
                }
            }
            out.println("disks:");
            if (disks.isEmpty()) {
                out.println("  (none)");
            } else {
                Table t = new Table("DISK", "KIND", "DEVICE", "SIZE", "TYPE", "SYSTEM", "MODEL", "ROLE");
                for (Disk d : disks) {
                    t.row(d.id(), Format.orDash(d.kind()), Format.orDash(d.device()), Format.bytes(d.sizeBytes()),
                            d.rotational() ? "HDD" : "SSD", Format.yesNo(d.system()), Format.orDash(d.model()),
                            Format.role(d.role(), d.tier(), d.checksumming(), d.caching()));
                }
                t.print(out, "  ");
            }
        }

        static String location(LocationRef l) {
            if (l == null || l.rack() == null && l.row() == null && l.room() == null) {
                return "-";
            }
            return Format.orDash(l.room()) + " / " + Format.orDash(l.row()) + " / " + Format.orDash(l.rack());
        }
    }

    @Command(
            name = "token",
            description = "Show the join token and the command that adds a server to the cluster.",
            subcommands = {NodeCommands.TokenShow.class, NodeCommands.TokenRotate.class})
    static final class Token extends KeelSubcommand {
        Token(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            return show(ctx);
        }

        static int show(CliContext ctx) {
            ApiClient api = ctx.api();
            JsonNode answer = api.get("/api/v1/join-token");
            print(ctx, api, answer);
            return KeelCli.OK;
        }

        static void print(CliContext ctx, ApiClient api, JsonNode answer) {
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return;
            }
            JoinToken t = ctx.read(answer, JoinToken.class);
            String address = t.managementAddress() == null || t.managementAddress().isBlank()
                    ? ApiUrl.authority(api.base())
                    : t.managementAddress();
            PrintWriter out = ctx.out();
            out.println("token: " + t.token());
            out.println("generation: " + t.generation());
            out.println("expires: " + Format.instantRelative(t.expiresAt(), ctx.clock()));
            out.println("management address: " + address);
            out.println();
            out.println("To add a server to the cluster, run on it:");
            out.println("  keel node --join " + address + " --token " + t.token());
        }
    }

    @Command(name = "show", description = "Show the join token and the command that adds a server to the cluster.")
    static final class TokenShow extends KeelSubcommand {
        TokenShow(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            return Token.show(ctx);
        }
    }

    @Command(name = "rotate", description = "Replace the join token; the previous token stops working.")
    static final class TokenRotate extends KeelSubcommand {
        @Option(names = "--ttl", paramLabel = "DURATION", converter = Durations.Converter.class,
                description = "How long the new token is valid, e.g. 30m, 24h, 7d (default: the API's, 24h).")
        Duration ttl;

        TokenRotate(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            ApiClient api = ctx.api();
            JsonNode answer = api.post("/api/v1/join-token/rotate",
                    new RotateTokenRequest(ttl == null ? null : ttl.toSeconds()));
            if (!ctx.jsonOutput()) {
                out().println("Rotated the join token.");
            }
            Token.print(ctx, api, answer);
            return KeelCli.OK;
        }
    }

    @Command(
            name = "join-cluster",
            description = {
                "Add a node to the storage cluster (disk roles from --role, else automatic).",
                "",
                "--role DISK=ROLE[,SETTING]...",
                "  ROLE is none, storage, metadata, cache, metadata+cache or system;",
                "  SETTINGs, separated by commas ('+' belongs to metadata+cache):",
                "  tier=N                  tier 0-3 (storage, cache, metadata+cache)",
                "  checksum | no-checksum  checksum the data (storage only)",
                "  cache | no-cache        cache the data (storage only)",
                "Example:",
                "  keel node join-cluster n2 --role sdb=storage,tier=0,checksum \\",
                "      --role nvme0n1=metadata+cache,tier=0 --role sdc=none",
                ""
            })
    static final class JoinCluster extends KeelSubcommand {
        @Parameters(paramLabel = "NODE", description = "Node name or id.")
        String node;

        @Option(names = "--role", paramLabel = "DISK=ROLE[,SETTING]...", converter = DiskRoles.SpecConverter.class,
                description = "Role of one disk; repeat for each disk. Without --role the API chooses the roles.")
        List<DiskRoleRequest> roles = new ArrayList<>();

        JoinCluster(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            Set<String> seen = new HashSet<>();
            for (DiskRoleRequest r : roles) {
                if (!seen.add(r.disk())) {
                    throw usage("disk '" + r.disk() + "' is given more than one --role");
                }
            }
            JsonNode answer = ctx.api().post("/api/v1/nodes/" + segment(node) + "/join-cluster",
                    new JoinClusterRequest(roles.isEmpty() ? null : List.copyOf(roles)));
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            Node n = ctx.read(answer, Node.class);
            out().println("Node " + Format.orDash(n.name()) + " (" + n.id() + ") joined the storage cluster: status "
                    + Format.titleCase(n.status()) + ", roles "
                    + (n.roles() == null || n.roles().isEmpty() ? "-" : String.join(", ", n.roles())) + ".");
            return KeelCli.OK;
        }
    }

    @Command(name = "release", description = {
        "Move a node's data to other nodes so that it can be removed.",
        "No new chunks go to the node and its replicas move away. Refused when the other nodes could not keep"
                + " the redundancy of every storage policy in use. --cancel stops a release; data already moved"
                + " stays where it is."})
    static final class Release extends KeelSubcommand {
        @Parameters(paramLabel = "NODE", description = "Node name or id.")
        String node;

        @Option(names = "--cancel", description = "Stop releasing the node.")
        boolean cancel;

        Release(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            String path = "/api/v1/nodes/" + segment(node) + "/release";
            JsonNode answer = cancel ? ctx.api().delete(path) : ctx.api().post(path, null);
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            Node n = ctx.read(answer, Node.class);
            String who = Format.orDash(n.name()) + " (" + n.id() + ")";
            if (cancel) {
                out().println("Stopped releasing node " + who + "; data already moved stays where it is.");
            } else {
                out().println("Releasing node " + who + ": " + Format.orDash(n.release())
                        + ". No new chunks go to it and its data moves to other nodes.");
            }
            return KeelCli.OK;
        }
    }
}
