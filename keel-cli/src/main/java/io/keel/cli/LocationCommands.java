package io.keel.cli;

import static io.keel.cli.ApiClient.segment;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.cli.Views.CreateLocationRequest;
import io.keel.cli.Views.Location;
import io.keel.cli.Views.MoveNodeRequest;
import io.keel.cli.Views.Node;
import io.keel.cli.Views.RenameLocationRequest;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keel location}: rooms, rows and racks, and which rack each node is in. */
@Command(
        name = "location",
        description = "Manage the physical locations: rooms contain rows, rows contain racks, racks contain nodes.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {
            LocationCommands.ListLocations.class,
            LocationCommands.Create.class,
            LocationCommands.Rename.class,
            LocationCommands.Delete.class,
            LocationCommands.Move.class
        })
final class LocationCommands extends KeelSubcommand.Group {
    LocationCommands(CliContext ctx) {
        super(ctx);
    }

    @Command(name = "list", description = "Show the locations as a tree: room > row > rack > node ids.")
    static final class ListLocations extends KeelSubcommand {
        ListLocations(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().get("/api/v1/locations");
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
            } else {
                printTree(ctx.readList(answer, Location.class), out());
            }
            return KeelCli.OK;
        }

        static void printTree(List<Location> locations, PrintWriter out) {
            if (locations.isEmpty()) {
                out.println("(no locations)");
                return;
            }
            Map<String, Location> byId = new LinkedHashMap<>();
            locations.forEach(l -> byId.put(l.id(), l));
            Map<String, List<Location>> children = new LinkedHashMap<>();
            List<Location> roots = new ArrayList<>();
            for (Location l : locations) {
                if (l.parentId() != null && byId.containsKey(l.parentId())) {
                    children.computeIfAbsent(l.parentId(), k -> new ArrayList<>()).add(l);
                } else {
                    roots.add(l);
                }
            }
            Set<String> printed = new HashSet<>();
            for (Location root : roots) {
                print(root, 0, children, printed, out);
            }
        }

        private static void print(Location l, int depth, Map<String, List<Location>> children, Set<String> printed,
                PrintWriter out) {
            if (!printed.add(l.id())) {
                return; // a cycle in what the API answered: print each location once
            }
            String indent = "  ".repeat(depth);
            out.println(indent + Format.orDash(l.type()) + " " + Format.orDash(l.name()) + " (" + l.id() + ")");
            for (Location child : children.getOrDefault(l.id(), List.of())) {
                print(child, depth + 1, children, printed, out);
            }
            if (l.nodeIds() != null) {
                for (String node : l.nodeIds()) {
                    out.println(indent + "  node " + node);
                }
            }
        }
    }

    @Command(name = "create", description = "Create a room, a row in a room, or a rack in a row.")
    static final class Create extends KeelSubcommand {
        @Parameters(index = "0", paramLabel = "room|row|rack", description = "What to create.")
        String type;

        @Parameters(index = "1", paramLabel = "NAME", description = "Its name.")
        String name;

        @Option(names = "--parent", paramLabel = "ID",
                description = "The room a row is in, or the row a rack is in (required for rows and racks).")
        String parent;

        Create(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            String t = type.toLowerCase(Locale.ROOT);
            switch (t) {
                case "room" -> {
                    if (parent != null) {
                        throw usage("a room has no parent: drop --parent");
                    }
                }
                case "row", "rack" -> {
                    if (parent == null) {
                        throw usage("a " + t + " needs --parent ID (the " + (t.equals("row") ? "room" : "row")
                                + " it is in)");
                    }
                }
                default -> throw usage("unknown location type '" + type + "': expected room, row or rack");
            }
            if (name.isBlank()) {
                throw usage("the " + t + " needs a name");
            }
            JsonNode answer = ctx.api().post("/api/v1/locations", new CreateLocationRequest(t, name, parent));
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            Location l = ctx.read(answer, Location.class);
            out().println("Created " + l.type() + " " + l.name() + " (" + l.id() + ")"
                    + (l.parentId() == null ? "" : " in " + l.parentId()) + ".");
            return KeelCli.OK;
        }
    }

    @Command(name = "rename", description = "Rename a room, row or rack.")
    static final class Rename extends KeelSubcommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The location's id.")
        String id;

        @Parameters(index = "1", paramLabel = "NAME", description = "Its new name.")
        String name;

        Rename(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            if (name.isBlank()) {
                throw usage("the new name is empty");
            }
            JsonNode answer = ctx.api().patch("/api/v1/locations/" + segment(id), new RenameLocationRequest(name));
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            Location l = ctx.read(answer, Location.class);
            out().println("Renamed " + l.type() + " " + l.id() + " to " + l.name() + ".");
            return KeelCli.OK;
        }
    }

    @Command(name = "delete", description = "Delete a room, row or rack.")
    static final class Delete extends KeelSubcommand {
        @Parameters(paramLabel = "ID", description = "The location's id.")
        String id;

        Delete(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            ctx.api().delete("/api/v1/locations/" + segment(id));
            if (!ctx.jsonOutput()) {
                out().println("Deleted location " + id + ".");
            }
            return KeelCli.OK;
        }
    }

    @Command(name = "move", description = "Move a node into a rack.")
    static final class Move extends KeelSubcommand {
        @Parameters(paramLabel = "NODE", description = "Node name or id.")
        String node;

        @Option(names = "--rack", required = true, paramLabel = "ID", description = "The rack's id.")
        String rack;

        Move(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().put("/api/v1/nodes/" + segment(node) + "/location", new MoveNodeRequest(rack));
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            Node n = ctx.read(answer, Node.class);
            out().println("Moved node " + Format.orDash(n.name()) + " (" + n.id() + ") to "
                    + NodeCommands.ShowNode.location(n.location()) + ".");
            return KeelCli.OK;
        }
    }
}
