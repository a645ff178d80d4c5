package io.keel.cli;

import static io.keel.cli.IscsiCommands.GROUPS;
import static io.keel.cli.IscsiCommands.groupPath;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.cli.IscsiCommands.TargetGroup;
import io.keel.cli.IscsiCommands.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/** {@code keel iscsi group create|list|show|delete|access}. */
@Command(
        name = "group",
        description = "Manage iSCSI target groups: which nodes export, on which portals, and who may log in.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {IscsiGroupCommands.Create.class, IscsiGroupCommands.ListGroups.class,
            IscsiGroupCommands.Show.class, IscsiGroupCommands.Delete.class, IscsiAccessCommand.class})
final class IscsiGroupCommands extends KeelSubcommand.Group {
    record NodeRequest(String node, String address) {}

    record CreateRequest(String name, List<NodeRequest> nodes) {}

    IscsiGroupCommands(CliContext ctx) {
        super(ctx);
    }

    /** NODE or NODE=ADDRESS: the address is the portal's IP, absent for the node's management address. */
    static final class NodeConverter implements ITypeConverter<NodeRequest> {
        @Override
        public NodeRequest convert(String value) {
            int eq = value.indexOf('=');
            String node = (eq < 0 ? value : value.substring(0, eq)).strip();
            if (node.isEmpty()) {
                throw new TypeConversionException("expected NODE or NODE=ADDRESS, got '" + value + "'");
            }
            if (eq < 0) {
                return new NodeRequest(node, null);
            }
            String address = value.substring(eq + 1).strip();
            if (address.isEmpty()) {
                throw new TypeConversionException("no address after '=' in '" + value
                        + "': give NODE=ADDRESS, or NODE alone for the node's management address");
            }
            return new NodeRequest(node, address);
        }
    }

    @Command(name = "create", description = {
        "Create a target group: one iSCSI target on each --node.",
        "Initiators log in to every target, so each volume exported from the group",
        "has one path per node. Give two or more nodes: with one, the volumes are",
        "unreachable while that node is down. A target listens on its node's",
        "management address, or on ADDRESS (e.g. a storage network) with",
        "--node NODE=ADDRESS."})
    static final class Create extends KeelSubcommand {
        @Parameters(paramLabel = "NAME", description = "The new group's name.")
        String name;

        @Option(names = "--node", required = true, paramLabel = "NODE[=ADDRESS]", converter = NodeConverter.class,
                description = "A node (name or id) to run a target on, and the IP its portal listens on"
                        + " (default: the node's management address). Repeat for each node.")
        List<NodeRequest> nodes = new ArrayList<>();

        Create(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().post(GROUPS, new CreateRequest(name, List.copyOf(nodes)));
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
            } else {
                TargetGroup g = ctx.read(answer, TargetGroup.class);
                out().println("Created iSCSI group " + g.name() + " with " + g.targets().size()
                        + (g.targets().size() == 1 ? " target:" : " targets:"));
                Table t = new Table("NODE", "IQN", "PORTAL");
                g.targets().forEach(x -> t.row(x.nodeName(), x.iqn(), x.portal()));
                t.print(out(), "  ");
                out().println("Access: " + IscsiCommands.initiators(g.access()) + ", CHAP "
                        + IscsiCommands.chap(g.access()) + " (change it with 'keel iscsi group access').");
                if (!g.targets().isEmpty()) {
                    out().println("Initiators find the targets with: iscsiadm -m discovery -t sendtargets -p "
                            + g.targets().getFirst().portal());
                }
            }
            if (nodes.size() < 2) {
                ctx.err().println("warning: group " + name + " has a single node: initiators have one path and lose"
                        + " its LUNs while that node is down (no path failover). Create the group with two or more"
                        + " --node options for failover.");
            }
            return KeelCli.OK;
        }
    }

    @Command(name = "list", description = "List the target groups: targets online, sessions, LUNs and access.")
    static final class ListGroups extends KeelSubcommand {
        ListGroups(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().get(GROUPS);
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            List<TargetGroup> groups = ctx.readList(answer, TargetGroup.class);
            if (groups.isEmpty()) {
                out().println("(no iSCSI groups)");
                return KeelCli.OK;
            }
            Table t = new Table("NAME", "TARGETS ONLINE", "SESSIONS", "LUNS", "INITIATORS", "CHAP");
            for (TargetGroup g : groups) {
                long online = g.targets().stream().filter(x -> "online".equals(x.state())).count();
                int sessions = g.targets().stream().mapToInt(Target::sessions).sum();
                t.row(g.name(), online + "/" + g.targets().size(), sessions, g.luns().size(),
                        g.access().initiators().isEmpty() ? "any" : String.valueOf(g.access().initiators().size()),
                        g.access().chapUser() == null ? "none" : g.access().mutualChap() ? "mutual" : "one-way");
            }
            t.print(out());
            return KeelCli.OK;
        }
    }

    @Command(name = "show", description = {"Show a target group: access, targets and LUNs.",
            "Each target with its state, sessions and I/O; each LUN with its paths and",
            "their ALUA states (active/optimized is the path in use)."})
    static final class Show extends KeelSubcommand {
        @Parameters(paramLabel = "GROUP", description = "The group's name or id.")
        String group;

        Show(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().get(groupPath(group));
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
            } else {
                IscsiCommands.printGroup(ctx.read(answer, TargetGroup.class), out());
            }
            return KeelCli.OK;
        }
    }

    @Command(name = "delete", description = {"Delete a target group: its targets stop.",
            "Refused while the group has LUNs (remove them first; the volumes are kept).",
            "Asks for the group's name on standard input unless --yes is given."})
    static final class Delete extends KeelSubcommand {
        @Parameters(paramLabel = "GROUP", description = "The group's name or id.")
        String group;

        @Option(names = "--yes", description = "Delete without asking.")
        boolean yes;

        Delete(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            if (!yes) {
                Confirmation.require(ctx, "Delete iSCSI group " + group + " and its targets? Type its name to confirm: ",
                        group, "iSCSI group " + group + " not deleted");
            }
            ctx.api().delete(groupPath(group));
            if (!ctx.jsonOutput()) {
                out().println("Deleted iSCSI group " + group + ".");
            }
            return KeelCli.OK;
        }
    }

    /** The three forms of iSCSI names (RFC 7143: iqn., eui., naa.); the node checks the rest. */
    static String initiatorName(String value) {
        String v = value.strip();
        String lower = v.toLowerCase(Locale.ROOT);
        if (!(lower.startsWith("iqn.") || lower.startsWith("eui.") || lower.startsWith("naa.")) || v.length() < 5
                || v.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("'" + value + "' is not an initiator name: expected"
                    + " iqn.YYYY-MM.reversed.domain[:name], eui.<16 hex digits> or naa.<hex digits>"
                    + " (on Linux: /etc/iscsi/initiatorname.iscsi)");
        }
        return v;
    }
}
