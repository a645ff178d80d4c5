package io.keel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DaemonDispatchTest extends CliTestBase {
    @Test
    void bootstrapGoesToTheDaemonWithTheExactArguments() {
        daemonExit = 42;

        Result r = run("node", "--bootstrap", "--config", "x");

        assertThat(r.exit()).isEqualTo(42);
        assertThat(daemonCalls).containsExactly(List.of("--bootstrap", "--config", "x"));
        assertThat(r.all()).isEmpty();
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void joinGoesToTheDaemon() {
        Result r = run("node", "--join", "127.0.0.1:8888", "--token", "T", "--config=/etc/keel/node.yaml");

        assertThat(r.exit()).isZero();
        assertThat(daemonCalls).containsExactly(
                List.of("--join", "127.0.0.1:8888", "--token", "T", "--config=/etc/keel/node.yaml"));
    }

    @Test
    void nodeAloneRunsTheDaemonWithNoArguments() {
        run("node");

        assertThat(daemonCalls).containsExactly(List.of());
    }

    @Test
    void subcommandsAndHelpDoNotReachTheDaemon() {
        Result help = run("node", "--help");
        run("node", "list");
        run("node", "token", "rotate", "--ttl", "1h");

        assertThat(daemonCalls).isEmpty();
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("list", "show", "token", "join-cluster",
                "--config FILE", "--bootstrap", "--join ADDRESS", "--token TOKEN");
    }

    @Test
    void globalOptionsBetweenNodeAndASubcommandStayWithTheCli() throws Exception {
        loggedIn();
        api.on("GET", "/api/v1/nodes", 200, "[]");

        assertThat(run("node", "-o", "json", "--insecure", "--config", config.toString(), "list").exit()).isZero();
        assertThat(run("node", "-ojson", "--api=" + api.url(), "list").exit()).isZero();
        assertThat(run("node", "--config", "x.yaml", "--help").exit()).isZero();
        run("node", "--config", "x.yaml", "--bootstrap");
        run("node", "--config", "x.yaml");

        assertThat(api.requests()).hasSize(2);
        assertThat(daemonCalls).containsExactly(List.of("--config", "x.yaml", "--bootstrap"), List.of("--config", "x.yaml"));
    }

    @Test
    void daemonFlagsAfterGlobalOptionsAreAUsageError() {
        Result r = run("--insecure", "node", "--bootstrap");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(daemonCalls).isEmpty();
    }
}
