package io.keel.cli;

import static io.keel.cli.ApiClient.segment;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keel vm placement VM --strategy auto|failover|pinned [--node NODE]}: the "Manage placement" action. */
@Command(name = "placement", description = {"Manage placement: how the HA engine treats the VM when its node fails.",
        "auto: restarted on the node with the most free resources; failover: restarted elsewhere only when its node",
        "is lost; pinned: never moves, and is held stopped when its node returns until started by hand."})
final class VmPlacementCommand extends KeelSubcommand {
    record PlacementRequest(String strategy, String node) {}

    @Parameters(paramLabel = "VM", description = "The VM's name or id.")
    String vm;

    @Option(names = "--strategy", paramLabel = "STRATEGY", required = true,
            description = "auto, failover or pinned.")
    String strategy;

    @Option(names = "--node", paramLabel = "NODE",
            description = "The VM's own node (it must be the one it runs on; move it with 'keel vm migrate').")
    String node;

    VmPlacementCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    public Integer call() {
        JsonNode answer = ctx.api().put("/api/v1/vms/" + segment(vm) + "/placement",
                new PlacementRequest(strategy.toLowerCase(Locale.ROOT), node));
        if (ctx.jsonOutput()) {
            ctx.printJson(answer);
            return KeelCli.OK;
        }
        VmCommands.Vm v = ctx.read(answer, VmCommands.Vm.class);
        out().println("VM " + v.name() + " placement " + v.placement().toLowerCase(Locale.ROOT) + " on " + v.nodeName()
                + ".");
        return KeelCli.OK;
    }
}
