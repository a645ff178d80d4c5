package io.keel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ErrorsAndOptionsTest extends CliTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void withoutASessionCommandsSayHowToLogIn() {
        for (String[] args : new String[][] {{"node", "list"}, {"cluster", "show"}, {"--api", api.url(), "disk", "list"}}) {
            Result r = run(args);

            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).isEqualTo("error: not logged in: run 'keel login --api URL'\n");
            assertThat(r.out()).isEmpty();
        }
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void unauthorizedSuggestsLoggingInAgain() throws Exception {
        Files.createDirectories(config.getParent());
        Files.writeString(config, "{\"api\":\"" + api.url() + "\",\"token\":\"expired-token\"}");

        Result r = run("node", "list");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: missing or invalid session (unauthorized, HTTP 401)\n")
                .contains("keel login")
                .doesNotContain("expired-token");
    }

    @Test
    void anErrorThatIsNotTheApisJsonStillSaysWhatHappened() throws Exception {
        loggedIn();
        api.on("GET", "/api/v1/cluster", 502, "<html>Bad Gateway</html>");

        Result r = run("cluster", "show");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("error: the Keel API at " + api.url()
                + " answered HTTP 502: <html>Bad Gateway</html> (HTTP 502)\n");
    }

    @Test
    void notInitialisedIsReported() throws Exception {
        loggedIn();
        api.on("GET", "/api/v1/cluster", 503, Fixtures.error("not_initialised", "the cluster is not bootstrapped yet"));

        Result r = run("cluster", "show");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("error: the cluster is not bootstrapped yet (not_initialised, HTTP 503)\n");
    }

    @Test
    void aSuccessThatIsNotJsonIsAnError() throws Exception {
        loggedIn();
        api.on("GET", "/api/v1/nodes", 200, "surprise");

        Result r = run("node", "list");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: unexpected answer from the Keel API");
    }

    @Test
    void connectionRefused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port;
        loggedIn(url, false);

        Result r = run("node", "list");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("error: cannot reach the Keel API at " + url + ": connection refused\n");

        stdin = "pw";
        Result login = run("login", "--api", url, "--password-stdin");
        assertThat(login.exit()).isEqualTo(1);
        assertThat(login.err()).isEqualTo("error: cannot reach the Keel API at " + url + ": connection refused\n");
    }

    @Test
    void aSlowApiTimesOut() throws Exception {
        loggedIn();
        timeout = Duration.ofMillis(300);
        api.on("GET", "/api/v1/nodes", req -> {
            try {
                Thread.sleep(1500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new FakeApi.Response(200, "[]");
        });

        long start = System.nanoTime();
        Result r = run("node", "list");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1400));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("error: the Keel API at " + api.url() + " did not answer within 300ms\n");
    }

    @Test
    void aBrokenConfigFileIsReported() throws Exception {
        Files.createDirectories(config.getParent());
        Files.writeString(config, "{not json");

        Result r = run("node", "list");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: cannot read the CLI configuration " + config + ": not valid JSON");
    }

    @Test
    void globalOptionsWorkBeforeAndAfterTheSubcommand() throws Exception {
        loggedIn("http://127.0.0.1:1", false); // saved URL is overridden by --api
        api.on("GET", "/api/v1/nodes", 200, Fixtures.NODES);

        Result before = run("--api", api.url(), "-o", "json", "node", "list");
        Result after = run("node", "list", "--api=" + api.url(), "--output", "json");
        Result middle = run("node", "-o", "json", "list", "--api", api.url());

        for (Result r : new Result[] {before, after, middle}) {
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(JSON.readTree(r.out())).as(r.toString()).isEqualTo(JSON.readTree(Fixtures.NODES));
        }
        assertThat(api.requests()).hasSize(3).allMatch(q -> ("Bearer " + FakeApi.TOKEN).equals(q.authorization()));
    }

    @Test
    void oneCliRunsManyTimesWithoutCarryingOptionsOver() throws Exception {
        loggedIn();
        api.on("GET", "/api/v1/nodes", 200, Fixtures.NODES);
        StringWriter out = new StringWriter();
        KeelCli cli = cli(out, new StringWriter());

        assertThat(cli.run("node", "list", "-o", "json")).isZero();
        int jsonEnd = out.toString().length();
        assertThat(cli.run("node", "list")).isZero();

        assertThat(out.toString().substring(0, jsonEnd)).contains("\"name\": \"alpha\"");
        assertThat(out.toString().substring(jsonEnd)).startsWith("NAME   ID");
    }

    @Test
    void usageErrorsExitWith2() {
        String[][] cases = {
            {},
            {"bogus"},
            {"cluster"},
            {"cluster", "frobnicate"},
            {"node", "show"},
            {"node", "list", "--bogus"},
            {"-o", "yaml", "node", "list"},
            {"--api", "ftp://example.com", "node", "list"},
            {"--api", "127.0.0.1:8888", "node", "list"},
            {"--api", "node", "list"},
        };
        for (String[] args : cases) {
            Result r = run(args);
            assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err()).as(String.join(" ", args)).startsWith("error: ").contains("--help' for usage.");
            assertThat(r.out()).isEmpty();
        }
        assertThat(run("--api", "ftp://example.com", "node", "list").err())
                .contains("expected http://HOST:PORT or https://HOST:PORT");
        assertThat(run("-o", "yaml", "node", "list").err()).contains("expected table or json");
        assertThat(api.requests()).isEmpty();
        assertThat(daemonCalls).isEmpty();
    }

    @Test
    void helpAndVersion() {
        Result root = run("--help");
        assertThat(root.exit()).isZero();
        assertThat(root.out()).contains("login", "node", "cluster", "disk", "location", "--api", "--output", "--insecure",
                "--config");

        Result sub = run("disk", "assign", "--help");
        assertThat(sub.exit()).isZero();
        assertThat(sub.out()).contains("--tier=N", "--[no-]checksumming", "--[no-]caching", "--api");

        Result joinHelp = run("node", "join-cluster", "-h");
        assertThat(joinHelp.out()).contains("DISK=ROLE[,SETTING]", "metadata+cache", "tier=N", "checksum | no-checksum");

        Result version = run("--version");
        assertThat(version.exit()).isZero();
        assertThat(version.out()).startsWith("keel ");
    }
}
