package io.keel.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Runs the CLI in-process against a {@link FakeApi}, with the configuration in a temporary directory. */
abstract class CliTestBase {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);

    record Result(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    @TempDir
    Path tmp;

    FakeApi api;
    Path config;
    final List<List<String>> daemonCalls = new ArrayList<>();
    int daemonExit = 0;
    String stdin = "";
    char[] typedPassword;
    Duration timeout = Duration.ofSeconds(5);
    final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void startFake() throws IOException {
        api = new FakeApi();
        config = tmp.resolve("conf").resolve("keel").resolve("cli.json");
        env.put("HOME", tmp.resolve("home").toString());
        env.put("KEEL_CLI_CONFIG", config.toString());
    }

    @AfterEach
    void stopFake() {
        api.close();
    }

    KeelCli cli(StringWriter out, StringWriter err) {
        DaemonLauncher daemon = args -> {
            daemonCalls.add(List.of(args));
            return daemonExit;
        };
        PasswordReader passwords = prompt -> Optional.ofNullable(typedPassword == null ? null : typedPassword.clone());
        return new KeelCli(daemon, new PrintWriter(out), new PrintWriter(err), env,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), passwords, timeout, CLOCK);
    }

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = cli(out, err).run(args);
        return new Result(exit, out.toString(), err.toString());
    }

    /** Saves a session for the fake API, as 'keel login' would. */
    void loggedIn() throws IOException {
        loggedIn(api.url(), false);
    }

    void loggedIn(String url, boolean insecure) throws IOException {
        Files.createDirectories(config.getParent());
        Files.writeString(config, """
                {"api":"%s","token":"%s","username":"superadmin","expiresAt":"2026-11-23T12:00:00Z","insecure":%s}
                """.formatted(url, FakeApi.TOKEN, insecure));
    }
}
