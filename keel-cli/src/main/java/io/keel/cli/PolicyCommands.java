package io.keel.cli;

import static io.keel.cli.ApiClient.segment;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keel policy}: storage policies (tier, failure domain, redundancy). */
@Command(
        name = "policy",
        description = "Manage storage policies: where and how redundantly volumes are stored.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {
            PolicyCommands.ListPolicies.class,
            PolicyCommands.Show.class,
            PolicyCommands.Create.class,
            PolicyCommands.Delete.class
        })
final class PolicyCommands extends KeelSubcommand.Group {
    private static final Set<String> DOMAINS = Set.of("disk", "host", "rack", "row", "room");

    /** {@code ec}, {@code pieces} and {@code holdsVolumes} are null from servers before erasure coding. */
    record Policy(String name, int tier, String failureDomain, int replicas, String redundancy, double overhead,
            int domainsAvailable, boolean placeable, String ec, Integer pieces, Boolean holdsVolumes) {}

    record CreatePolicyRequest(String name, Integer tier, String failureDomain, Integer replicas, String ec) {}

    /** M+N as the products write it; the server judges the numbers (M, N at least 1, M+N at most 32). */
    private static final Pattern EC_MODE = Pattern.compile("[0-9]{1,3}\\+[0-9]{1,3}");

    PolicyCommands(CliContext ctx) {
        super(ctx);
    }

    @Command(name = "list", description = "List the storage policies and whether the cluster can place them now.")
    static final class ListPolicies extends KeelSubcommand {
        ListPolicies(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().get("/api/v1/policies");
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            Table t = new Table("NAME", "TIER", "FAILURE DOMAIN", "REDUNDANCY", "OVERHEAD", "PLACEABLE");
            for (Policy p : ctx.readList(answer, Policy.class)) {
                t.row(p.name(), Integer.toString(p.tier()), p.failureDomain(), p.redundancy(), overhead(p),
                        placeable(p));
            }
            t.print(out());
            return KeelCli.OK;
        }
    }

    @Command(name = "show", description = "Show one storage policy.")
    static final class Show extends KeelSubcommand {
        @Parameters(paramLabel = "NAME", description = "The policy's name.")
        String name;

        Show(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().get("/api/v1/policies/" + segment(name));
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            Policy p = ctx.read(answer, Policy.class);
            out().println("name: " + p.name());
            out().println("tier: " + p.tier());
            out().println("failure domain: " + p.failureDomain());
            out().println("redundancy: " + p.redundancy());
            out().println("overhead: " + overhead(p) + " raw per byte of data");
            if (p.pieces() != null) {
                out().println("pieces: " + p.pieces() + " per chunk, each on its own " + p.failureDomain());
            }
            out().println("placeable: " + placeable(p));
            if (Boolean.FALSE.equals(p.holdsVolumes())) {
                out().println("holds volumes: no (the server predates erasure-coded volumes)");
            }
            return KeelCli.OK;
        }
    }

    @Command(name = "create", description = {
        "Create a storage policy: replicas (--replicas) or erasure coding M+N (--ec), e.g.",
        "1+2, 3+1, 2+2, 3+2, 5+2, 7+2 or 17+3 (overhead (M+N)/M: 5+2 stores 1.4 bytes per byte).",
        "It is refused, with the reason, when the cluster does not have enough failure domains",
        "with storage disks of the tier to place every replica or fragment apart.",
        "Erasure-coded policies hold plain volumes (not images, clones, snapshots or S3 data)."})
    static final class Create extends KeelSubcommand {
        @Parameters(paramLabel = "NAME", description = "Latin letters, digits and hyphens.")
        String name;

        @Option(names = "--tier", paramLabel = "N", description = "Storage tier 0-3 (default 0).")
        Integer tier;

        @Option(names = "--failure-domain", paramLabel = "DOMAIN",
                description = "disk, host, rack, row or room (default host): no two replicas share one.")
        String failureDomain;

        @Option(names = "--replicas", paramLabel = "N", description = "1-3 copies of every chunk (default 3).")
        Integer replicas;

        @Option(names = "--ec", paramLabel = "M+N",
                description = "Erasure coding: M data and N parity fragments on M+N failure domains (M+N <= 32).")
        String ec;

        Create(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            if (tier != null && (tier < 0 || tier > 3)) {
                throw usage("--tier must be 0-3, got " + tier);
            }
            if (replicas != null && ec != null) {
                throw usage("--replicas and --ec exclude each other: a policy keeps replicas or erasure codes");
            }
            if (replicas != null && (replicas < 1 || replicas > 3)) {
                throw usage("--replicas must be 1-3, got " + replicas);
            }
            if (ec != null && !EC_MODE.matcher(ec.strip()).matches()) {
                throw usage("--ec must be M+N, data and parity fragments such as 5+2, got '" + ec + "'");
            }
            String domain = failureDomain == null ? null : failureDomain.toLowerCase(Locale.ROOT);
            if (domain != null && !DOMAINS.contains(domain)) {
                throw usage("unknown failure domain '" + failureDomain + "': use disk, host, rack, row or room");
            }
            JsonNode answer = ctx.api().post("/api/v1/policies", new CreatePolicyRequest(name, tier, domain, replicas,
                    ec == null ? null : ec.strip()));
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            Policy p = ctx.read(answer, Policy.class);
            out().println("Created storage policy " + p.name() + ": tier " + p.tier() + ", " + p.redundancy()
                    + " (overhead " + overhead(p) + "), failure domain " + p.failureDomain() + ".");
            return KeelCli.OK;
        }
    }

    @Command(name = "delete", description = "Delete a storage policy.")
    static final class Delete extends KeelSubcommand {
        @Parameters(paramLabel = "NAME", description = "The policy's name.")
        String name;

        Delete(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            ctx.api().delete("/api/v1/policies/" + segment(name));
            if (!ctx.jsonOutput()) {
                out().println("Deleted storage policy " + name + ".");
            }
            return KeelCli.OK;
        }
    }

    private static String overhead(Policy p) {
        return Format.overhead(p.overhead());
    }

    private static String placeable(Policy p) {
        return (p.placeable() ? "yes" : "no") + " (" + p.domainsAvailable() + " " + p.failureDomain()
                + (p.domainsAvailable() == 1 ? "" : "s") + " with tier-" + p.tier() + " storage)";
    }
}
