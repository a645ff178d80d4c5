package io.keel.cli;

import static io.keel.cli.ApiClient.segment;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keel node maintenance plan|enter|leave NODE}: evacuate a node and take it out of the pool (ADR 0030). */
@Command(
        name = "maintenance",
        description = "Put a node in maintenance (its VMs move away and it leaves the scheduling pool) or take it out.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {NodeMaintenanceCommands.PlanCmd.class, NodeMaintenanceCommands.Enter.class,
            NodeMaintenanceCommands.Leave.class})
final class NodeMaintenanceCommands extends KeelSubcommand.Group {
    private static final Duration POLL = Duration.ofMillis(500);

    record Move(String vm, String vmName, String action, String to, String toName) {}

    record Blocker(String vm, String vmName, String reason) {}

    record Plan(String node, String nodeName, String mode, List<Move> moves, List<Blocker> blockers,
            List<String> remaining) {}

    NodeMaintenanceCommands(CliContext ctx) {
        super(ctx);
    }

    static String path(String node) {
        return "/api/v1/nodes/" + segment(node) + "/maintenance";
    }

    /** Each VM and where it goes, then what blocks. */
    static void print(Plan p, PrintWriter out) {
        out.println("Maintenance plan for node " + p.nodeName() + " (now " + p.mode() + "):");
        if (p.moves().isEmpty() && p.blockers().isEmpty()) {
            out.println("  no VM to move");
        }
        if (!p.moves().isEmpty()) {
            Table t = new Table("VM", "ACTION", "TO");
            p.moves().forEach(m -> t.row(m.vmName(), m.action(), Format.orDash(m.toName())));
            t.print(out, "  ");
        }
        if (!p.blockers().isEmpty()) {
            out.println("Blocked by:");
            p.blockers().forEach(b -> out.println("  VM " + b.vmName() + ": " + b.reason()));
        }
    }

    @Command(name = "plan", description = "Show what entering maintenance would do: each VM's target node, and what blocks.")
    static final class PlanCmd extends KeelSubcommand {
        @Parameters(paramLabel = "NODE", description = "The node's name or id.")
        String node;

        PlanCmd(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().get(path(node) + "/plan");
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            print(ctx.read(answer, Plan.class), out());
            return KeelCli.OK;
        }
    }

    @Command(name = "enter", description = {"Show the plan, then put the node in maintenance and wait until its VMs",
            "have left: running ones live-migrate, stopped ones move. Refused while a pinned VM runs on it."})
    static final class Enter extends KeelSubcommand {
        @Parameters(paramLabel = "NODE", description = "The node's name or id.")
        String node;

        @Option(names = "--no-wait", description = "Return once the node is in maintenance; the VMs move in the background.")
        boolean noWait;

        @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "900",
                description = "How long to wait for the VMs to leave (default ${DEFAULT-VALUE}).")
        int waitSeconds;

        Enter(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() throws InterruptedException {
            Plan plan = ctx.read(ctx.api().get(path(node) + "/plan"), Plan.class);
            if (!ctx.jsonOutput()) {
                print(plan, out());
                out().flush();
            }
            if (!plan.blockers().isEmpty() && "active".equals(plan.mode())) {
                throw new CliException("node " + plan.nodeName() + " cannot enter maintenance: stop or move the"
                        + " blocking VMs first; nothing was changed");
            }
            JsonNode answer = ctx.api().post(path(node), null);
            Plan entered = ctx.read(answer, Plan.class);
            if (!ctx.jsonOutput()) {
                out().println("Node " + entered.nodeName() + " is in maintenance: it takes no new VMs.");
                out().flush();
            }
            if (noWait) {
                if (ctx.jsonOutput()) {
                    ctx.printJson(answer);
                }
                return KeelCli.OK;
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(waitSeconds).toNanos();
            List<String> shown = null;
            while (!entered.remaining().isEmpty()) {
                if (!ctx.jsonOutput() && !entered.remaining().equals(shown)) {
                    shown = entered.remaining();
                    out().println("  still on " + entered.nodeName() + ": " + String.join(", ", shown));
                    out().flush();
                }
                if (System.nanoTime() >= deadline) {
                    throw new CliException("node " + entered.nodeName() + " is in maintenance, but after "
                            + waitSeconds + " s these VMs are still on it: " + String.join(", ", entered.remaining())
                            + " (see 'keel events')");
                }
                Thread.sleep(POLL);
                answer = ctx.api().get(path(node) + "/plan");
                entered = ctx.read(answer, Plan.class);
            }
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
            } else {
                out().println("Node " + entered.nodeName() + " is evacuated.");
            }
            return KeelCli.OK;
        }
    }

    @Command(name = "leave", description = {"Take the node out of maintenance: it takes VMs again (with migrate-back,",
            "the VMs moved off it return)."})
    static final class Leave extends KeelSubcommand {
        @Parameters(paramLabel = "NODE", description = "The node's name or id.")
        String node;

        Leave(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().delete(path(node));
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            Plan p = ctx.read(answer, Plan.class);
            out().println("Node " + p.nodeName() + " is out of maintenance and takes VMs again.");
            return KeelCli.OK;
        }
    }
}
