package io.keel.cli;

import static io.keel.cli.ApiClient.segment;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keel volume}: thin volumes, their size, storage policy, health and writer. */
@Command(
        name = "volume",
        description = "Manage volumes: thin block devices stored in chunks under a storage policy.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {
            VolumeCommands.ListVolumes.class,
            VolumeCommands.Show.class,
            VolumeCommands.Create.class,
            VolumeCommands.Extend.class,
            VolumeCommands.SetPolicy.class,
            VolumeCommands.Clone.class,
            VolumeCommands.Delete.class,
            VolumeCommands.BreakLease.class
        })
final class VolumeCommands extends KeelSubcommand.Group {
    record Volume(String id, String name, long sizeBytes, int chunkSizeBytes, String policy, long allocatedBytes,
            long physicalBytes, String health, String healthReason, long chunks, long degradedChunks,
            String leaseHolder, Long leaseEpoch, String createdAt, String home, String redundancy, Double overhead,
            Long rawSizeBytes) {}

    record CreateVolumeRequest(String name, String size, String policy, String chunkSize) {}

    record ExtendVolumeRequest(String size) {}

    record SetVolumePolicyRequest(String policy) {}

    record CloneRequest(String name, String policy) {}

    VolumeCommands(CliContext ctx) {
        super(ctx);
    }

    @Command(name = "list", description = "List the volumes with their size, space used, policy, health and writer.")
    static final class ListVolumes extends KeelSubcommand {
        ListVolumes(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().get("/api/v1/volumes");
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            var volumes = ctx.readList(answer, Volume.class);
            if (volumes.isEmpty()) {
                out().println("(no volumes)");
                return KeelCli.OK;
            }
            Table t = new Table("NAME", "SIZE", "ALLOCATED", "POLICY", "HEALTH", "WRITER");
            for (Volume v : volumes) {
                t.row(v.name(), Format.bytes(v.sizeBytes()), Format.bytes(v.allocatedBytes()), Format.orDash(v.policy()),
                        Format.orDash(v.health()), Format.orDash(v.leaseHolder()));
            }
            t.print(out());
            return KeelCli.OK;
        }
    }

    @Command(name = "show", description = "Show one volume: space, chunks, health and why, and who writes it.")
    static final class Show extends KeelSubcommand {
        @Parameters(paramLabel = "VOLUME", description = "Volume name or id.")
        String volume;

        Show(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().get("/api/v1/volumes/" + segment(volume));
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            print(ctx.read(answer, Volume.class), out());
            return KeelCli.OK;
        }

        static void print(Volume v, PrintWriter out) {
            out.println("name: " + v.name());
            out.println("id: " + v.id());
            out.println("size: " + withBytes(v.sizeBytes()));
            out.println("chunk size: " + Format.bytes(v.chunkSizeBytes()));
            out.println("policy: " + Format.orDash(v.policy()));
            out.println("allocated: " + withBytes(v.allocatedBytes()));
            out.println("physical: " + withBytes(v.physicalBytes()));
            // Servers before ADR 0048 do not send the policy's overhead.
            if (v.overhead() != null) {
                out.println("overhead: " + Format.overhead(v.overhead())
                        + (v.redundancy() == null ? "" : " (" + v.redundancy() + ")")
                        + (v.rawSizeBytes() == null ? "" : ", " + Format.bytes(v.rawSizeBytes()) + " raw when full"));
            }
            out.println("health: " + Format.orDash(v.health()));
            out.println("health reason: " + Format.orDash(v.healthReason()));
            out.println("chunks: " + v.chunks() + " (" + v.degradedChunks() + " degraded)");
            out.println("writer: " + (v.leaseHolder() == null ? "-"
                    : v.leaseHolder() + (v.leaseEpoch() == null ? "" : " (lease epoch " + v.leaseEpoch() + ")")));
            out.println("home node: " + Format.orDash(v.home()));
            out.println("created: " + Format.instant(v.createdAt()));
        }

        private static String withBytes(long bytes) {
            return bytes < 1024 ? Format.bytes(bytes) : Format.bytes(bytes) + " (" + bytes + " bytes)";
        }
    }

    @Command(name = "create", description = "Create a thin volume: space is taken only as it is written.")
    static final class Create extends KeelSubcommand {
        @Parameters(paramLabel = "NAME", description = "Latin letters, digits, hyphens, dots and underscores.")
        String name;

        @Option(names = "--size", required = true, paramLabel = "SIZE", converter = Sizes.Converter.class,
                description = "Bytes, or a number ending in K, M, G or T (powers of 1024), e.g. 10G.")
        String size;

        @Option(names = "--policy", paramLabel = "NAME",
                description = "Storage policy (default: the cluster's only one, if it has exactly one).")
        String policy;

        @Option(names = "--chunk-size", paramLabel = "SIZE", converter = Sizes.Converter.class,
                description = "A power of two from 1M to 256M (default 64M).")
        String chunkSize;

        Create(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().post("/api/v1/volumes", new CreateVolumeRequest(name, size, policy, chunkSize));
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            Volume v = ctx.read(answer, Volume.class);
            out().println("Created volume " + v.name() + " (" + v.id() + "): " + Format.bytes(v.sizeBytes())
                    + ", policy " + v.policy() + ", chunks of " + Format.bytes(v.chunkSizeBytes()) + ".");
            return KeelCli.OK;
        }
    }

    @Command(name = "extend", description = "Grow a volume. Volumes never shrink: that would lose data.")
    static final class Extend extends KeelSubcommand {
        @Parameters(paramLabel = "VOLUME", description = "Volume name or id.")
        String volume;

        @Option(names = "--size", required = true, paramLabel = "SIZE", converter = Sizes.Converter.class,
                description = "The new size, not below the current one, e.g. 20G.")
        String size;

        Extend(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().post("/api/v1/volumes/" + segment(volume) + "/extend",
                    new ExtendVolumeRequest(size));
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            Volume v = ctx.read(answer, Volume.class);
            out().println("Volume " + v.name() + " is now " + Format.bytes(v.sizeBytes()) + ".");
            return KeelCli.OK;
        }
    }

    @Command(name = "set-policy", description = {
        "Move a volume to another storage policy.",
        "New chunks follow the new policy at once; existing chunks are moved in the background."})
    static final class SetPolicy extends KeelSubcommand {
        @Parameters(index = "0", paramLabel = "VOLUME", description = "Volume name or id.")
        String volume;

        @Parameters(index = "1", paramLabel = "POLICY", description = "The storage policy's name.")
        String policy;

        SetPolicy(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().put("/api/v1/volumes/" + segment(volume) + "/policy",
                    new SetVolumePolicyRequest(policy));
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            Volume v = ctx.read(answer, Volume.class);
            out().println("Volume " + v.name() + " now uses storage policy " + v.policy()
                    + "; existing chunks move in the background.");
            return KeelCli.OK;
        }
    }

    @Command(name = "clone", description = {
        "Create a volume from a snapshot of another one.",
        "The clone shares the snapshot's data and copies a chunk only when it first writes it."})
    static final class Clone extends KeelSubcommand {
        @Parameters(index = "0", paramLabel = "VOLUME", description = "Name or id of the volume the snapshot is of.")
        String volume;

        @Parameters(index = "1", paramLabel = "SNAPSHOT", description = "Snapshot name or id.")
        String snapshot;

        @Parameters(index = "2", paramLabel = "NEWNAME", description = "The new volume's name.")
        String name;

        @Option(names = "--policy", paramLabel = "NAME", description = "Storage policy (default: the snapshot's).")
        String policy;

        Clone(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().post(SnapshotCommands.path(volume, snapshot) + "/clone",
                    new CloneRequest(name, policy));
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            Volume v = ctx.read(answer, Volume.class);
            out().println("Created volume " + v.name() + " (" + v.id() + ") from snapshot " + snapshot + " of volume "
                    + volume + ": " + Format.bytes(v.sizeBytes()) + ", policy " + v.policy() + ".");
            return KeelCli.OK;
        }
    }

    @Command(name = "delete", description = {
        "Delete a volume and all its data.",
        "Asks for the volume's name on standard input unless --yes is given."})
    static final class Delete extends KeelSubcommand {
        @Parameters(paramLabel = "VOLUME", description = "Volume name or id.")
        String volume;

        @Option(names = "--yes", description = "Delete without asking.")
        boolean yes;

        Delete(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            if (!yes) {
                Confirmation.require(ctx, "Delete volume " + volume + " and all its data? Type its name to confirm: ",
                        volume, "volume " + volume + " not deleted");
            }
            ctx.api().delete("/api/v1/volumes/" + segment(volume));
            if (!ctx.jsonOutput()) {
                out().println("Deleted volume " + volume + ".");
            }
            return KeelCli.OK;
        }
    }

    @Command(name = "break-lease", description = {
        "Take the write lease away from the node holding it (a stuck or half-dead writer).",
        "The next writer gets a newer epoch; the old holder's writes are then refused by every chunk service."})
    static final class BreakLease extends KeelSubcommand {
        @Parameters(paramLabel = "VOLUME", description = "Volume name or id.")
        String volume;

        BreakLease(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().post("/api/v1/volumes/" + segment(volume) + "/break-lease", null);
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            out().println("The write lease of volume " + volume + " is broken; its old holder can no longer write.");
            return KeelCli.OK;
        }
    }
}
