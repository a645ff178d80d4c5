package io.keel.cli;

import static io.keel.cli.ApiClient.segment;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keel flavor}: VM size presets (vCPUs and RAM). */
@Command(
        name = "flavor",
        description = "Manage flavors: the vCPU and RAM presets VMs are created with.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {
            FlavorCommands.ListFlavors.class,
            FlavorCommands.Show.class,
            FlavorCommands.Create.class,
            FlavorCommands.Delete.class
        })
final class FlavorCommands extends KeelSubcommand.Group {
    record Flavor(String name, int vcpus, int ramMiB, long ramBytes) {}

    record CreateFlavorRequest(String name, Integer vcpus, String ram) {}

    FlavorCommands(CliContext ctx) {
        super(ctx);
    }

    @Command(name = "list", description = "List the flavors.")
    static final class ListFlavors extends KeelSubcommand {
        ListFlavors(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().get("/api/v1/flavors");
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            var flavors = ctx.readList(answer, Flavor.class);
            if (flavors.isEmpty()) {
                out().println("(no flavors)");
                return KeelCli.OK;
            }
            Table t = new Table("NAME", "VCPUS", "RAM");
            flavors.forEach(f -> t.row(f.name(), f.vcpus(), Format.bytes(f.ramBytes())));
            t.print(out());
            return KeelCli.OK;
        }
    }

    @Command(name = "show", description = "Show one flavor.")
    static final class Show extends KeelSubcommand {
        @Parameters(paramLabel = "NAME", description = "The flavor's name.")
        String name;

        Show(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().get("/api/v1/flavors/" + segment(name));
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            Flavor f = ctx.read(answer, Flavor.class);
            out().println("name: " + f.name());
            out().println("vcpus: " + f.vcpus());
            out().println("ram: " + Format.bytes(f.ramBytes()) + " (" + f.ramMiB() + " MiB)");
            return KeelCli.OK;
        }
    }

    @Command(name = "create", description = {
        "Create a flavor: 1-256 vCPUs and 64M to 4T of RAM in multiples of 4 MiB."})
    static final class Create extends KeelSubcommand {
        @Parameters(paramLabel = "NAME", description = "Latin letters, digits and hyphens.")
        String name;

        @Option(names = "--vcpus", required = true, paramLabel = "N", description = "Virtual CPUs, 1-256.")
        Integer vcpus;

        @Option(names = "--ram", required = true, paramLabel = "SIZE", converter = Sizes.Converter.class,
                description = "RAM ending in M or G (powers of 1024), e.g. 512M or 2G.")
        String ram;

        Create(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            // The API judges the values, so its reason (with the bounds) is what the user sees.
            JsonNode answer = ctx.api().post("/api/v1/flavors", new CreateFlavorRequest(name, vcpus, ram));
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            Flavor f = ctx.read(answer, Flavor.class);
            out().println("Created flavor " + f.name() + ": " + f.vcpus() + " vCPU" + (f.vcpus() == 1 ? "" : "s")
                    + ", " + Format.bytes(f.ramBytes()) + " RAM.");
            return KeelCli.OK;
        }
    }

    @Command(name = "delete", description = "Delete a flavor.")
    static final class Delete extends KeelSubcommand {
        @Parameters(paramLabel = "NAME", description = "The flavor's name.")
        String name;

        Delete(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            ctx.api().delete("/api/v1/flavors/" + segment(name));
            if (!ctx.jsonOutput()) {
                out().println("Deleted flavor " + name + ".");
            }
            return KeelCli.OK;
        }
    }
}
