package io.keel.compute.qmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The state machine alone: messages go in by hand, commands come out into a list. */
class QmpSessionTest {
    private static final ObjectNode NO_ARGS = JsonNodeFactory.instance.objectNode();
    private static final QmpMessage.Greeting GREETING = new QmpMessage.Greeting(NO_ARGS, List.of("oob"));

    private final List<QmpCommand> sent = new ArrayList<>();
    private final List<QmpEvent> events = new ArrayList<>();
    private final QmpSession session = new QmpSession(sent::add, events::add);

    private static QmpMessage.Return ret(long id, JsonNode value) {
        return new QmpMessage.Return(Optional.of(LongNode.valueOf(id)), value);
    }

    private static QmpEvent event(String name) {
        return new QmpEvent(name, NO_ARGS, new QmpEvent.Timestamp(1, 2));
    }

    private QmpSession.Call negotiate() throws Exception {
        session.onMessage(GREETING);
        QmpSession.Call caps = session.submit(QmpSession.CAPABILITIES, NO_ARGS);
        session.onMessage(ret(caps.id(), NO_ARGS));
        assertThat(session.state()).isEqualTo(new QmpState.Commands(GREETING));
        return caps;
    }

    @Test
    void nothingMayBeSentBeforeTheGreeting() {
        assertThat(session.state()).isInstanceOf(QmpState.AwaitingGreeting.class);
        assertThatThrownBy(() -> session.submit(QmpSession.CAPABILITIES, NO_ARGS)).isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot send qmp_capabilities: QEMU has not sent its greeting yet");
        assertThat(sent).isEmpty();
    }

    @Test
    void onlyCapabilitiesMayBeSentWhileNegotiatingAndOnlyOnce() throws Exception {
        session.onMessage(GREETING);
        assertThat(session.greeting()).isCompletedWithValue(GREETING);
        assertThatThrownBy(() -> session.submit("query-status", NO_ARGS)).isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot send query-status before capabilities are negotiated (send qmp_capabilities first)");
        QmpSession.Call caps = session.submit(QmpSession.CAPABILITIES, NO_ARGS);
        assertThat(sent).containsExactly(new QmpCommand(QmpSession.CAPABILITIES, caps.id()));
        assertThatThrownBy(() -> session.submit(QmpSession.CAPABILITIES, NO_ARGS)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("negotiation is already under way");
        session.onMessage(ret(caps.id(), NO_ARGS));
        assertThat(caps.reply()).isCompletedWithValue(NO_ARGS);
        assertThatThrownBy(() -> session.submit(QmpSession.CAPABILITIES, NO_ARGS)).isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot send qmp_capabilities: capabilities are already negotiated");
    }

    @Test
    void aRefusedNegotiationMayBeRetried() throws Exception {
        session.onMessage(GREETING);
        QmpSession.Call caps = session.submit(QmpSession.CAPABILITIES, NO_ARGS);
        session.onMessage(new QmpMessage.Error(Optional.of(LongNode.valueOf(caps.id())), "GenericError", "no"));
        assertThat(caps.reply()).isCompletedExceptionally();
        assertThatThrownBy(() -> caps.reply().get()).hasCauseInstanceOf(QmpCommandException.class)
                .hasMessageContaining("qmp_capabilities failed: GenericError: no");
        assertThat(session.state()).isEqualTo(new QmpState.Negotiating(GREETING, false));
        session.submit(QmpSession.CAPABILITIES, NO_ARGS);
    }

    @Test
    void repliesAreMatchedByIdWhateverTheirOrder() throws Exception {
        negotiate();
        QmpSession.Call a = session.submit("query-status", NO_ARGS);
        QmpSession.Call b = session.submit("query-name", NO_ARGS);
        QmpSession.Call c = session.submit("nope", NO_ARGS);
        assertThat(List.of(a.id(), b.id(), c.id())).doesNotHaveDuplicates().isSorted();
        session.onMessage(ret(b.id(), TextNode.valueOf("B")));
        session.onMessage(new QmpMessage.Error(Optional.of(IntNode.valueOf((int) c.id())), "CommandNotFound", "gone"));
        session.onMessage(ret(a.id(), TextNode.valueOf("A")));
        assertThat(a.reply()).isCompletedWithValue(TextNode.valueOf("A"));
        assertThat(b.reply()).isCompletedWithValue(TextNode.valueOf("B"));
        assertThatThrownBy(() -> c.reply().get()).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(QmpCommandException.class, e -> {
                    assertThat(e.command()).isEqualTo("nope");
                    assertThat(e.errorClass()).isEqualTo("CommandNotFound");
                    assertThat(e.description()).isEqualTo("gone");
                });
    }

    @Test
    void aLateReplyToAnAbandonedCallIsDropped() throws Exception {
        negotiate();
        QmpSession.Call slow = session.submit("slow", NO_ARGS);
        session.abandon(slow.id());
        session.onMessage(ret(slow.id(), NO_ARGS));
        assertThat(slow.reply()).isNotDone();
        assertThat(session.state()).isInstanceOf(QmpState.Commands.class);
    }

    @Test
    void repliesThatFitNoCommandBreakTheProtocol() throws Exception {
        assertThatThrownBy(() -> session.onMessage(ret(1, NO_ARGS))).isInstanceOf(QmpProtocolException.class)
                .hasMessage("a reply (return) arrived before the greeting");
        negotiate();
        assertThatThrownBy(() -> session.onMessage(new QmpMessage.Return(Optional.empty(), NO_ARGS)))
                .isInstanceOf(QmpProtocolException.class).hasMessageContaining("a reply (return) without an id");
        assertThatThrownBy(() -> session.onMessage(ret(999, NO_ARGS))).isInstanceOf(QmpProtocolException.class)
                .hasMessage("a reply (return) for id 999, which was never sent");
        assertThatThrownBy(() -> session.onMessage(new QmpMessage.Error(Optional.of(TextNode.valueOf("x")), "E", "d")))
                .isInstanceOf(QmpProtocolException.class).hasMessage("a reply (error E) for id \"x\", which was never sent");
        assertThatThrownBy(() -> session.onMessage(GREETING)).isInstanceOf(QmpProtocolException.class)
                .hasMessageContaining("a second greeting");
    }

    @Test
    void eventsReachTheListenerInOrderAndAFailingListenerIsSurvived() throws Exception {
        List<String> seen = new ArrayList<>();
        QmpSession s = new QmpSession(cmd -> { }, e -> {
            seen.add(e.name());
            if (e.name().equals("BAD")) {
                throw new IllegalStateException("listener bug");
            }
        });
        assertThatThrownBy(() -> s.onMessage(event("EARLY"))).isInstanceOf(QmpProtocolException.class)
                .hasMessage("event EARLY arrived before the greeting");
        s.onMessage(GREETING);
        for (String n : List.of("STOP", "BAD", "RESUME", "RESET")) {
            s.onMessage(event(n));
        }
        assertThat(seen).containsExactly("STOP", "BAD", "RESUME", "RESET");
    }

    @Test
    void closingFailsEveryWaitingCallAndRefusesNewOnes() throws Exception {
        negotiate();
        QmpSession.Call a = session.submit("a", NO_ARGS);
        QmpSession.Call b = session.submit("b", NO_ARGS);
        QmpClosedException why = new QmpClosedException("QEMU went away");
        assertThat(session.close(why)).isTrue();
        assertThat(session.close(new QmpClosedException("again"))).as("only the first close counts").isFalse();
        for (QmpSession.Call c : List.of(a, b)) {
            assertThatThrownBy(() -> c.reply().get()).cause().isSameAs(why);
        }
        assertThat(session.state()).isEqualTo(new QmpState.Closed(why));
        assertThatThrownBy(() -> session.submit("c", NO_ARGS)).isInstanceOf(QmpClosedException.class)
                .hasMessage("cannot send c: the QMP connection is closed (QEMU went away)");
        session.onMessage(event("LATE"));
        assertThat(events).isEmpty();
    }

    @Test
    void aProtocolErrorAsCloseCauseReachesWaitersAsAClosedConnection() throws Exception {
        session.close(new QmpProtocolException("garbage"));
        assertThatThrownBy(() -> session.greeting().get()).cause().isInstanceOf(QmpClosedException.class)
                .hasMessage("QMP connection closed: garbage").hasCauseInstanceOf(QmpProtocolException.class);
    }

    @Test
    void aFailedSendClosesTheSession() throws Exception {
        QmpSession broken = new QmpSession(cmd -> {
            throw new IOException("Broken pipe");
        }, e -> { });
        broken.onMessage(GREETING);
        QmpSession.Call caps = broken.submit(QmpSession.CAPABILITIES, NO_ARGS);
        assertThatThrownBy(() -> caps.reply().get()).cause().isInstanceOf(QmpClosedException.class)
                .hasMessage("sending qmp_capabilities failed: Broken pipe");
        assertThat(broken.state()).isInstanceOf(QmpState.Closed.class);
    }
}
