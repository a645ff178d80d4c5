package io.keel.cli;

import static io.keel.cli.S3Commands.KEYS;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.cli.S3Commands.Key;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keel s3 key create|list|revoke}. */
@Command(
        name = "key",
        description = {"Manage S3 access keys. A user has at most 2 active keys: enough to rotate",
                "(create the new one, switch clients over, revoke the old one) without downtime."},
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {S3KeyCommands.Create.class, S3KeyCommands.ListKeys.class, S3KeyCommands.Revoke.class})
final class S3KeyCommands extends KeelSubcommand.Group {
    record CreateRequest(String user) {}

    record NewKey(String accessKeyId, String secretAccessKey, String userId, String userEmail, String createdAt) {
        // Never let the secret reach a log or an exception message by way of toString.
        @Override
        public String toString() {
            return "NewKey[accessKeyId=" + accessKeyId + ", userEmail=" + userEmail + "]";
        }
    }

    S3KeyCommands(CliContext ctx) {
        super(ctx);
    }

    @Command(name = "create", description = {"Create an access key for a user and print its secret.",
            "The secret is shown this once: Keel keeps it for the gateways but cannot",
            "show it again. Give both to the user, e.g. as AWS_ACCESS_KEY_ID and",
            "AWS_SECRET_ACCESS_KEY."})
    static final class Create extends KeelSubcommand {
        @Parameters(paramLabel = "USER", description = "The user's e-mail address or id.")
        String user;

        Create(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().post(KEYS, new CreateRequest(user));
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            NewKey k = ctx.read(answer, NewKey.class);
            out().println("Created an access key for S3 user " + k.userEmail() + ":");
            out().println("access key id:     " + k.accessKeyId());
            out().println("secret access key: " + k.secretAccessKey());
            ctx.err().println("Save the secret now: it cannot be shown again (revoke the key and create another"
                    + " if it is lost).");
            return KeelCli.OK;
        }
    }

    @Command(name = "list", description = "List access keys, active and recently revoked (never their secrets).")
    static final class ListKeys extends KeelSubcommand {
        @Option(names = "--user", paramLabel = "USER", description = "Only this user's keys (e-mail address or id).")
        String user;

        ListKeys(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().get(user == null ? KEYS : KEYS + "?user=" + ApiClient.segment(user));
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            List<Key> keys = ctx.readList(answer, Key.class);
            if (keys.isEmpty()) {
                out().println("(no access keys)");
            } else {
                S3Commands.printKeys(keys, out(), "");
            }
            return KeelCli.OK;
        }
    }

    @Command(name = "revoke", description = {"Revoke an access key: requests signed with it fail at once.",
            "Its secret is erased; the key stays listed as revoked. Asks for the key id",
            "on standard input unless --yes is given."})
    static final class Revoke extends KeelSubcommand {
        @Parameters(paramLabel = "ACCESS_KEY_ID", description = "The key's id (KEEL...).")
        String key;

        @Option(names = "--yes", description = "Revoke without asking.")
        boolean yes;

        Revoke(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            if (!yes) {
                Confirmation.require(ctx, "Revoke access key " + key + "? Clients using it stop working. Type the key"
                        + " id to confirm: ", key, "access key " + key + " not revoked");
            }
            JsonNode answer = ctx.api().post(KEYS + "/" + ApiClient.segment(key) + "/revoke", null);
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            Key k = ctx.read(answer, Key.class);
            out().println("Revoked access key " + k.accessKeyId() + " of S3 user " + k.userEmail() + " ("
                    + Format.instant(k.revokedAt()) + ").");
            return KeelCli.OK;
        }
    }
}
