package io.keel.cli;

import static io.keel.cli.ApiClient.segment;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keel compute}: the compute cluster, the nodes that run VMs. */
@Command(
        name = "compute",
        description = "Manage the compute cluster: the nodes that run VMs, their capacity and accelerator.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {
            ComputeCommands.Show.class,
            ComputeCommands.Create.class,
            ComputeCommands.AddNode.class,
            ComputeCommands.RemoveNode.class,
            ComputeCommands.Delete.class
        })
final class ComputeCommands extends KeelSubcommand.Group {
    record ComputeNode(String id, String name, String status, int vcpus, long ramBytes, int vcpusAllocated,
            long ramAllocatedBytes, String accelerator, String acceleratorMode, String acceleratorReason) {}

    record ComputeCluster(String createdAt, List<ComputeNode> nodes, int vcpus, long ramBytes, int vcpusAllocated,
            long ramAllocatedBytes) {}

    record CreateComputeClusterRequest(List<String> nodes) {}

    record AddComputeNodeRequest(String node) {}

    ComputeCommands(CliContext ctx) {
        super(ctx);
    }

    /** The API's answer as JSON, or {@code headline} and the cluster as text. */
    static void print(CliContext ctx, JsonNode answer, String headline) {
        if (ctx.jsonOutput()) {
            ctx.printJson(answer);
            return;
        }
        if (headline != null) {
            ctx.out().println(headline);
        }
        print(ctx.read(answer, ComputeCluster.class), ctx.out());
    }

    static void print(ComputeCluster c, PrintWriter out) {
        out.println("created: " + Format.instant(c.createdAt()));
        out.println("capacity: " + c.vcpus() + " vCPUs, " + Format.bytes(c.ramBytes()) + " RAM; allocated "
                + c.vcpusAllocated() + " vCPUs, " + Format.bytes(c.ramAllocatedBytes()));
        Table t = new Table("NAME", "STATUS", "VCPUS", "RAM", "VCPUS USED", "RAM USED", "ACCELERATOR");
        for (ComputeNode n : c.nodes()) {
            t.row(n.name(), Format.titleCase(n.status()), n.vcpus(), Format.bytes(n.ramBytes()), n.vcpusAllocated(),
                    Format.bytes(n.ramAllocatedBytes()), Format.orDash(n.accelerator()));
        }
        t.print(out);
        out.println("accelerators:");
        for (ComputeNode n : c.nodes()) {
            out.println("  " + n.name() + ": " + (n.accelerator() == null ? "not reported yet"
                    : n.accelerator() + " (" + n.acceleratorReason() + ")"));
        }
    }

    @Command(name = "show", description = "Show the compute nodes: capacity, allocation and accelerator with the reason.")
    static final class Show extends KeelSubcommand {
        Show(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            print(ctx, ctx.api().get("/api/v1/compute"), null);
            return KeelCli.OK;
        }
    }

    @Command(name = "create", description = {
        "Create the compute cluster from healthy storage cluster nodes.",
        "Installs the default flavors (tiny, small, medium, large, xlarge) whose names are free."})
    static final class Create extends KeelSubcommand {
        @Option(names = "--nodes", required = true, split = ",", paramLabel = "NODE",
                description = "Node names or ids, comma-separated: --nodes node1,node2.")
        List<String> nodes;

        Create(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().post("/api/v1/compute", new CreateComputeClusterRequest(nodes));
            print(ctx, answer, "Created the compute cluster.");
            return KeelCli.OK;
        }
    }

    @Command(name = "add-node", description = "Add a healthy storage cluster node to the compute cluster.")
    static final class AddNode extends KeelSubcommand {
        @Parameters(paramLabel = "NODE", description = "Node name or id.")
        String node;

        AddNode(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().post("/api/v1/compute/nodes", new AddComputeNodeRequest(node));
            print(ctx, answer, "Added " + node + " to the compute cluster.");
            return KeelCli.OK;
        }
    }

    @Command(name = "remove-node", description = "Remove a node from the compute cluster (not its last node).")
    static final class RemoveNode extends KeelSubcommand {
        @Parameters(paramLabel = "NODE", description = "Node name or id.")
        String node;

        RemoveNode(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().delete("/api/v1/compute/nodes/" + segment(node));
            print(ctx, answer, "Removed " + node + " from the compute cluster.");
            return KeelCli.OK;
        }
    }

    @Command(name = "delete", description = {
        "Delete the compute cluster; flavors are kept.",
        "Asks for the word 'compute' on standard input unless --yes is given."})
    static final class Delete extends KeelSubcommand {
        @Option(names = "--yes", description = "Delete without asking.")
        boolean yes;

        Delete(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            if (!yes) {
                Confirmation.require(ctx, "Delete the compute cluster? Type 'compute' to confirm: ", "compute",
                        "compute cluster not deleted");
            }
            ctx.api().delete("/api/v1/compute");
            if (!ctx.jsonOutput()) {
                out().println("Deleted the compute cluster.");
            }
            return KeelCli.OK;
        }
    }
}
