package io.keel.compute.qmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The client against {@link FakeQmpPeer} over a real Unix socket. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class QmpClientTest {
    private static final Duration SHORT = Duration.ofMillis(300);

    @TempDir
    Path dir;

    private Path socket() {
        return dir.resolve("qmp.sock");
    }

    private QmpClient connect() throws Exception {
        return QmpClient.connect(socket(), QmpClientOptions.defaults().withConnectTimeout(Duration.ofSeconds(5))
                .withCommandTimeout(Duration.ofSeconds(5)));
    }

    @Test
    void negotiatesThenRunsTypedCommands() throws Exception {
        try (FakeQmpPeer peer = FakeQmpPeer.start(socket(), (name, id, cmd, p) -> {
            switch (name) {
                case "query-status" -> p.send("{\"return\": {\"status\": \"paused\", \"singlestep\": false, \"running\": false}, \"id\": " + id + "}");
                default -> p.ok(id);
            }
        }); QmpClient qmp = connect()) {
            assertThat(qmp.greeting().qemuVersion()).isEqualTo("7.2.22");
            assertThat(qmp.queryStatus()).isEqualTo(new QmpStatus("paused", false));
            qmp.cont();
            qmp.stop();
            qmp.systemReset();
            qmp.systemPowerdown();
            List<JsonNode> got = peer.received();
            assertThat(got).extracting(c -> c.get("execute").asText())
                    .containsExactly("qmp_capabilities", "query-status", "cont", "stop", "system_reset", "system_powerdown");
            assertThat(got).allSatisfy(c -> assertThat(c.get("id").isIntegralNumber()).isTrue());
            assertThat(got.getFirst().has("arguments")).as("no empty arguments on the wire").isFalse();
        }
    }

    @Test
    void qemusErrorBecomesACommandException() throws Exception {
        try (FakeQmpPeer _ = FakeQmpPeer.start(socket(), (name, id, cmd, p) -> p.send("{\"id\": " + id
                + ", \"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command " + name + " has not been found\"}}"));
             QmpClient qmp = connect()) {
            assertThatThrownBy(() -> qmp.execute("no-such-command")).isInstanceOfSatisfying(QmpCommandException.class, e -> {
                assertThat(e.command()).isEqualTo("no-such-command");
                assertThat(e.errorClass()).isEqualTo("CommandNotFound");
                assertThat(e.getMessage()).isEqualTo("no-such-command failed: CommandNotFound: The command no-such-command has not been found");
            });
            assertThat(qmp.isOpen()).as("an error reply leaves the connection up").isTrue();
        }
    }

    @Test
    void concurrentCallsGetTheirOwnRepliesWhenAnsweredOutOfOrder() throws Exception {
        List<JsonNode> held = new CopyOnWriteArrayList<>();
        try (FakeQmpPeer _ = FakeQmpPeer.start(socket(), (name, id, cmd, p) -> {
            held.add(cmd);
            if (held.size() == 3) {
                // Answer in reverse order of arrival, each with the name it was asked for.
                for (JsonNode c : held.reversed()) {
                    p.send("{\"return\": \"" + c.get("execute").asText() + "\", \"id\": " + c.get("id") + "}");
                }
            }
        }); QmpClient qmp = connect(); var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<String>> replies = List.of("query-a", "query-b", "query-c").stream()
                    .map(n -> CompletableFuture.supplyAsync(() -> {
                        try {
                            return qmp.execute(n).asText();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }, pool)).toList();
            assertThat(replies.get(0).get(5, TimeUnit.SECONDS)).isEqualTo("query-a");
            assertThat(replies.get(1).get(5, TimeUnit.SECONDS)).isEqualTo("query-b");
            assertThat(replies.get(2).get(5, TimeUnit.SECONDS)).isEqualTo("query-c");
        }
    }

    @Test
    void eventsArriveInOrderAndCanBeAwaitedFromAMarkTakenBeforeTheCommand() throws Exception {
        List<String> listened = new CopyOnWriteArrayList<>();
        try (FakeQmpPeer _ = FakeQmpPeer.start(socket(), (name, id, cmd, p) -> {
            if (name.equals("cont")) {
                // QEMU sends the event before the reply, so the event is in before cont() returns.
                for (String e : List.of("E1", "RESUME", "E3")) {
                    p.event(e);
                }
            }
            p.ok(id);
        }); QmpClient qmp = QmpClient.connect(socket(), QmpClientOptions.defaults().withListener(e -> listened.add(e.name())))) {
            long mark = qmp.eventMark();
            qmp.cont();
            assertThat(listened).containsExactly("E1", "RESUME", "E3");
            assertThat(qmp.awaitEvent("RESUME", mark, SHORT).name()).isEqualTo("RESUME");
            long after = qmp.eventMark();
            assertThatThrownBy(() -> qmp.awaitEvent("RESUME", after, SHORT)).isInstanceOf(QmpTimeoutException.class)
                    .hasMessage("no RESUME event within 300 ms");
        }
    }

    @Test
    void aConnectionLostMidCallFailsThatCallAtOnce() throws Exception {
        try (FakeQmpPeer _ = FakeQmpPeer.start(socket(), (name, id, cmd, p) -> p.dropConnection());
             QmpClient qmp = connect()) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> qmp.execute("query-status", qmp.arguments(), Duration.ofSeconds(20)))
                    .isInstanceOf(QmpClosedException.class).hasMessageContaining("QEMU closed the QMP connection");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("failed promptly, not at the timeout")
                    .isLessThan(Duration.ofSeconds(5));
            assertThat(qmp.isOpen()).isFalse();
            assertThat(qmp.onClose().get(5, TimeUnit.SECONDS)).hasMessageContaining("QEMU closed the QMP connection");
            assertThatThrownBy(() -> qmp.execute("query-status")).isInstanceOf(QmpClosedException.class)
                    .hasMessageContaining("cannot send query-status: the QMP connection is closed");
        }
    }

    @Test
    void quitCountsAsDoneWhenQemuHangsUpBeforeReplying() throws Exception {
        try (FakeQmpPeer _ = FakeQmpPeer.start(socket(), (name, id, cmd, p) -> {
            p.event("SHUTDOWN");
            p.dropConnection();
        }); QmpClient qmp = connect()) {
            long mark = qmp.eventMark();
            qmp.quit();
            assertThat(qmp.awaitEvent("SHUTDOWN", mark, SHORT).name()).as("received before the hang-up").isEqualTo("SHUTDOWN");
            assertThatThrownBy(() -> qmp.awaitEvent("RESET", mark, Duration.ofSeconds(10))).isInstanceOf(QmpClosedException.class)
                    .hasMessageContaining("no RESET event before the QMP connection closed");
        }
    }

    @Test
    void aTimedOutCallIsAbandonedAndItsLateReplyDropped() throws Exception {
        List<JsonNode> slow = new CopyOnWriteArrayList<>();
        try (FakeQmpPeer _ = FakeQmpPeer.start(socket(), (name, id, cmd, p) -> {
            if (name.equals("slow")) {
                slow.add(id);
            } else {
                p.send("{\"return\": \"late\", \"id\": " + slow.getFirst() + "}");
                p.send("{\"return\": \"next\", \"id\": " + id + "}");
            }
        }); QmpClient qmp = connect()) {
            assertThatThrownBy(() -> qmp.execute("slow", qmp.arguments(), SHORT)).isInstanceOf(QmpTimeoutException.class)
                    .hasMessageContaining("no reply to slow from");
            assertThat(qmp.execute("next").asText()).isEqualTo("next");
            assertThat(qmp.isOpen()).isTrue();
        }
    }

    @Test
    void garbageFromThePeerClosesTheConnectionWithTheReason() throws Exception {
        try (FakeQmpPeer _ = FakeQmpPeer.start(socket(), (name, id, cmd, p) -> p.send("<html>not QMP</html>"));
             QmpClient qmp = connect()) {
            assertThatThrownBy(() -> qmp.execute("query-status")).isInstanceOf(QmpClosedException.class)
                    .hasMessageContaining("not valid JSON");
            assertThat(qmp.onClose().get(5, TimeUnit.SECONDS)).isInstanceOf(QmpProtocolException.class);
        }
    }

    @Test
    void aReplyToACommandNeverSentClosesTheConnection() throws Exception {
        try (FakeQmpPeer _ = FakeQmpPeer.start(socket(), (name, id, cmd, p) -> p.send("{\"return\": {}, \"id\": 999}"));
             QmpClient qmp = connect()) {
            assertThatThrownBy(() -> qmp.execute("query-status")).isInstanceOf(QmpClosedException.class)
                    .hasMessageContaining("for id 999, which was never sent");
        }
    }

    @Test
    void aPeerThatNeverGreetsTimesOutWithAHint() throws Exception {
        try (FakeQmpPeer _ = FakeQmpPeer.start(socket(), false, (name, id, cmd, p) -> { })) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> QmpClient.connect(socket(), QmpClientOptions.defaults().withConnectTimeout(SHORT)))
                    .isInstanceOf(QmpTimeoutException.class)
                    .hasMessageContaining("no QMP greeting from")
                    .hasMessageContaining("is another client connected to");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void nothingListeningFailsAtOnce() {
        assertThatThrownBy(() -> QmpClient.connect(dir.resolve("absent.sock"), QmpClientOptions.defaults()))
                .isInstanceOf(IOException.class).isNotInstanceOf(QmpTimeoutException.class);
    }

    @Test
    void refusedNegotiationFailsTheConnect() throws Exception {
        try (FakeQmpPeer _ = FakeQmpPeer.start(socket(), true, (name, id, cmd, p) -> p.send("{\"id\": " + id
                + ", \"error\": {\"class\": \"GenericError\", \"desc\": \"no capabilities for you\"}}"))) {
            assertThatThrownBy(() -> QmpClient.connect(socket(), QmpClientOptions.defaults()))
                    .isInstanceOf(QmpCommandException.class).hasMessageContaining("no capabilities for you");
        }
    }
}
