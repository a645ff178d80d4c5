package io.keel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.javalin.http.ConflictResponse;
import io.javalin.http.UnauthorizedResponse;
import io.javalin.websocket.WsContext;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code keel vm console} without a terminal, against a WebSocket server shaped like the API's
 * console route: bearer session, a banner, echo, and 'bye' closing the console like a guest
 * powering off.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class VmConsoleCommandTest extends CliTestBase {
    private static final Map<String, Class<?>> CONSOLE = Map.of("vm-console", VmConsoleCommand.class);

    private Javalin server;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startServer() {
        server = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.startupWatcherEnabled = false;
            cfg.router.mount(router -> {
                router.wsBeforeUpgrade("/api/v1/vms/{vm}/console/serial", ctx -> {
                    authorizations.add(String.valueOf(ctx.header("Authorization")));
                    if (!("Bearer " + FakeApi.TOKEN).equals(ctx.header("Authorization"))) {
                        ctx.header("Keel-Error", "missing bearer token");
                        throw new UnauthorizedResponse();
                    }
                    if (ctx.pathParam("vm").equals("busy")) {
                        ctx.header("Keel-Error", "the serial console of VM busy is in use by another session");
                        throw new ConflictResponse();
                    }
                });
                router.ws("/api/v1/vms/{vm}/console/serial", ws -> {
                    ws.onConnect(ctx -> ctx.send(ByteBuffer.wrap(("banner of " + ctx.pathParam("vm") + " é\r\n")
                            .getBytes(StandardCharsets.UTF_8))));
                    ws.onBinaryMessage(ctx -> echo(ctx, new String(ctx.data(), ctx.offset(), ctx.length(), StandardCharsets.UTF_8)));
                    ws.onMessage(ctx -> echo(ctx, ctx.message()));
                });
            });
        }).start("127.0.0.1", 0);
    }

    private void echo(WsContext ctx, String text) {
        received.add(text);
        ctx.send(ByteBuffer.wrap(("echo:" + text).getBytes(StandardCharsets.UTF_8)));
        if (text.contains("bye")) {
            ctx.closeSession(1000, "guest powered off");
        }
    }

    @AfterEach
    void stopServer() {
        server.stop();
    }

    private Result console(String... args) throws Exception {
        loggedIn("http://127.0.0.1:" + server.port(), false);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 1];
        all[0] = "vm-console";
        System.arraycopy(args, 0, all, 1, args.length);
        int exit = cli(out, err).run(CONSOLE, all);
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void pipedInputGoesToTheConsoleAndOutputIsPrintedUntilTheConsoleCloses() throws Exception {
        stdin = "hello\nbye\n";
        long start = System.nanoTime();
        Result r = console("vm1", "--timeout", "20s");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).startsWith("banner of vm1 é\r\n").contains("echo:hello\n").contains("echo:").contains("bye");
        assertThat(r.err()).startsWith("Connected to the serial console of VM vm1; press Ctrl-] to detach\n")
                .contains("Console of VM vm1 closed: guest powered off");
        assertThat(String.join("", received)).isEqualTo("hello\nbye\n");
        assertThat(authorizations).containsExactly("Bearer " + FakeApi.TOKEN);
        // It ended because the console closed, not because the 20 s ran out.
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(15);
    }

    @Test
    void afterTheInputEndsOutputIsPrintedForTheTimeoutThenItDetaches() throws Exception {
        stdin = "status\n";
        Result r = console("vm1", "--timeout", "1s");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("banner of vm1").contains("echo:status\n");
        assertThat(r.err()).doesNotContain("closed");
    }

    @Test
    void aRefusedConsoleIsReportedWithTheApisReason() throws Exception {
        Result r = console("busy");
        assertThat(r.exit()).isEqualTo(KeelCli.FAILED);
        assertThat(r.err()).contains("error: the serial console of VM busy is in use by another session");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void withoutASessionItSaysToLogIn() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = cli(out, err).run(CONSOLE, "vm-console", "vm1");
        assertThat(exit).isEqualTo(KeelCli.FAILED);
        assertThat(err.toString()).contains(CliContext.NOT_LOGGED_IN);
    }
}
