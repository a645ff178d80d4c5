package io.keel.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code keel vm console VM}: the VM's serial console in this terminal, over the API's console
 * WebSocket with the saved session. Not registered in the command tree yet: {@code keel vm} adds it.
 */
@Command(
        name = "console",
        description = {
            "Attach to the serial console of a VM.",
            "In a terminal, keys go to the VM (raw mode) and Ctrl-] detaches.",
            "Without a terminal (scripts), standard input is sent until it ends, then console output is",
            "printed until the console closes or --timeout has passed since the input ended."
        })
final class VmConsoleCommand extends KeelSubcommand {
    /** Ctrl-], as telnet and virsh console use. */
    static final int DETACH_KEY = 0x1d;
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    @Parameters(paramLabel = "VM", description = "VM name or id.")
    String vm;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = Durations.Converter.class, defaultValue = "5s",
            description = "Without a terminal: how long to keep printing console output after standard input"
                    + " ends (default: ${DEFAULT-VALUE}). The console closing ends the session sooner.")
    Duration timeout;

    VmConsoleCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    public Integer call() throws Exception {
        ApiClient api = ctx.api();
        boolean interactive = ctx.in() == System.in && System.console() != null && System.console().isTerminal();
        ConsoleStream stream = new ConsoleStream(out());
        WebSocket socket = api.webSocket("/api/v1/vms/" + ApiClient.segment(vm) + "/console/serial", stream);
        ctx.err().println("Connected to the serial console of VM " + vm + "; press Ctrl-] to detach");
        ctx.err().flush();
        CompletableFuture<Void> inputEnded = new CompletableFuture<>();
        CompletableFuture<Void> detached = new CompletableFuture<>();
        RawTerminal terminal = interactive ? RawTerminal.enter() : null;
        try {
            // A platform daemon thread: a read of stdin cannot be interrupted, and a thread still
            // blocked in it after the console closed must not keep the JVM alive.
            Thread.ofPlatform().daemon().name("keel-console-input")
                    .start(() -> pumpInput(ctx.in(), socket, interactive, inputEnded, detached));
            ConsoleStream.Ended ended = awaitEnd(stream, interactive, inputEnded, detached);
            if (ended == null) {
                return KeelCli.OK;
            }
            ctx.err().println((interactive ? "\r\n" : "\n") + "Console of VM " + vm + " closed"
                    + (ended.reason().isEmpty() ? "" : ": " + ended.reason()));
            return ended.status() == WebSocket.NORMAL_CLOSURE ? KeelCli.OK : KeelCli.FAILED;
        } finally {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "detached").orTimeout(2, TimeUnit.SECONDS)
                    .whenComplete((r, e) -> socket.abort());
            if (terminal != null) {
                terminal.close();
            }
        }
    }

    /** How the console ended, or null when this side detached (Ctrl-], or the wait after input ended). */
    private ConsoleStream.Ended awaitEnd(ConsoleStream stream, boolean interactive, CompletableFuture<Void> inputEnded,
            CompletableFuture<Void> detached) throws InterruptedException {
        try {
            if (interactive) {
                CompletableFuture.anyOf(stream.ended(), detached).get();
            } else {
                CompletableFuture.anyOf(stream.ended(), inputEnded).get();
                if (!stream.ended().isDone()) {
                    try {
                        return stream.ended().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (TimeoutException e) {
                        return null;
                    }
                }
            }
            return stream.ended().isDone() ? stream.ended().get() : null;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof CliException cli) {
                throw cli;
            }
            throw new CliException("the console connection of VM " + vm + " failed: " + cause.getMessage(), cause);
        }
    }

    private void pumpInput(InputStream in, WebSocket socket, boolean interactive, CompletableFuture<Void> inputEnded,
            CompletableFuture<Void> detached) {
        byte[] buffer = new byte[4096];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                int end = n;
                boolean detach = false;
                if (interactive) {
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == DETACH_KEY) {
                            end = i;
                            detach = true;
                            break;
                        }
                    }
                }
                if (end > 0) {
                    // Waiting for each send keeps the order and is the backpressure: java.net.http
                    // allows one outstanding send, and the buffer is reused.
                    socket.sendBinary(ByteBuffer.wrap(buffer, 0, end), true)
                            .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                }
                if (detach) {
                    detached.complete(null);
                    return;
                }
            }
            inputEnded.complete(null);
        } catch (IOException | ExecutionException | TimeoutException e) {
            // The console side failed or closed; awaitEnd reports how.
            inputEnded.complete(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            inputEnded.complete(null);
        }
    }
}
