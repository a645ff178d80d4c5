package io.keel.cli;

import static io.keel.cli.ApiClient.segment;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * {@code keel iscsi}: target groups that export volumes over iSCSI. A group has one target per
 * member node, each with its own IQN and portal, all exporting the same LUNs; an initiator logged
 * in to every target has one path per node, and ALUA tells it which path to use.
 */
@Command(
        name = "iscsi",
        description = {"Export volumes over iSCSI.",
                "A target group has one target per node, so initiators have a path through",
                "each node and fail over between them (multipath with ALUA)."},
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {IscsiGroupCommands.class, IscsiLunCommands.class})
final class IscsiCommands extends KeelSubcommand.Group {
    static final String GROUPS = "/api/v1/iscsi/groups";

    record Target(String node, String nodeName, String iqn, String portal, int portGroup, String state, int sessions,
            long readOps, long writeOps, long readBytes, long writeBytes) {}

    record Path(String node, String nodeName, String iqn, String portal, int portGroup, String alua) {}

    record Lun(int lun, String volume, String volumeName, long sizeBytes, String activeNode, String activeNodeName,
            String haState, List<Path> paths) {
        Lun {
            paths = paths == null ? List.of() : paths;
        }
    }

    record Access(List<String> initiators, String chapUser, boolean mutualChap) {
        Access {
            initiators = initiators == null ? List.of() : initiators;
        }
    }

    record TargetGroup(String id, String name, List<Target> targets, List<Lun> luns, Access access, String createdAt) {
        TargetGroup {
            targets = targets == null ? List.of() : targets;
            luns = luns == null ? List.of() : luns;
            access = access == null ? new Access(List.of(), null, false) : access;
        }
    }

    IscsiCommands(CliContext ctx) {
        super(ctx);
    }

    static String groupPath(String group) {
        return GROUPS + "/" + segment(group);
    }

    /** "any initiator" or the IQNs; then the CHAP setting. */
    static String initiators(Access a) {
        return a.initiators().isEmpty() ? "any initiator" : String.join(", ", a.initiators());
    }

    static String chap(Access a) {
        if (a.chapUser() == null) {
            return "none";
        }
        return "user " + a.chapUser() + (a.mutualChap() ? ", mutual (the targets authenticate too)" : ", one-way");
    }

    static void printAccess(Access a, PrintWriter out) {
        out.println("initiators: " + initiators(a));
        out.println("CHAP: " + chap(a));
    }

    static void printTargets(List<Target> targets, PrintWriter out, String indent) {
        Table t = new Table("NODE", "IQN", "PORTAL", "TPG", "STATE", "SESSIONS", "READ OPS", "WRITE OPS", "READ",
                "WRITTEN");
        targets.forEach(x -> t.row(x.nodeName(), x.iqn(), x.portal(), x.portGroup(), x.state(), x.sessions(),
                x.readOps(), x.writeOps(), Format.bytes(x.readBytes()), Format.bytes(x.writeBytes())));
        t.print(out, indent);
    }

    /** One line per path, the LUN's own columns on its first: which node serves it how is the point. */
    static void printLuns(List<Lun> luns, PrintWriter out, String indent) {
        Table t = new Table("LUN", "VOLUME", "SIZE", "HA", "PATH", "PORTAL", "TPG", "ALUA");
        for (Lun l : luns) {
            if (l.paths().isEmpty()) {
                t.row(l.lun(), l.volumeName(), Format.bytes(l.sizeBytes()), Format.orDash(l.haState()), "-", "-", "-",
                        "-");
            }
            for (int i = 0; i < l.paths().size(); i++) {
                Path p = l.paths().get(i);
                boolean first = i == 0;
                t.row(first ? l.lun() : "", first ? l.volumeName() : "", first ? Format.bytes(l.sizeBytes()) : "",
                        first ? Format.orDash(l.haState()) : "", p.nodeName(), p.portal(), p.portGroup(), p.alua());
            }
        }
        t.print(out, indent);
    }

    static void printGroup(TargetGroup g, PrintWriter out) {
        out.println("name: " + g.name());
        out.println("id: " + g.id());
        out.println("created: " + Format.instant(g.createdAt()));
        printAccess(g.access(), out);
        out.println("Targets:");
        if (g.targets().isEmpty()) {
            out.println("  (none)");
        } else {
            printTargets(g.targets(), out, "  ");
        }
        out.println("LUNs:");
        if (g.luns().isEmpty()) {
            out.println("  (none: add one with 'keel iscsi lun add " + g.name() + " VOLUME')");
        } else {
            printLuns(g.luns(), out, "  ");
        }
    }
}
