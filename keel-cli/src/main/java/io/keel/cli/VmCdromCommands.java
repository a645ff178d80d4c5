package io.keel.cli;

import static io.keel.cli.ApiClient.segment;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code keel vm cdrom insert|eject}: the disc in a VM's CD-ROM drive. */
@Command(name = "cdrom", description = "Change the disc (an ISO image) in a VM's CD-ROM drive, while it runs or not.",
        subcommands = {VmCdromCommands.Insert.class, VmCdromCommands.Eject.class})
final class VmCdromCommands extends KeelSubcommand.Group {
    record InsertRequest(String image) {}

    VmCdromCommands(CliContext ctx) {
        super(ctx);
    }

    @Command(name = "insert", description = {"Put an ISO image in the drive; the VM boots from it first at its next start."})
    static final class Insert extends KeelSubcommand {
        @Parameters(index = "0", paramLabel = "VM", description = "The VM's name or id.")
        String vm;

        @Parameters(index = "1", paramLabel = "ISO", description = "An ISO image: see 'keel image list'.")
        String image;

        Insert(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().send("PUT", "/api/v1/vms/" + segment(vm) + "/cdrom", new InsertRequest(image));
            return VmCommands.report(this, ctx, answer, "Inserted " + image + " in");
        }
    }

    @Command(name = "eject", description = "Empty the drive.")
    static final class Eject extends KeelSubcommand {
        @Parameters(paramLabel = "VM", description = "The VM's name or id.")
        String vm;

        Eject(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().delete("/api/v1/vms/" + segment(vm) + "/cdrom");
            return VmCommands.report(this, ctx, answer, "Ejected the CD of");
        }
    }
}
