package io.keel.api;

import static io.keel.api.HttpTestClient.json;
import static io.keel.api.LoggedInApi.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.api.console.ConsoleKind;
import io.keel.api.console.ConsoleTarget;
import io.keel.api.console.NodeCredential;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The console routes on a real server, bridged to a real Unix-domain socket. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsoleRoutesTest {
    private static final String SERIAL = "/api/v1/vms/vm1/console/serial";

    @TempDir
    Path dir;

    private FakeConsole console;
    private final FakeConsoleService consoles = new FakeConsoleService();
    private final FakeClusterService cluster = new FakeClusterService();
    private LoggedInApi api;

    @BeforeEach
    void start() throws Exception {
        console = new FakeConsole(dir.resolve("serial.sock"));
        consoles.vm("vm1", ConsoleKind.SERIAL, new ConsoleTarget.Local(console.socket()))
                .vm("vm1", ConsoleKind.VNC, new ConsoleTarget.Local(console.socket()));
        consoles.vm("novnc", ConsoleKind.SERIAL, new ConsoleTarget.Local(console.socket()));
        consoles.stopped.put("off", true);
        api = new LoggedInApi(cluster, s -> s.withConsoles(consoles, credential("node-a", "secret-a")));
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
        console.close();
    }

    private NodeCredential credential(String node, String secret) {
        cluster.nodeSecrets.put(node, secret);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        return new NodeCredential() {
            @Override
            public String authorization() {
                return "Node " + node + ":" + secret;
            }

            @Override
            public HttpClient client() {
                return client;
            }
        };
    }

    private String ticket(String vm, String kind) {
        HttpResponse<String> r = api.send("POST", "/api/v1/vms/" + vm + "/console", "{\"kind\":\"" + kind + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r).get("ticket").asText();
    }

    @Test
    void aTicketOpensTheSerialConsoleAndBytesFlowBothWays() throws Exception {
        HttpResponse<String> r = api.send("POST", "/api/v1/vms/vm1/console", "{\"kind\":\"serial\"}");
        JsonNode t = json(r);
        assertThat(t.get("vm").asText()).isEqualTo("vm1");
        assertThat(t.get("kind").asText()).isEqualTo("serial");
        assertThat(t.get("path").asText()).isEqualTo(SERIAL);
        assertThat(t.get("expiresAt").asText()).isEqualTo(FakeClusterService.T0.plusSeconds(30).toString());
        try (WsTestClient ws = WsTestClient.connect(api.port(), SERIAL + "?ticket=" + t.get("ticket").asText())) {
            ws.await(FakeConsole.BANNER);
            ws.sendText("hello from xterm\r");
            ws.await("hello from xterm\r");
            ws.sendBinary("binary é".getBytes(StandardCharsets.UTF_8));
            ws.await("binary é");
            assertThat(ws.sawTextFrames()).as("console output goes out as binary frames").isFalse();
        }
    }

    @Test
    void aTicketIsSingleUse() throws Exception {
        String ticket = ticket("vm1", "serial");
        try (WsTestClient ws = WsTestClient.connect(api.port(), SERIAL + "?ticket=" + ticket)) {
            ws.await(FakeConsole.BANNER);
        }
        awaitConsoleFree();
        assertThat(WsTestClient.refused(api.port(), SERIAL + "?ticket=" + ticket))
                .isEqualTo(new WsTestClient.Refused(401, "invalid, expired or already used console ticket"));
    }

    @Test
    void anExpiredTicketIsRefused() throws Exception {
        String ticket = ticket("vm1", "serial");
        api.clock.advance(Duration.ofSeconds(30));
        assertThat(WsTestClient.refused(api.port(), SERIAL + "?ticket=" + ticket).status()).isEqualTo(401);
        assertThat(console.accepted()).isZero();
    }

    @Test
    void aTicketIsBoundToItsVmAndKind() throws Exception {
        String serial = ticket("vm1", "serial");
        assertThat(WsTestClient.refused(api.port(), "/api/v1/vms/vm1/console/vnc?ticket=" + serial).status())
                .isEqualTo(401);
        // Shown where it did not belong, it is spent.
        assertThat(WsTestClient.refused(api.port(), SERIAL + "?ticket=" + serial).status()).isEqualTo(401);
        String other = ticket("novnc", "serial");
        assertThat(WsTestClient.refused(api.port(), SERIAL + "?ticket=" + other).status()).isEqualTo(401);
    }

    @Test
    void withoutCredentialsOrWithWrongOnesTheUpgradeIsRefused() throws Exception {
        WsTestClient.Refused none = WsTestClient.refused(api.port(), SERIAL);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.message()).contains("POST /api/v1/vms/vm1/console");
        assertThat(WsTestClient.refused(api.port(), SERIAL + "?ticket=abc.def").status()).isEqualTo(401);
        assertThat(WsTestClient.refused(api.port(), SERIAL + "?ticket=nodot").status()).isEqualTo(401);
        assertThat(WsTestClient.refused(api.port(), SERIAL, "Authorization", "Bearer forged").status()).isEqualTo(401);
        // A node credential is not an operator's.
        assertThat(WsTestClient.refused(api.port(), SERIAL, "Authorization", "Node node-a:secret-a").status())
                .isEqualTo(401);
        assertThat(console.accepted()).isZero();
    }

    @Test
    void theSessionTokenInTheAuthorizationHeaderWorksToo() throws Exception {
        try (WsTestClient ws = WsTestClient.connect(api.port(), SERIAL, "Authorization", api.authorization())) {
            ws.await(FakeConsole.BANNER);
            ws.sendText("cli\n");
            ws.await("cli\n");
        }
    }

    @Test
    void unknownAndStoppedVmsAreRefusedWithTheServicesAnswer() throws Exception {
        assertError(api.send("POST", "/api/v1/vms/nope/console", "{\"kind\":\"serial\"}"), 404, "not_found",
                "no VM named nope");
        assertError(api.send("POST", "/api/v1/vms/off/console", "{\"kind\":\"serial\"}"), 409, "conflict",
                "VM off is not running");
        assertError(api.send("POST", "/api/v1/vms/novnc/console", "{\"kind\":\"vnc\"}"), 409, "conflict",
                "VM novnc has no display");
        assertError(api.send("POST", "/api/v1/vms/vm1/console", "{\"kind\":\"spice\"}"), 400, "invalid",
                "kind must be 'serial' or 'vnc'");
        assertThat(WsTestClient.refused(api.port(), "/api/v1/vms/nope/console/serial", "Authorization",
                api.authorization())).isEqualTo(new WsTestClient.Refused(404, "no VM named nope"));
        assertThat(WsTestClient.refused(api.port(), "/api/v1/vms/off/console/serial", "Authorization",
                api.authorization())).isEqualTo(new WsTestClient.Refused(409, "VM off is not running"));
    }

    @Test
    void aSecondSerialSessionIsRefusedUntilTheFirstLeaves() throws Exception {
        try (WsTestClient first = WsTestClient.connect(api.port(), SERIAL + "?ticket=" + ticket("vm1", "serial"))) {
            first.await(FakeConsole.BANNER);
            assertThat(WsTestClient.refused(api.port(), SERIAL, "Authorization", api.authorization()))
                    .isEqualTo(new WsTestClient.Refused(409, "the serial console of VM vm1 is in use by another session"));
            assertThat(console.accepted()).isEqualTo(1);
        }
        awaitConsoleFree();
        try (WsTestClient again = WsTestClient.connect(api.port(), SERIAL, "Authorization", api.authorization())) {
            again.await(FakeConsole.BANNER);
        }
    }

    @Test
    void vncSessionsMayShareTheDisplay() throws Exception {
        String vnc = "/api/v1/vms/vm1/console/vnc";
        try (WsTestClient a = WsTestClient.connect(api.port(), vnc + "?ticket=" + ticket("vm1", "vnc"));
                WsTestClient b = WsTestClient.connect(api.port(), vnc, "Authorization", api.authorization())) {
            a.await(FakeConsole.BANNER);
            b.await(FakeConsole.BANNER);
            b.sendBinary(new byte[] {'R', 'F', 'B', 0, (byte) 0xff});
            b.await("RFB");
        }
    }

    @Test
    void closingTheWebSocketClosesTheConsoleConnection() throws Exception {
        WsTestClient ws = WsTestClient.connect(api.port(), SERIAL, "Authorization", api.authorization());
        ws.await(FakeConsole.BANNER);
        ws.close();
        assertThat(FakeConsole.await(() -> console.ended() == 1, Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void theConsoleClosingClosesTheWebSocket() throws Exception {
        try (WsTestClient ws = WsTestClient.connect(api.port(), SERIAL, "Authorization", api.authorization())) {
            ws.await(FakeConsole.BANNER);
            console.dropClients();
            WsTestClient.Closed closed = ws.awaitClosed();
            assertThat(closed.status()).isEqualTo(1000);
            assertThat(closed.reason()).isEqualTo("the console closed");
        }
        awaitConsoleFree();
    }

    @Test
    void aConsoleThatIsNotListeningIsAConflict() throws Exception {
        consoles.vm("gone", ConsoleKind.SERIAL, new ConsoleTarget.Local(dir.resolve("missing.sock")));
        WsTestClient.Refused r = WsTestClient.refused(api.port(), "/api/v1/vms/gone/console/serial", "Authorization",
                api.authorization());
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.message()).startsWith("the serial console of VM gone is not reachable: ");
        // The failed attempt released its lock.
        consoles.vm("gone", ConsoleKind.SERIAL, new ConsoleTarget.Local(console.socket()));
        try (WsTestClient ws = WsTestClient.connect(api.port(), "/api/v1/vms/gone/console/serial", "Authorization",
                api.authorization())) {
            ws.await(FakeConsole.BANNER);
        }
    }

    @Test
    void aPlainGetIsAskedToUpgradeAfterItsCredentialsAreChecked() {
        assertThat(api.http.get(SERIAL).statusCode()).isEqualTo(401);
        HttpResponse<String> r = api.http.get(SERIAL, "Authorization", api.authorization());
        assertError(r, 426, "upgrade_required", "this endpoint is a WebSocket: connect with an Upgrade request");
        assertThat(r.headers().firstValue("Upgrade")).hasValue("websocket");
        assertThat(api.http.get("/api/v1/internal/vms/vm1/console/serial", "Authorization", api.authorization())
                .statusCode()).isEqualTo(401);
    }

    @Test
    void ticketsReachNeitherLogsNorMetrics() throws Exception {
        String ticket;
        try (LogCapture log = new LogCapture(org.slf4j.Logger.ROOT_LOGGER_NAME)) {
            ticket = ticket("vm1", "serial");
            try (WsTestClient ws = WsTestClient.connect(api.port(), SERIAL + "?ticket=" + ticket)) {
                ws.await(FakeConsole.BANNER);
            }
            WsTestClient.refused(api.port(), SERIAL + "?ticket=" + ticket);
            assertThat(log.lines()).anySatisfy(l -> assertThat(l).contains("serial console of VM vm1 attached by superadmin"));
            assertThat(String.join("\n", log.lines())).doesNotContain(ticket).doesNotContain(ticket.substring(0, 8));
        }
        assertThat(api.http.get("/metrics").body()).doesNotContain(ticket.substring(0, 8));
    }

    @Test
    void aVmOnAnotherNodeIsReachedThroughThatNodesInternalRoute() throws Exception {
        // Node B hosts the VM; node A (the one the operator talks to) proxies with its node credential.
        FakeConsoleService onB = new FakeConsoleService().vm("vm1", ConsoleKind.SERIAL, new ConsoleTarget.Local(console.socket()));
        onB.vms.computeIfAbsent("elsewhere", n -> new java.util.concurrent.ConcurrentHashMap<>())
                .put(ConsoleKind.SERIAL, new ConsoleTarget.Remote("node-c", "127.0.0.1", 1, false));
        try (LoggedInApi nodeB = new LoggedInApi(cluster, s -> s.withConsoles(onB, credential("node-b", "secret-b")))) {
            // B's login replaced the cluster's signing key: log in on A again.
            LoggedInApi nodeA = new LoggedInApi(cluster, s -> s.withConsoles(new FakeConsoleService()
                    .vm("vm1", ConsoleKind.SERIAL, new ConsoleTarget.Remote("node-b", "127.0.0.1", nodeB.port(), false))
                    .vm("elsewhere", ConsoleKind.SERIAL, new ConsoleTarget.Remote("node-b", "127.0.0.1", nodeB.port(), false))
                    .vm("unreachable", ConsoleKind.SERIAL, new ConsoleTarget.Remote("node-x", "127.0.0.1", 1, false)),
                    credential("node-a", "secret-a")));
            try (nodeA) {
                String ticket = json(nodeA.send("POST", "/api/v1/vms/vm1/console", "{\"kind\":\"serial\"}"))
                        .get("ticket").asText();
                try (WsTestClient ws = WsTestClient.connect(nodeA.port(), SERIAL + "?ticket=" + ticket)) {
                    ws.await(FakeConsole.BANNER);
                    ws.sendText("through two nodes\r");
                    ws.await("through two nodes\r");
                    // The lock lives on the hosting node, whichever node the second operator asks.
                    assertThat(WsTestClient.refused(nodeA.port(), SERIAL, "Authorization", nodeA.authorization()))
                            .isEqualTo(new WsTestClient.Refused(409, "the serial console of VM vm1 is in use by another session"));
                    // A session token is good on every node (B's own login predates A's new signing key).
                    assertThat(WsTestClient.refused(nodeB.port(), SERIAL, "Authorization", nodeA.authorization()).status())
                            .isEqualTo(409);
                    console.dropClients();
                    assertThat(ws.awaitClosed().status()).isEqualTo(1000);
                }
                assertThat(WsTestClient.refused(nodeA.port(), "/api/v1/vms/elsewhere/console/serial", "Authorization",
                        nodeA.authorization())).isEqualTo(new WsTestClient.Refused(409, "VM elsewhere does not run on node node-a"));
                WsTestClient.Refused down = WsTestClient.refused(nodeA.port(), "/api/v1/vms/unreachable/console/serial",
                        "Authorization", nodeA.authorization());
                assertThat(down.status()).isEqualTo(502);
                assertThat(down.message()).startsWith("cannot reach node node-x (127.0.0.1:1) for the console of VM unreachable");
                // The internal route wants a node credential, not an operator's session.
                assertThat(WsTestClient.refused(nodeB.port(), "/api/v1/internal/vms/vm1/console/serial", "Authorization",
                        nodeA.authorization()).status()).isEqualTo(401);
            }
        }
    }

    @Test
    void aRefusedUpgradeGetsTheUsualJsonErrorBody() throws Exception {
        String response = rawUpgrade(SERIAL + "?ticket=forged.ticket", null, "13");
        assertThat(response).startsWith("HTTP/1.1 401 ").contains("Keel-Error: invalid, expired or already used console ticket")
                .contains("{\"code\":\"unauthorized\",\"message\":\"invalid, expired or already used console ticket\"");
    }

    @Test
    void aHandshakeThatFailsAfterTheChecksLetsGoOfTheConsole() throws Exception {
        // A WebSocket version Jetty does not speak: the checks pass and the console is opened, then
        // Jetty refuses the handshake and no WebSocket will come for it.
        String response = rawUpgrade(SERIAL, api.authorization(), "99");
        assertThat(response).doesNotStartWith("HTTP/1.1 101");
        // The refusal may reach the client before the server thread that opened the console counted it.
        assertThat(FakeConsole.await(() -> console.accepted() == 1, Duration.ofSeconds(20)))
                .as("the console was opened once: " + response).isTrue();
        assertThat(FakeConsole.await(() -> console.ended() == 1, Duration.ofSeconds(20)))
                .as("the console opened before the failed upgrade was closed: " + response).isTrue();
        try (WsTestClient ws = WsTestClient.connect(api.port(), SERIAL, "Authorization", api.authorization())) {
            ws.await(FakeConsole.BANNER);
        }
    }

    private String rawUpgrade(String pathAndQuery, String authorization, String version) throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", api.port())) {
            s.setSoTimeout(10_000);
            String request = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Version: " + version + "\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + "\r\n";
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            // The head, then as many body bytes as Content-Length says: the connection stays open.
            java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
            java.io.InputStream in = s.getInputStream();
            while (!got.toString(StandardCharsets.US_ASCII).contains("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return got.toString(StandardCharsets.UTF_8);
                }
                got.write(b);
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)")
                    .matcher(got.toString(StandardCharsets.US_ASCII));
            if (m.find()) {
                got.write(in.readNBytes(Integer.parseInt(m.group(1))));
            }
            return got.toString(StandardCharsets.UTF_8);
        }
    }

    private void awaitConsoleFree() throws InterruptedException {
        assertThat(FakeConsole.await(() -> console.ended() == console.accepted(), Duration.ofSeconds(10)))
                .as("every console connection ended").isTrue();
    }
}
