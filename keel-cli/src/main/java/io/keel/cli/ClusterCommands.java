package io.keel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.cli.Views.Cluster;
import io.keel.cli.Views.CreateClusterRequest;
import io.keel.cli.Views.Metadata;
import io.keel.cli.Views.MetadataMember;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keel cluster}: the cluster, its metadata service, and creating the storage cluster. */
@Command(
        name = "cluster",
        description = "Show the cluster and create its storage cluster.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {ClusterCommands.Show.class, ClusterCommands.Create.class, ClusterHaCommands.class,
                ClusterVipCommands.class})
final class ClusterCommands extends KeelSubcommand.Group {
    ClusterCommands(CliContext ctx) {
        super(ctx);
    }

    @Command(name = "show", description = "Show the cluster, its storage cluster and the metadata service's quorum.")
    static final class Show extends KeelSubcommand {
        Show(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().get("/api/v1/cluster");
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
            } else {
                print(ctx.read(answer, Cluster.class), out());
            }
            return KeelCli.OK;
        }

        static void print(Cluster c, PrintWriter out) {
            Metadata m = c.metadata();
            List<MetadataMember> members = m == null || m.members() == null ? List.of() : m.members();
            out.println("name: " + (c.name() == null || c.name().isBlank() ? "(no storage cluster)" : c.name()));
            out.println("id: " + Format.orDash(c.id()));
            out.println("created: " + Format.instant(c.createdAt()));
            if (c.name() != null) {
                out.println("storage cluster created: " + Format.instant(c.storageClusterCreatedAt()));
                out.println("encryption: " + (c.encryption() ? "on" : "off"));
            }
            out.println("management node: " + nodeName(c.managementNodeId(), members));
            out.println("nodes: " + c.nodes());
            if (m == null) {
                out.println("metadata: (unknown)");
                return;
            }
            out.println("metadata members:");
            if (members.isEmpty()) {
                out.println("  (none)");
            } else {
                Table t = new Table("NAME", "ID", "ADDRESS", "STATE", "ROLE");
                for (MetadataMember mm : members) {
                    boolean leader = mm.nodeId() != null && mm.nodeId().equals(m.leaderId());
                    t.row(Format.orDash(mm.name()), mm.nodeId(), Format.hostPort(mm.address(), mm.raftPort()),
                            mm.up() ? "up" : "down", leader ? "leader" : "follower");
                }
                t.print(out, "  ");
            }
            out.println("leader: " + (m.leaderId() == null ? "(none)" : nodeName(m.leaderId(), members)));
            out.println("term: " + m.term());
            out.println("commit index: " + m.commitIndex());
            out.println("quorum: " + Format.yesNo(m.quorum()) + " (" + m.up() + " of " + m.total() + " up)");
        }

        private static String nodeName(String id, List<MetadataMember> members) {
            if (id == null || id.isBlank()) {
                return "-";
            }
            return members.stream()
                    .filter(mm -> id.equals(mm.nodeId()) && mm.name() != null)
                    .findFirst()
                    .map(mm -> mm.name() + " (" + id + ")")
                    .orElse(id);
        }
    }

    @Command(name = "create", description = "Create the storage cluster.")
    static final class Create extends KeelSubcommand {
        @Parameters(paramLabel = "NAME", description = "Name of the storage cluster.")
        String name;

        @Option(names = "--nodes", paramLabel = "NODE[,NODE...]",
                description = "Nodes to include, by name or id (default: every healthy unassigned node).")
        String nodes;

        @Option(names = "--encryption", negatable = true,
                description = "Encrypt data at rest (default: the API's).")
        Boolean encryption;

        Create(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            if (name.isBlank()) {
                throw usage("the storage cluster needs a name");
            }
            List<String> list = null;
            if (nodes != null) {
                list = Arrays.stream(nodes.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
                if (list.isEmpty()) {
                    throw usage("--nodes: no node given");
                }
                if (list.stream().distinct().count() != list.size()) {
                    throw usage("--nodes: a node is given twice");
                }
            }
            JsonNode answer = ctx.api().post("/api/v1/cluster", new CreateClusterRequest(name, list, encryption));
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            Cluster c = ctx.read(answer, Cluster.class);
            out().println("Created storage cluster " + c.name() + " with " + c.nodes() + " node"
                    + (c.nodes() == 1 ? "" : "s") + ".");
            out().println();
            Show.print(c, out());
            return KeelCli.OK;
        }
    }
}
