package io.keel.cli;

import static io.keel.cli.IscsiCommands.groupPath;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.cli.IscsiCommands.Lun;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keel iscsi lun add|list|remove}: the volumes a group exports. */
@Command(
        name = "lun",
        description = "Export volumes from a target group as LUNs, list them, stop exporting them.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {IscsiLunCommands.Add.class, IscsiLunCommands.ListLuns.class, IscsiLunCommands.Remove.class})
final class IscsiLunCommands extends KeelSubcommand.Group {
    /** SAM-5 flat space addressing: what the API accepts. */
    static final int MAX_LUN = 16383;

    record AttachRequest(String volume, Integer lun) {}

    IscsiLunCommands(CliContext ctx) {
        super(ctx);
    }

    static String paths(Lun l) {
        return l.paths().isEmpty() ? "no paths"
                : l.paths().stream().map(p -> p.nodeName() + " " + p.alua()).collect(Collectors.joining(", "));
    }

    @Command(name = "add", description = {
        "Export a volume from a group as a LUN, through every target of the group.",
        "One path is active/optimized (the node serving the volume); the others are",
        "standby and take over when that node is lost, so initiators need multipath",
        "(e.g. multipathd on Linux)."})
    static final class Add extends KeelSubcommand {
        @Parameters(index = "0", paramLabel = "GROUP", description = "The group's name or id.")
        String group;

        @Parameters(index = "1", paramLabel = "VOLUME", description = "The volume's name or id.")
        String volume;

        @Option(names = "--lun", paramLabel = "N", description = "The LUN number, 0-" + MAX_LUN + " (default: the lowest free one).")
        Integer lun;

        Add(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            if (lun != null && (lun < 0 || lun > MAX_LUN)) {
                throw usage("--lun must be from 0 to " + MAX_LUN + ", not " + lun);
            }
            JsonNode answer = ctx.api().post(groupPath(group) + "/luns", new AttachRequest(volume, lun));
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            Lun l = ctx.read(answer, Lun.class);
            out().println("Exported volume " + l.volumeName() + " (" + Format.bytes(l.sizeBytes()) + ") from iSCSI group "
                    + group + " as LUN " + l.lun() + ": " + paths(l) + ".");
            out().println("Initiators logged in to the group see it after a rescan (iscsiadm -m session --rescan).");
            return KeelCli.OK;
        }
    }

    @Command(name = "list", description = "List the LUNs a group exports: the volume, and each path's ALUA state.")
    static final class ListLuns extends KeelSubcommand {
        @Parameters(paramLabel = "GROUP", description = "The group's name or id.")
        String group;

        ListLuns(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().get(groupPath(group) + "/luns");
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            List<Lun> luns = ctx.readList(answer, Lun.class);
            if (luns.isEmpty()) {
                out().println("(no LUNs)");
            } else {
                IscsiCommands.printLuns(luns, out(), "");
            }
            return KeelCli.OK;
        }
    }

    @Command(name = "remove", description = {"Stop exporting a LUN; the volume and its data are kept.",
            "Initiators lose access to it at once: unmount or disconnect it on them first."})
    static final class Remove extends KeelSubcommand {
        @Parameters(index = "0", paramLabel = "GROUP", description = "The group's name or id.")
        String group;

        @Parameters(index = "1", paramLabel = "LUN", description = "The LUN number (see 'keel iscsi lun list').")
        int lun;

        Remove(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            if (lun < 0 || lun > MAX_LUN) {
                throw usage("LUN must be from 0 to " + MAX_LUN + ", not " + lun);
            }
            ctx.api().delete(groupPath(group) + "/luns/" + lun);
            if (!ctx.jsonOutput()) {
                out().println("Removed LUN " + lun + " from iSCSI group " + group + "; the volume is kept.");
            }
            return KeelCli.OK;
        }
    }
}
