package io.keel.cli;

import static io.keel.cli.ApiClient.segment;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keel snapshot}: point-in-time images of volumes, reverting to them and what changed since. */
@Command(
        name = "snapshot",
        description = {
            "Manage snapshots: read-only, crash-consistent images of a volume.",
            "Snapshots share data with their volume; clone one with 'keel volume clone'."},
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {
            SnapshotCommands.Create.class,
            SnapshotCommands.ListSnapshots.class,
            SnapshotCommands.Show.class,
            SnapshotCommands.Delete.class,
            SnapshotCommands.Revert.class,
            SnapshotCommands.Diff.class
        })
final class SnapshotCommands extends KeelSubcommand.Group {
    record Snapshot(String id, String name, String volume, long sizeBytes, String createdAt, long chunks) {}

    record CreateSnapshotRequest(String name) {}

    record Extent(long offset, long length) {}

    record ChangedExtents(String from, String to, int chunkSizeBytes, List<Extent> extents, long changedBytes) {}

    SnapshotCommands(CliContext ctx) {
        super(ctx);
    }

    static String path(String volume) {
        return "/api/v1/volumes/" + segment(volume) + "/snapshots";
    }

    static String path(String volume, String snapshot) {
        return path(volume) + "/" + segment(snapshot);
    }

    @Command(name = "create", description = {
        "Take a snapshot of a volume.",
        "An open volume's writer pauses its writes for a moment, so the snapshot is crash-consistent."})
    static final class Create extends KeelSubcommand {
        @Parameters(index = "0", paramLabel = "VOLUME", description = "Volume name or id.")
        String volume;

        @Parameters(index = "1", paramLabel = "NAME",
                description = "Unique among the volume's snapshots: letters, digits, hyphens, dots and underscores.")
        String name;

        Create(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().post(path(volume), new CreateSnapshotRequest(name));
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            Snapshot s = ctx.read(answer, Snapshot.class);
            out().println("Created snapshot " + s.name() + " (" + s.id() + ") of volume " + s.volume() + ": "
                    + Format.bytes(s.sizeBytes()) + ", " + s.chunks() + " chunks.");
            return KeelCli.OK;
        }
    }

    @Command(name = "list", description = "List a volume's snapshots, oldest first.")
    static final class ListSnapshots extends KeelSubcommand {
        @Parameters(paramLabel = "VOLUME", description = "Volume name or id.")
        String volume;

        ListSnapshots(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().get(path(volume));
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            var snapshots = ctx.readList(answer, Snapshot.class);
            if (snapshots.isEmpty()) {
                out().println("(no snapshots)");
                return KeelCli.OK;
            }
            Table t = new Table("NAME", "ID", "SIZE", "CHUNKS", "CREATED");
            for (Snapshot s : snapshots) {
                t.row(s.name(), s.id(), Format.bytes(s.sizeBytes()), s.chunks(), Format.instant(s.createdAt()));
            }
            t.print(out());
            return KeelCli.OK;
        }
    }

    @Command(name = "show", description = "Show one snapshot.")
    static final class Show extends KeelSubcommand {
        @Parameters(index = "0", paramLabel = "VOLUME", description = "Volume name or id.")
        String volume;

        @Parameters(index = "1", paramLabel = "SNAPSHOT", description = "Snapshot name or id.")
        String snapshot;

        Show(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().get(path(volume, snapshot));
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            Snapshot s = ctx.read(answer, Snapshot.class);
            out().println("name: " + s.name());
            out().println("id: " + s.id());
            out().println("volume: " + s.volume());
            out().println("size: " + Format.bytes(s.sizeBytes()) + " (" + s.sizeBytes() + " bytes)");
            out().println("chunks: " + s.chunks());
            out().println("created: " + Format.instant(s.createdAt()));
            return KeelCli.OK;
        }
    }

    @Command(name = "delete", description = {
        "Delete a snapshot. Clones made from it keep their data.",
        "Asks for the snapshot's name on standard input unless --yes is given."})
    static final class Delete extends KeelSubcommand {
        @Parameters(index = "0", paramLabel = "VOLUME", description = "Volume name or id.")
        String volume;

        @Parameters(index = "1", paramLabel = "SNAPSHOT", description = "Snapshot name or id.")
        String snapshot;

        @Option(names = "--yes", description = "Delete without asking.")
        boolean yes;

        Delete(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            if (!yes) {
                Confirmation.require(ctx, "Delete snapshot " + snapshot + " of volume " + volume
                        + "? Type its name to confirm: ",
                        snapshot, "snapshot " + snapshot + " not deleted");
            }
            ctx.api().delete(path(volume, snapshot));
            if (!ctx.jsonOutput()) {
                out().println("Deleted snapshot " + snapshot + " of volume " + volume + ".");
            }
            return KeelCli.OK;
        }
    }

    @Command(name = "revert", description = {
        "Make a volume what it was at a snapshot, size included; everything written since is lost.",
        "The volume must not be open for writing. Asks for the volume's name unless --yes is given."})
    static final class Revert extends KeelSubcommand {
        @Parameters(index = "0", paramLabel = "VOLUME", description = "Volume name or id.")
        String volume;

        @Parameters(index = "1", paramLabel = "SNAPSHOT", description = "Snapshot name or id.")
        String snapshot;

        @Option(names = "--yes", description = "Revert without asking.")
        boolean yes;

        Revert(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            if (!yes) {
                Confirmation.require(ctx, "Revert volume " + volume + " to snapshot " + snapshot
                        + ", losing everything written since? Type the volume's name to confirm: ",
                        volume, "volume " + volume + " not reverted");
            }
            JsonNode answer = ctx.api().post(path(volume, snapshot) + "/revert", null);
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            VolumeCommands.Volume v = ctx.read(answer, VolumeCommands.Volume.class);
            out().println("Volume " + v.name() + " is back at snapshot " + snapshot + " ("
                    + Format.bytes(v.sizeBytes()) + ").");
            return KeelCli.OK;
        }
    }

    @Command(name = "diff", description = {
        "List the byte ranges that may differ between two snapshots, or a snapshot and the volume.",
        "Ranges are whole chunks; without --from every allocated range is listed."})
    static final class Diff extends KeelSubcommand {
        @Parameters(paramLabel = "VOLUME", description = "Volume name or id.")
        String volume;

        @Option(names = "--from", paramLabel = "SNAPSHOT", description = "Compare from this snapshot (default: empty).")
        String from;

        @Option(names = "--to", paramLabel = "SNAPSHOT", description = "Compare to this snapshot (default: the volume now).")
        String to;

        Diff(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            List<String> query = new ArrayList<>();
            if (from != null) {
                query.add("from=" + segment(from));
            }
            if (to != null) {
                query.add("to=" + segment(to));
            }
            String path = "/api/v1/volumes/" + segment(volume) + "/changed-extents"
                    + (query.isEmpty() ? "" : "?" + String.join("&", query));
            JsonNode answer = ctx.api().get(path);
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            ChangedExtents d = ctx.read(answer, ChangedExtents.class);
            if (!d.extents().isEmpty()) {
                Table t = new Table("OFFSET", "LENGTH");
                for (Extent e : d.extents()) {
                    t.row(e.offset(), e.length());
                }
                t.print(out());
            }
            out().println("changed: " + Format.bytes(d.changedBytes()) + " (" + d.changedBytes() + " bytes) in "
                    + d.extents().size() + (d.extents().size() == 1 ? " range" : " ranges") + ", from "
                    + (d.from() == null ? "nothing" : d.from()) + " to " + d.to() + ".");
            return KeelCli.OK;
        }
    }
}
