package io.keel.cli;

import static io.keel.cli.IscsiCommands.groupPath;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.cli.IscsiCommands.TargetGroup;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code keel iscsi group access}: who may log in to a group's targets. The API replaces the whole
 * setting, and secrets cannot be read back to fill in what was left out, so the command asks for
 * the whole setting too: leaving a part out is a usage error rather than a silent change.
 */
@Command(name = "access", description = {
    "Set who may log in to a group's targets (initiator names and CHAP).",
    "This replaces the group's whole access setting, so say both which initiators",
    "(--initiator IQN, repeated, or --any-initiator) and how they authenticate",
    "(--chap-user USER, or --no-chap).",
    "CHAP secrets are never given on the command line: they are asked for on the",
    "terminal (twice, not shown) or read from --chap-secret-file FILE (one line,",
    "readable only by you). A secret must be 12 to 16 characters: open-iscsi and",
    "Windows refuse others. With --mutual-chap-user the targets prove themselves",
    "to the initiators with a second secret, which must differ from the first.",
    "Example:",
    "  keel iscsi group access san --initiator iqn.1993-08.org.debian:01:web1 \\",
    "      --chap-user web --chap-secret-file ~/.keel-chap"})
final class IscsiAccessCommand extends KeelSubcommand {
    record AccessRequest(List<String> initiators, String chapUser, String chapSecret, String mutualChapUser,
            String mutualChapSecret) {
        @Override
        public String toString() {
            return "AccessRequest[initiators=" + initiators + ", chapUser=" + chapUser + ", mutualChapUser="
                    + mutualChapUser + "]";
        }
    }

    @Parameters(paramLabel = "GROUP", description = "The group's name or id.")
    String group;

    @Option(names = "--initiator", paramLabel = "IQN",
            description = "An initiator allowed to log in, by its name (on Linux in"
                    + " /etc/iscsi/initiatorname.iscsi). Repeat for each.")
    List<String> initiators = new ArrayList<>();

    @Option(names = "--any-initiator",
            description = "Allow every initiator that reaches the portals (and knows the CHAP secret, if set).")
    boolean anyInitiator;

    @Option(names = "--chap-user", paramLabel = "USER", description = "Initiators must log in with CHAP as USER.")
    String chapUser;

    @Option(names = "--no-chap", description = "No CHAP: initiators are admitted by name (and network) alone.")
    boolean noChap;

    @Option(names = "--chap-secret-file", paramLabel = "FILE",
            description = "Read the CHAP secret from FILE (one trailing line break is ignored) instead of asking.")
    Path chapSecretFile;

    @Option(names = "--mutual-chap-user", paramLabel = "USER",
            description = "Mutual CHAP: the targets answer the initiators' challenge as USER. Needs --chap-user.")
    String mutualChapUser;

    @Option(names = "--mutual-chap-secret-file", paramLabel = "FILE",
            description = "Read the mutual CHAP secret from FILE instead of asking.")
    Path mutualChapSecretFile;

    // Not offered, only caught: a secret typed here would sit in the shell history and the process
    // list, so the answer is how to give it instead, without echoing it.
    @Option(names = {"--chap-secret", "--mutual-chap-secret"}, hidden = true, paramLabel = "SECRET")
    String secretOnCommandLine;

    IscsiAccessCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    public Integer call() {
        if (secretOnCommandLine != null) {
            throw usage("CHAP secrets are never given on the command line (other users can see it there):"
                    + " type them when asked, or use --chap-secret-file FILE / --mutual-chap-secret-file FILE");
        }
        List<String> allowed = allowedInitiators();
        checkChapOptions();
        ChapSecrets secrets = new ChapSecrets(ctx);
        String secret = chapUser == null ? null
                : secrets.read("CHAP secret", chapUser, chapSecretFile, "--chap-secret-file");
        String mutualSecret = mutualChapUser == null ? null
                : secrets.read("mutual CHAP secret", mutualChapUser, mutualChapSecretFile, "--mutual-chap-secret-file");
        if (secret != null && secret.equals(mutualSecret)) {
            // RFC 7143, CHAP considerations: a secret authenticates one direction only (reflection attacks).
            throw new CliException("the mutual CHAP secret must differ from the CHAP secret: nothing was changed");
        }
        JsonNode answer = ctx.api().put(groupPath(group) + "/access",
                new AccessRequest(allowed, chapUser, secret, mutualChapUser, mutualSecret));
        if (ctx.jsonOutput()) {
            ctx.printJson(answer);
            return KeelCli.OK;
        }
        TargetGroup g = ctx.read(answer, TargetGroup.class);
        out().println("Access to iSCSI group " + g.name() + " set:");
        out().println("  initiators: " + IscsiCommands.initiators(g.access()));
        out().println("  CHAP: " + IscsiCommands.chap(g.access()));
        if (chapUser != null) {
            out().println("Configure the same CHAP settings on each initiator before it logs in again.");
        }
        return KeelCli.OK;
    }

    private List<String> allowedInitiators() {
        if (anyInitiator && !initiators.isEmpty()) {
            throw usage("--any-initiator and --initiator contradict each other: give one of them");
        }
        if (!anyInitiator && initiators.isEmpty()) {
            throw usage("say which initiators may log in: --initiator IQN (repeat for each) or --any-initiator");
        }
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (String i : initiators) {
            try {
                names.add(IscsiGroupCommands.initiatorName(i));
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
        }
        return List.copyOf(names);
    }

    private void checkChapOptions() {
        if (noChap && (chapUser != null || mutualChapUser != null)) {
            throw usage("--no-chap contradicts --chap-user and --mutual-chap-user: give one or the other");
        }
        if (chapUser != null && chapUser.isBlank() || mutualChapUser != null && mutualChapUser.isBlank()) {
            throw usage("a CHAP user name is empty");
        }
        if (mutualChapUser != null && chapUser == null) {
            throw usage("mutual CHAP needs one-way CHAP too: give --chap-user as well");
        }
        if (chapSecretFile != null && chapUser == null) {
            throw usage("--chap-secret-file needs --chap-user");
        }
        if (mutualChapSecretFile != null && mutualChapUser == null) {
            throw usage("--mutual-chap-secret-file needs --mutual-chap-user");
        }
        if (!noChap && chapUser == null) {
            throw usage("say how initiators authenticate: --chap-user USER (the secret is asked for, or read from"
                    + " --chap-secret-file FILE) or --no-chap");
        }
    }
}
