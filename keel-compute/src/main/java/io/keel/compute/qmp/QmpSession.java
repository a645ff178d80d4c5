package io.keel.compute.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * QMP's conversation rules, without any I/O of its own: which command may be sent in which
 * {@link QmpState}, which reply belongs to which command, where events go. The transport feeds it
 * every decoded message through {@link #onMessage} from one reader thread, and gives it a
 * {@link Sender} to put commands on the wire.
 *
 * <p>Thread-safe: any number of threads may {@link #submit}; replies complete their futures on the
 * reader thread, and events reach the listener on that thread in the order QEMU sent them. Futures
 * and the listener are called outside the session's lock, so either may submit again.
 */
public final class QmpSession {
    public static final String CAPABILITIES = "qmp_capabilities";

    /** Puts one command on the wire. An {@link IOException} here means the connection is broken. */
    @FunctionalInterface
    public interface Sender {
        void send(QmpCommand command) throws IOException;
    }

    /** A sent command: its id (to {@link #abandon} it after a timeout) and the reply to come. */
    public record Call(String command, long id, CompletableFuture<JsonNode> reply) {}

    private static final Logger log = LoggerFactory.getLogger(QmpSession.class);

    private final Sender sender;
    private final Consumer<QmpEvent> events;
    private final CompletableFuture<QmpMessage.Greeting> greeting = new CompletableFuture<>();
    private final Object lock = new Object();
    private final Map<Long, Call> pending = new HashMap<>();
    private QmpState state = new QmpState.AwaitingGreeting();
    private long nextId = 1;

    public QmpSession(Sender sender, Consumer<QmpEvent> events) {
        this.sender = Objects.requireNonNull(sender, "sender");
        this.events = Objects.requireNonNull(events, "events");
    }

    public QmpState state() {
        synchronized (lock) {
            return state;
        }
    }

    /** Completes when QEMU greets; fails with {@link QmpClosedException} if the session closes first. */
    public CompletableFuture<QmpMessage.Greeting> greeting() {
        return greeting.copy();
    }

    /**
     * Sends a command and returns its pending reply. The reply future completes with the
     * {@code return} value, or fails with {@link QmpCommandException} (QEMU's error) or
     * {@link QmpClosedException} (the connection ended first).
     *
     * @throws IllegalStateException if the command is not allowed in the current state
     * @throws QmpClosedException    if the session is already closed
     */
    public Call submit(String command, ObjectNode arguments) throws QmpClosedException {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(arguments, "arguments");
        Call call;
        QmpCommand wire;
        synchronized (lock) {
            switch (state) {
                case QmpState.Closed c -> throw new QmpClosedException("cannot send " + command
                        + ": the QMP connection is closed (" + c.cause().getMessage() + ")", c.cause());
                case QmpState.AwaitingGreeting _ -> throw new IllegalStateException("cannot send " + command
                        + ": QEMU has not sent its greeting yet");
                case QmpState.Negotiating n when !command.equals(CAPABILITIES) -> throw new IllegalStateException(
                        "cannot send " + command + " before capabilities are negotiated (send " + CAPABILITIES + " first)");
                case QmpState.Negotiating n when n.requested() -> throw new IllegalStateException(
                        "cannot send " + CAPABILITIES + " twice: negotiation is already under way");
                case QmpState.Negotiating n -> state = new QmpState.Negotiating(n.greeting(), true);
                case QmpState.Commands c when command.equals(CAPABILITIES) -> throw new IllegalStateException(
                        "cannot send " + CAPABILITIES + ": capabilities are already negotiated");
                case QmpState.Commands _ -> {
                    // Any command goes.
                }
            }
            long id = nextId++;
            wire = new QmpCommand(command, arguments, id);
            call = new Call(command, id, new CompletableFuture<>());
            pending.put(id, call);
        }
        try {
            sender.send(wire);
        } catch (IOException e) {
            close(new QmpClosedException("sending " + command + " failed: " + e.getMessage(), e));
        }
        return call;
    }

    /**
     * Forgets a call whose caller stopped waiting; its reply, if it ever comes, is dropped. The
     * connection stays open: QEMU runs commands one after another, so a slow one only delays later ones.
     */
    public void abandon(long id) {
        synchronized (lock) {
            pending.remove(id);
        }
    }

    /**
     * Takes one decoded message from the reader.
     *
     * @throws QmpProtocolException when the message breaks the protocol; the caller must then
     *                              {@link #close} the session and the connection
     */
    public void onMessage(QmpMessage message) throws QmpProtocolException {
        Objects.requireNonNull(message, "message");
        switch (message) {
            case QmpMessage.Greeting g -> onGreeting(g);
            case QmpMessage.Return r -> onReply(r.id().orElse(null), "return", call -> {
                if (call.command().equals(CAPABILITIES)) {
                    negotiated();
                }
                call.reply().complete(r.value());
            });
            case QmpMessage.Error e -> onReply(e.id().orElse(null), "error " + e.errorClass(), call -> {
                if (call.command().equals(CAPABILITIES)) {
                    negotiationFailed();
                }
                call.reply().completeExceptionally(new QmpCommandException(call.command(), e.errorClass(), e.description()));
            });
            case QmpEvent ev -> onEvent(ev);
        }
    }

    private void onGreeting(QmpMessage.Greeting g) throws QmpProtocolException {
        synchronized (lock) {
            if (!(state instanceof QmpState.AwaitingGreeting)) {
                throw new QmpProtocolException("a second greeting arrived (state " + name(state) + ")");
            }
            state = new QmpState.Negotiating(g, false);
        }
        greeting.complete(g);
    }

    private void onReply(JsonNode id, String what, Consumer<Call> complete) throws QmpProtocolException {
        Call call;
        synchronized (lock) {
            if (state instanceof QmpState.AwaitingGreeting) {
                throw new QmpProtocolException("a reply (" + what + ") arrived before the greeting");
            }
            if (id == null) {
                // Every command we send has an id; QEMU answers without one only to input it could not parse.
                throw new QmpProtocolException("a reply (" + what + ") without an id: QEMU could not read a command we sent");
            }
            if (!id.isIntegralNumber() || !id.canConvertToLong() || id.longValue() < 1 || id.longValue() >= nextId) {
                throw new QmpProtocolException("a reply (" + what + ") for id " + id + ", which was never sent");
            }
            call = pending.remove(id.longValue());
        }
        if (call == null) {
            log.debug("dropping a late reply ({}) for abandoned command id {}", what, id);
            return;
        }
        complete.accept(call);
    }

    private void negotiated() {
        synchronized (lock) {
            if (state instanceof QmpState.Negotiating n) {
                state = new QmpState.Commands(n.greeting());
            }
        }
    }

    private void negotiationFailed() {
        synchronized (lock) {
            if (state instanceof QmpState.Negotiating n) {
                state = new QmpState.Negotiating(n.greeting(), false);
            }
        }
    }

    private void onEvent(QmpEvent ev) throws QmpProtocolException {
        synchronized (lock) {
            if (state instanceof QmpState.AwaitingGreeting) {
                throw new QmpProtocolException("event " + ev.name() + " arrived before the greeting");
            }
            if (state instanceof QmpState.Closed) {
                return;
            }
        }
        try {
            events.accept(ev);
        } catch (RuntimeException e) {
            // One faulty listener must not end the connection that every other caller relies on.
            log.warn("QMP event listener failed on {}: {}", ev.name(), e.toString(), e);
        }
    }

    /**
     * Ends the session: every waiting call fails with a {@link QmpClosedException} carrying
     * {@code cause}, and later submits are refused. Only the first close counts.
     *
     * @return true if this call closed the session
     */
    public boolean close(QmpException cause) {
        Objects.requireNonNull(cause, "cause");
        List<Call> failed;
        synchronized (lock) {
            if (state instanceof QmpState.Closed) {
                return false;
            }
            state = new QmpState.Closed(cause);
            failed = new ArrayList<>(pending.values());
            pending.clear();
        }
        QmpClosedException closed = cause instanceof QmpClosedException c ? c
                : new QmpClosedException("QMP connection closed: " + cause.getMessage(), cause);
        greeting.completeExceptionally(closed);
        for (Call call : failed) {
            call.reply().completeExceptionally(closed);
        }
        return true;
    }

    private static String name(QmpState s) {
        return s.getClass().getSimpleName();
    }
}
