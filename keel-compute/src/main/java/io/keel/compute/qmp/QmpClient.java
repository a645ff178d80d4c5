package io.keel.compute.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A QMP connection to one QEMU over its Unix socket: connects, negotiates capabilities, then runs
 * commands and collects events. A virtual reader thread decodes every line ({@link QmpLineReader},
 * {@link QmpCodec}) and hands it to the {@link QmpSession}; when the connection breaks, every
 * waiting call fails at once with a {@link QmpClosedException}.
 *
 * <p>QEMU serves one QMP client per socket at a time, and a second connection is not even greeted
 * while the first is open: a greeting that does not arrive within the connect timeout usually means
 * another client holds the socket.
 */
public final class QmpClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(QmpClient.class);

    private final Path socket;
    private final SocketChannel channel;
    private final QmpClientOptions options;
    private final QmpCodec codec;
    private final QmpEventLog events;
    private final QmpSession session;
    private final CompletableFuture<QmpException> closed = new CompletableFuture<>();
    private final Object writeLock = new Object();
    private volatile QmpMessage.Greeting greeting;

    private QmpClient(Path socket, SocketChannel channel, QmpClientOptions options) {
        this.socket = socket;
        this.channel = channel;
        this.options = options;
        this.codec = new QmpCodec(options.maxLineBytes());
        this.events = new QmpEventLog(options.eventLogSize());
        this.session = new QmpSession(this::send, this::onEvent);
    }

    /**
     * Connects to the QMP socket at {@code socket} and negotiates capabilities, all within
     * {@code options.connectTimeout()}.
     *
     * @throws QmpTimeoutException when QEMU does not greet or negotiate in time
     * @throws IOException         when nothing listens on the socket (missing file, connection refused)
     */
    public static QmpClient connect(Path socket, QmpClientOptions options) throws IOException, InterruptedException {
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(options, "options");
        long deadline = System.nanoTime() + options.connectTimeout().toNanos();
        SocketChannel ch = openWithin(socket, deadline);
        QmpClient client = new QmpClient(socket, ch, options);
        try {
            Thread.ofVirtual().name("qmp-reader-" + socket.getFileName()).start(client::readLoop);
            client.greeting = client.await(client.session.greeting(), deadline, "QMP greeting",
                    " (QEMU greets one client at a time: is another client connected to " + socket + "?)");
            QmpSession.Call negotiation = client.session.submit(QmpSession.CAPABILITIES, client.codec.objectNode());
            client.awaitCall(negotiation, deadline);
            return client;
        } catch (IOException | InterruptedException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    private static SocketChannel openWithin(Path socket, long deadline) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            // A blocking connect to a Unix socket whose listen backlog is full never returns; a
            // non-blocking one lets the connect timeout hold.
            ch.configureBlocking(false);
            if (!ch.connect(UnixDomainSocketAddress.of(socket))) {
                try (Selector selector = Selector.open()) {
                    ch.register(selector, SelectionKey.OP_CONNECT);
                    while (!ch.finishConnect()) {
                        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                        if (left <= 0) {
                            throw new QmpTimeoutException("connecting to " + socket + " timed out");
                        }
                        selector.select(left);
                    }
                }
            }
            ch.configureBlocking(true);
            return ch;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    public Path socket() {
        return socket;
    }

    /** QEMU's greeting: its version and offered capabilities. */
    public QmpMessage.Greeting greeting() {
        return greeting;
    }

    public boolean isOpen() {
        return !(session.state() instanceof QmpState.Closed);
    }

    /** Completes with the reason once the connection has ended, for whoever supervises QEMU. */
    public CompletableFuture<QmpException> onClose() {
        return closed.copy();
    }

    /** Runs a command without arguments, waiting up to the options' command timeout. */
    public JsonNode execute(String command) throws QmpException, InterruptedException {
        return execute(command, codec.objectNode(), options.commandTimeout());
    }

    /**
     * Runs a command and returns QEMU's {@code return} value.
     *
     * @throws QmpCommandException QEMU refused or failed the command
     * @throws QmpTimeoutException no reply within {@code timeout}; the connection stays usable
     * @throws QmpClosedException  the connection is gone (or went while waiting)
     */
    public JsonNode execute(String command, ObjectNode arguments, Duration timeout) throws QmpException, InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        QmpSession.Call call = session.submit(command, arguments);
        return awaitCall(call, System.nanoTime() + timeout.toNanos());
    }

    /** A fresh, empty JSON object for command arguments. */
    public ObjectNode arguments() {
        return codec.objectNode();
    }

    public QmpStatus queryStatus() throws QmpException, InterruptedException {
        JsonNode r = execute("query-status");
        JsonNode status = r.get("status");
        JsonNode running = r.get("running");
        if (status == null || !status.isTextual() || running == null || !running.isBoolean()) {
            throw new QmpProtocolException("query-status returned no status string and running flag: " + r);
        }
        return new QmpStatus(status.textValue(), running.booleanValue());
    }

    /** Pauses the vCPUs (QEMU emits STOP). */
    public void stop() throws QmpException, InterruptedException {
        execute("stop");
    }

    /** Starts or resumes the vCPUs (QEMU emits RESUME). */
    public void cont() throws QmpException, InterruptedException {
        execute("cont");
    }

    /** Presses the ACPI power button: a request the guest may ignore (QEMU emits POWERDOWN). */
    public void systemPowerdown() throws QmpException, InterruptedException {
        execute("system_powerdown");
    }

    /** A hard reset of the machine, as the reset button does (QEMU emits RESET). */
    public void systemReset() throws QmpException, InterruptedException {
        execute("system_reset");
    }

    /**
     * Makes QEMU exit at once, without asking the guest (QEMU emits SHUTDOWN). QEMU may be gone
     * before its reply reaches us, so a connection closed while waiting counts as done.
     */
    public void quit() throws QmpException, InterruptedException {
        try {
            execute("quit");
        } catch (QmpClosedException e) {
            log.debug("QMP connection to {} closed while quitting: {}", socket, e.getMessage());
        }
    }

    /** The latest event so far; take it before a command, then {@link #awaitEvent} what it causes. */
    public long eventMark() {
        return events.mark();
    }

    /**
     * The first event named {@code name} received after {@code mark}, waiting up to {@code timeout}.
     * Events that arrived before the connection closed still count.
     */
    public QmpEvent awaitEvent(String name, long mark, Duration timeout) throws QmpException, InterruptedException {
        Objects.requireNonNull(name, "name");
        return events.await(e -> e.name().equals(name), name, mark, timeout);
    }

    /** Closes the connection (QEMU keeps running) and fails whatever still waits for a reply. */
    @Override
    public void close() {
        shutdown(new QmpClosedException("QMP connection to " + socket + " closed by this client"));
    }

    private void send(QmpCommand command) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(codec.encode(command));
        synchronized (writeLock) {
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
        }
    }

    private void onEvent(QmpEvent event) {
        events.add(event);
        options.listener().accept(event);
    }

    private void readLoop() {
        QmpLineReader lines = new QmpLineReader(channel, codec.maxLineBytes());
        QmpException end;
        try {
            while (true) {
                byte[] line = lines.readLine();
                if (line == null) {
                    end = new QmpClosedException("QEMU closed the QMP connection on " + socket);
                    break;
                }
                session.onMessage(codec.decode(line));
            }
        } catch (QmpException e) {
            if (isOpen()) {
                log.warn("closing the QMP connection to {}: {}", socket, e.getMessage());
            }
            end = e;
        } catch (IOException e) {
            end = new QmpClosedException("QMP connection to " + socket + " failed: " + e.getMessage(), e);
        }
        shutdown(end);
    }

    private void shutdown(QmpException cause) {
        session.close(cause);
        events.close(cause);
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("closing the QMP socket {}: {}", socket, e.toString());
        }
        closed.complete(cause);
    }

    private JsonNode awaitCall(QmpSession.Call call, long deadline) throws QmpException, InterruptedException {
        try {
            return await(call.reply(), deadline, "reply to " + call.command(), "");
        } catch (QmpTimeoutException | InterruptedException e) {
            session.abandon(call.id());
            throw e;
        }
    }

    private <T> T await(CompletableFuture<T> future, long deadline, String what, String hint)
            throws QmpException, InterruptedException {
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new QmpTimeoutException("no " + what + " from " + socket + " in time" + hint);
        } catch (ExecutionException e) {
            // Rethrown as new exceptions so the stack trace shows the caller, not the reader thread.
            switch (e.getCause()) {
                case QmpCommandException c -> throw new QmpCommandException(c.command(), c.errorClass(), c.description());
                case QmpClosedException c -> throw new QmpClosedException(c.getMessage(), c);
                case QmpException q -> throw new QmpClosedException(q.getMessage(), q);
                default -> throw new IllegalStateException("unexpected failure waiting for " + what, e.getCause());
            }
        }
    }
}
