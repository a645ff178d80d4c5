package io.keel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keel cluster ha show|set}: the cluster's HA settings (ADR 0030). */
@Command(
        name = "ha",
        description = "Show or change the cluster's HA settings: relocation mode and migrate-back.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {ClusterHaCommands.Show.class, ClusterHaCommands.Set.class})
final class ClusterHaCommands extends KeelSubcommand.Group {
    record Settings(boolean migrateBack, String relocation, int shutdownTimeoutSeconds) {}

    record SettingsRequest(Boolean migrateBack, String relocation, Integer shutdownTimeoutSeconds) {}

    ClusterHaCommands(CliContext ctx) {
        super(ctx);
    }

    static void print(CliContext ctx, JsonNode answer) {
        if (ctx.jsonOutput()) {
            ctx.printJson(answer);
            return;
        }
        Settings s = ctx.read(answer, Settings.class);
        PrintWriter out = ctx.out();
        out.println("relocation: " + s.relocation());
        out.println("migrate back: " + Format.yesNo(s.migrateBack()));
        out.println("shutdown timeout: " + s.shutdownTimeoutSeconds() + " s");
    }

    @Command(name = "show", description = "Show the cluster's HA settings.")
    static final class Show extends KeelSubcommand {
        Show(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            print(ctx, ctx.api().get("/api/v1/cluster/ha"));
            return KeelCli.OK;
        }
    }

    @Command(name = "set", description = {"Change the cluster's HA settings; what is not given stays.",
            "drs: the node with the most free RAM and vCPUs; round-robin: the next node by name with room."})
    static final class Set extends KeelSubcommand {
        @Option(names = "--migrate-back", paramLabel = "true|false", arity = "1",
                description = "Whether VMs moved off a lost or evacuated node go back when it returns.")
        String migrateBack;

        @Option(names = "--relocation", paramLabel = "MODE", description = "drs or round-robin.")
        String relocation;

        @Option(names = "--shutdown-timeout", paramLabel = "SECONDS",
                description = "How long a node's graceful shutdown waits for its VMs to move (0-3600).")
        Integer shutdownTimeout;

        Set(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            if (migrateBack == null && relocation == null && shutdownTimeout == null) {
                throw usage("nothing to change: give --migrate-back, --relocation or --shutdown-timeout");
            }
            Boolean back = null;
            if (migrateBack != null) {
                String v = migrateBack.trim().toLowerCase(Locale.ROOT);
                if (!v.equals("true") && !v.equals("false")) {
                    throw usage("--migrate-back must be true or false, not '" + migrateBack + "'");
                }
                back = Boolean.valueOf(v);
            }
            String mode = relocation == null ? null : relocation.trim().toLowerCase(Locale.ROOT);
            print(ctx, ctx.api().put("/api/v1/cluster/ha", new SettingsRequest(back, mode, shutdownTimeout)));
            return KeelCli.OK;
        }
    }
}
