package io.keel.cli;

import static io.keel.cli.S3Commands.KEYS;
import static io.keel.cli.S3Commands.USERS;
import static io.keel.cli.S3Commands.userPath;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.cli.S3Commands.Key;
import io.keel.cli.S3Commands.User;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keel s3 user create|list|show|suspend|resume|delete}. */
@Command(
        name = "user",
        description = "Manage S3 users, identified by e-mail address.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {S3UserCommands.Create.class, S3UserCommands.ListUsers.class, S3UserCommands.Show.class,
            S3UserCommands.Suspend.class, S3UserCommands.Resume.class, S3UserCommands.Delete.class})
final class S3UserCommands extends KeelSubcommand.Group {
    record CreateRequest(String email, String displayName) {}

    S3UserCommands(CliContext ctx) {
        super(ctx);
    }

    static void printUser(CliContext ctx, JsonNode answer, String headline) {
        if (ctx.jsonOutput()) {
            ctx.printJson(answer);
            return;
        }
        User u = ctx.read(answer, User.class);
        if (headline != null) {
            ctx.out().println(headline.formatted(u.email()));
        }
        ctx.out().println("email: " + u.email());
        ctx.out().println("name: " + u.displayName());
        ctx.out().println("id: " + u.id());
        ctx.out().println("state: " + (u.suspended() ? "suspended (its keys do not authenticate)" : "active"));
        ctx.out().println("active keys: " + u.activeKeys());
        ctx.out().println("buckets: " + u.buckets());
        ctx.out().println("created: " + Format.instant(u.createdAt()));
    }

    @Command(name = "create", description = {"Create an S3 user. E-mail addresses are unique without regard to case.",
            "Then give the user an access key with 'keel s3 key create EMAIL'."})
    static final class Create extends KeelSubcommand {
        @Parameters(paramLabel = "EMAIL", description = "The user's e-mail address, its identity.")
        String email;

        @Option(names = "--display-name", paramLabel = "NAME",
                description = "The name S3 shows as the owner (default: the part of the address before '@').")
        String displayName;

        Create(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            printUser(ctx, ctx.api().post(USERS, new CreateRequest(email, displayName)), "Created S3 user %s:");
            return KeelCli.OK;
        }
    }

    @Command(name = "list", description = "List the S3 users with their state, active keys and buckets.")
    static final class ListUsers extends KeelSubcommand {
        ListUsers(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().get(USERS);
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            List<User> users = ctx.readList(answer, User.class);
            if (users.isEmpty()) {
                out().println("(no S3 users)");
            } else {
                S3Commands.printUsers(users, out());
            }
            return KeelCli.OK;
        }
    }

    @Command(name = "show", description = "Show an S3 user and its access keys (never their secrets).")
    static final class Show extends KeelSubcommand {
        @Parameters(paramLabel = "USER", description = "The user's e-mail address or id.")
        String user;

        Show(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().get(userPath(user));
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            printUser(ctx, answer, null);
            List<Key> keys = ctx.readList(ctx.api().get(KEYS + "?user=" + ApiClient.segment(user)), Key.class);
            out().println("Access keys:");
            if (keys.isEmpty()) {
                out().println("  (none: create one with 'keel s3 key create " + user + "')");
            } else {
                S3Commands.printKeys(keys, out(), "  ");
            }
            return KeelCli.OK;
        }
    }

    @Command(name = "suspend", description = {"Suspend an S3 user: its keys stop authenticating at once.",
            "Its buckets, objects and keys are kept; 'keel s3 user resume' undoes it."})
    static final class Suspend extends KeelSubcommand {
        @Parameters(paramLabel = "USER", description = "The user's e-mail address or id.")
        String user;

        Suspend(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            printUser(ctx, ctx.api().post(userPath(user) + "/suspend", null), "Suspended S3 user %s:");
            return KeelCli.OK;
        }
    }

    @Command(name = "resume", description = "Resume a suspended S3 user: its active keys authenticate again.")
    static final class Resume extends KeelSubcommand {
        @Parameters(paramLabel = "USER", description = "The user's e-mail address or id.")
        String user;

        Resume(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            printUser(ctx, ctx.api().post(userPath(user) + "/resume", null), "Resumed S3 user %s:");
            return KeelCli.OK;
        }
    }

    @Command(name = "delete", description = {"Delete an S3 user and its access keys.",
            "Refused while the user owns buckets. Asks for the user's e-mail address or id",
            "(as given) on standard input unless --yes is given."})
    static final class Delete extends KeelSubcommand {
        @Parameters(paramLabel = "USER", description = "The user's e-mail address or id.")
        String user;

        @Option(names = "--yes", description = "Delete without asking.")
        boolean yes;

        Delete(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            if (!yes) {
                Confirmation.require(ctx, "Delete S3 user " + user + " and its access keys? Type " + user
                        + " to confirm: ", user, "S3 user " + user + " not deleted");
            }
            ctx.api().delete(userPath(user));
            if (!ctx.jsonOutput()) {
                out().println("Deleted S3 user " + user + " and its access keys.");
            }
            return KeelCli.OK;
        }
    }
}
