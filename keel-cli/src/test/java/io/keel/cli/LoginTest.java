package io.keel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LoginTest extends CliTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "s3cret-Pa55";

    @BeforeEach
    void loginRoute() {
        api.on("POST", "/api/v1/login", r -> r.body().contains("\"password\":\"" + PASSWORD + "\"")
                ? new FakeApi.Response(200, "{\"token\":\"" + FakeApi.TOKEN
                        + "\",\"username\":\"superadmin\",\"expiresAt\":\"2026-11-23T12:00:00.987Z\"}")
                : new FakeApi.Response(401, Fixtures.error("unauthorized", "invalid username or password")));
    }

    @Test
    void loginWithPasswordFromStdinSavesTheSessionReadableByTheOwnerOnly() throws Exception {
        stdin = PASSWORD + "\n";

        Result r = run("login", "--api", api.url() + "/", "--password-stdin");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("Logged in to " + api.url()
                + " as superadmin (session expires 2026-11-23T12:00:00Z)\n");
        assertThat(r.all()).doesNotContain(FakeApi.TOKEN).doesNotContain(PASSWORD);
        FakeApi.Request login = api.only();
        assertThat(login.authorization()).isNull();
        assertThat(login.contentType()).isEqualTo("application/json");
        assertThat(JSON.readTree(login.body()))
                .isEqualTo(JSON.readTree("{\"username\":\"superadmin\",\"password\":\"" + PASSWORD + "\"}"));

        JsonNode saved = JSON.readTree(Files.readString(config));
        assertThat(saved.get("api").asText()).isEqualTo(api.url());
        assertThat(saved.get("token").asText()).isEqualTo(FakeApi.TOKEN);
        assertThat(saved.get("username").asText()).isEqualTo("superadmin");
        assertThat(saved.get("expiresAt").asText()).isEqualTo("2026-11-23T12:00:00.987Z");
        assertThat(saved.get("insecure").asBoolean()).isFalse();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config.getParent())))
                .isEqualTo("rwx------");
        assertThat(Files.list(config.getParent())).containsExactly(config); // no temporary file left behind
    }

    @Test
    void theSavedSessionIsUsedByLaterCommands() {
        stdin = PASSWORD;
        assertThat(run("login", "--api", api.url(), "--password-stdin").exit()).isZero();
        api.on("GET", "/api/v1/nodes", 200, "[]");

        Result r = run("node", "list");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(api.requests().getLast().authorization()).isEqualTo("Bearer " + FakeApi.TOKEN);
    }

    @Test
    void reloginToTheSavedApiNeedsNoApiOptionAndTightensLoosePermissions() throws Exception {
        loggedIn();
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));

        Result r = run("login", "-u", "admin", "-p", PASSWORD);

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("warning: a password on the command line").doesNotContain(PASSWORD);
        assertThat(JSON.readTree(api.only().body()).get("username").asText()).isEqualTo("admin");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-------");
    }

    @Test
    void theDefaultConfigFileIsUnderHome() throws Exception {
        env.remove("KEEL_CLI_CONFIG");
        stdin = PASSWORD;

        Result r = run("login", "--api", api.url(), "--password-stdin");

        assertThat(r.exit()).as(r.err()).isZero();
        Path file = tmp.resolve("home/.config/keel/cli.json");
        assertThat(file).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void theConfigOptionWinsOverTheEnvironment() {
        stdin = PASSWORD;
        Path other = tmp.resolve("elsewhere/x.json");

        Result r = run("login", "--api", api.url(), "--password-stdin", "--config", other.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(other).exists();
        assertThat(config).doesNotExist();
    }

    @Test
    void promptsForThePasswordOnATerminal() {
        typedPassword = PASSWORD.toCharArray();

        Result r = run("login", "--api", api.url());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(api.only().body()).contains(PASSWORD);
    }

    @Test
    void withoutAPasswordOrATerminalItIsAUsageError() {
        Result r = run("login", "--api", api.url());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("no password").contains("--password-stdin");
        assertThat(api.requests()).isEmpty();
        assertThat(config).doesNotExist();
    }

    @Test
    void bothPasswordSourcesIsAUsageError() {
        assertThat(run("login", "--api", api.url(), "--password-stdin", "-p", "x").exit()).isEqualTo(2);
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void withoutAnyApiUrlItIsAUsageError() {
        stdin = PASSWORD;
        Result r = run("login", "--password-stdin");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("keel login --api URL");
    }

    @Test
    void aWrongPasswordFailsAndSavesNothing() {
        stdin = "wrong";

        Result r = run("login", "--api", api.url(), "--password-stdin");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("error: invalid username or password (unauthorized, HTTP 401)\n");
        assertThat(config).doesNotExist();
    }

    @Test
    void loginReplacesAnUnreadableConfiguration() throws Exception {
        Files.createDirectories(config.getParent());
        Files.writeString(config, "{garbage");
        stdin = PASSWORD;

        Result r = run("login", "--api", api.url(), "--password-stdin");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).startsWith("warning: cannot read the CLI configuration");
        assertThat(JSON.readTree(Files.readString(config)).get("api").asText()).isEqualTo(api.url());
    }

    @Test
    void jsonOutputLeavesTheTokenOut() throws Exception {
        stdin = PASSWORD;

        Result r = run("login", "--api", api.url(), "--password-stdin", "-o", "json");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(JSON.readTree(r.out())).isEqualTo(JSON.readTree("{\"api\":\"" + api.url()
                + "\",\"username\":\"superadmin\",\"expiresAt\":\"2026-11-23T12:00:00.987Z\"}"));
        assertThat(r.all()).doesNotContain(FakeApi.TOKEN);
    }
}
