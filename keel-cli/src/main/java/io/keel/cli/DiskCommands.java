package io.keel.cli;

import static io.keel.cli.ApiClient.segment;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.cli.Views.Disk;
import io.keel.cli.Views.DiskRoleRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keel disk}: the disks the nodes reported, and their roles. */
@Command(
        name = "disk",
        description = "List disks and assign their roles.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {DiskCommands.ListDisks.class, DiskCommands.Assign.class})
final class DiskCommands extends KeelSubcommand.Group {
    DiskCommands(CliContext ctx) {
        super(ctx);
    }

    @Command(name = "list", description = "List the disks of all nodes, or of one.")
    static final class ListDisks extends KeelSubcommand {
        @Option(names = "--node", paramLabel = "NODE", description = "Only the disks of this node (name or id).")
        String node;

        ListDisks(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            String query = node == null ? "" : "?node=" + URLEncoder.encode(node, StandardCharsets.UTF_8);
            JsonNode answer = ctx.api().get("/api/v1/disks" + query);
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            Table t = new Table("NODE", "DISK", "KIND", "DEVICE", "SIZE", "TYPE", "SYSTEM", "ROLE");
            for (Disk d : ctx.readList(answer, Disk.class)) {
                t.row(d.nodeName() == null ? Format.orDash(d.nodeId()) : d.nodeName(), d.id(), Format.orDash(d.kind()),
                        Format.orDash(d.device()), Format.bytes(d.sizeBytes()), d.rotational() ? "HDD" : "SSD",
                        Format.yesNo(d.system()), Format.role(d.role(), d.tier(), d.checksumming(), d.caching()));
            }
            t.print(out());
            return KeelCli.OK;
        }
    }

    @Command(
            name = "assign",
            description = {
                "Set the role of a disk.",
                "ROLE is one of none, storage, metadata, cache, metadata+cache, system.",
                "--tier (0-3) applies to storage, cache and metadata+cache;",
                "--checksumming and --caching apply to storage only."
            })
    static final class Assign extends KeelSubcommand {
        @Parameters(index = "0", paramLabel = "NODE", description = "Node name or id.")
        String node;

        @Parameters(index = "1", paramLabel = "DISK", description = "Disk id, as 'keel disk list' shows it.")
        String disk;

        @Option(names = "--role", required = true, paramLabel = "ROLE",
                description = "none, storage, metadata, cache, metadata+cache or system.")
        String role;

        @Option(names = "--tier", paramLabel = "N", description = "Storage tier, 0-3.")
        Integer tier;

        @Option(names = "--checksumming", negatable = true, description = "Checksum the data (storage only).")
        Boolean checksumming;

        @Option(names = "--caching", negatable = true, description = "Cache the data (storage only).")
        Boolean caching;

        Assign(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            DiskRoleRequest request;
            try {
                request = DiskRoles.request(null, DiskRoles.roleName(role), tier, checksumming, caching);
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
            JsonNode answer = ctx.api().put(
                    "/api/v1/nodes/" + segment(node) + "/disks/" + segment(disk) + "/role", request);
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            Disk d = ctx.read(answer, Disk.class);
            out().println("Disk " + d.id() + " of node " + (d.nodeName() == null ? d.nodeId() : d.nodeName())
                    + " is now: " + Format.role(d.role(), d.tier(), d.checksumming(), d.caching()));
            return KeelCli.OK;
        }
    }
}
