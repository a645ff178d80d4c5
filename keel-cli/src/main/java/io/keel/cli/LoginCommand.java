package io.keel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keel.cli.Views.LoginRequest;
import io.keel.cli.Views.LoginResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keel login}: gets a session token and saves it with the API URL. */
@Command(
        name = "login",
        description = {
            "Log in to a Keel cluster; save the API URL and the session (mode 0600).",
            "The password comes from --password-stdin, -p, or a prompt on the terminal."
        })
final class LoginCommand extends KeelSubcommand {
    @Option(names = {"-u", "--username"}, paramLabel = "USER", defaultValue = "superadmin",
            description = "User to log in as (default: ${DEFAULT-VALUE}).")
    String username;

    @Option(names = "--password-stdin", description = "Read the password from standard input.")
    boolean passwordStdin;

    @Option(names = {"-p", "--password"}, paramLabel = "PASSWORD",
            description = "The password (visible to other users of this machine: prefer --password-stdin).")
    String password;

    LoginCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    public Integer call() {
        ctx.tolerateBrokenConfig();
        String api = ctx.apiUrl();
        if (api == null) {
            throw usage("no API URL: use 'keel login --api URL'");
        }
        String secret = password();
        boolean insecure = ctx.insecureFor(api);
        JsonNode answer = ctx.client(api, null, insecure).post("/api/v1/login", new LoginRequest(username, secret));
        LoginResponse login = ctx.read(answer, LoginResponse.class);
        if (login.token() == null || login.token().isBlank()) {
            throw new CliException("unexpected answer from the Keel API: the login carried no token");
        }
        String user = login.username() == null ? username : login.username();
        new CliConfig(api, login.token(), user, login.expiresAt(), insecure).save(ctx.configPath(), ctx.json());
        if (ctx.jsonOutput()) {
            ObjectNode summary = ctx.json().createObjectNode();
            summary.put("api", api);
            summary.put("username", user);
            summary.put("expiresAt", login.expiresAt());
            ctx.printJson(summary);
        } else {
            out().println("Logged in to " + api + " as " + user + " (session expires "
                    + Format.instant(login.expiresAt()) + ")");
        }
        return KeelCli.OK;
    }

    private String password() {
        if (passwordStdin && password != null) {
            throw usage("--password-stdin and --password are mutually exclusive");
        }
        if (password != null) {
            ctx.err().println("warning: a password on the command line can be seen by other users: prefer --password-stdin");
            return password;
        }
        if (passwordStdin) {
            String text;
            try {
                text = new String(ctx.in().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new CliException("cannot read the password from standard input: " + e.getMessage(), e);
            }
            int end = text.length();
            while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
                end--;
            }
            if (end == 0) {
                throw usage("--password-stdin: no password on standard input");
            }
            return text.substring(0, end);
        }
        Optional<char[]> typed = ctx.passwords().read("Password for " + username + ": ");
        if (typed.isEmpty()) {
            throw usage("no password: use --password-stdin or -p PASSWORD (no terminal to ask on)");
        }
        char[] chars = typed.get();
        try {
            if (chars.length == 0) {
                throw usage("empty password");
            }
            return new String(chars);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }
}
