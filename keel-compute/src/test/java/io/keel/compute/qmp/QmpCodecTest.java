package io.keel.compute.qmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class QmpCodecTest {
    // Captured from Debian's QEMU 7.2, CRLF and all.
    static final String QEMU_GREETING = "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, "
            + "\"package\": \"Debian 1:7.2+dfsg-7+deb12u18+b3\"}, \"capabilities\": [\"oob\"]}}\r";

    private final QmpCodec codec = new QmpCodec();

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private QmpMessage decode(String line) throws QmpProtocolException {
        return codec.decode(utf8(line));
    }

    private QmpMessage roundTrip(QmpMessage m) throws QmpProtocolException {
        byte[] line = codec.encode(m);
        assertThat(line[line.length - 1]).isEqualTo((byte) '\n');
        return codec.decode(Arrays.copyOf(line, line.length - 1));
    }

    @Test
    void decodesQemusGreeting() throws Exception {
        QmpMessage m = decode(QEMU_GREETING);
        assertThat(m).isInstanceOfSatisfying(QmpMessage.Greeting.class, g -> {
            assertThat(g.qemuVersion()).isEqualTo("7.2.22");
            assertThat(g.capabilities()).containsExactly("oob");
            assertThat(g.version().path("package").asText()).startsWith("Debian");
        });
        assertThat(roundTrip(m)).isEqualTo(m);
    }

    @Test
    void decodesReturnErrorAndEvents() throws Exception {
        QmpMessage ret = decode("{\"return\": {\"status\": \"prelaunch\", \"singlestep\": false, \"running\": false}, \"id\": 1}\r");
        assertThat(ret).isInstanceOfSatisfying(QmpMessage.Return.class, r -> {
            assertThat(r.id()).contains(IntNode.valueOf(1));
            assertThat(r.value().get("status").asText()).isEqualTo("prelaunch");
        });
        QmpMessage err = decode("{\"id\": \"x\", \"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command nope has not been found\"}}");
        assertThat(err).isEqualTo(new QmpMessage.Error(Optional.of(TextNode.valueOf("x")), "CommandNotFound",
                "The command nope has not been found"));
        QmpMessage reset = decode("{\"timestamp\": {\"seconds\": 1796225429, \"microseconds\": 929101}, \"event\": \"RESET\", "
                + "\"data\": {\"guest\": false, \"reason\": \"host-qmp-system-reset\"}}");
        assertThat(reset).isInstanceOfSatisfying(QmpEvent.class, e -> {
            assertThat(e.name()).isEqualTo("RESET");
            assertThat(e.data().get("reason").asText()).isEqualTo("host-qmp-system-reset");
            assertThat(e.timestamp().instant()).contains(Instant.ofEpochSecond(1796225429, 929101000L));
        });
        QmpMessage stop = decode("{\"timestamp\": {\"seconds\": -1, \"microseconds\": -1}, \"event\": \"STOP\"}");
        assertThat(stop).isInstanceOfSatisfying(QmpEvent.class, e -> {
            assertThat(e.data().isEmpty()).as("absent data reads as empty").isTrue();
            assertThat(e.timestamp().instant()).as("QEMU's 'no clock' timestamp").isEmpty();
        });
        for (QmpMessage m : new QmpMessage[] {ret, err, reset, stop}) {
            assertThat(roundTrip(m)).isEqualTo(m);
        }
    }

    @Test
    void returnWithoutIdAndNonObjectValuesDecode() throws Exception {
        assertThat(decode("{\"return\": [1, \"two\", null]}")).isInstanceOfSatisfying(QmpMessage.Return.class, r -> {
            assertThat(r.id()).isEmpty();
            assertThat(r.value().isArray()).isTrue();
        });
        // Decimals keep their exact digits through a round trip.
        QmpMessage m = decode("{\"return\": {\"x\": 1.50, \"y\": 1e400}, \"id\": 7}");
        assertThat(new String(codec.encode(m), StandardCharsets.UTF_8)).contains("1.50");
        assertThat(roundTrip(m)).isEqualTo(m);
    }

    @Test
    void unknownMembersAreIgnored() throws Exception {
        assertThat(decode("{\"return\": {}, \"id\": 3, \"future\": true}")).isInstanceOf(QmpMessage.Return.class);
    }

    @Test
    void encodesCommandsWithIdsAndOnlyNonEmptyArguments() throws Exception {
        assertThat(new String(codec.encode(new QmpCommand("query-status", 1)), StandardCharsets.UTF_8))
                .isEqualTo("{\"execute\":\"query-status\",\"id\":1}\n");
        var args = codec.objectNode().put("device", "disk0");
        assertThat(new String(codec.encode(new QmpCommand("block_resize", args, 42)), StandardCharsets.UTF_8))
                .isEqualTo("{\"execute\":\"block_resize\",\"arguments\":{\"device\":\"disk0\"},\"id\":42}\n");
    }

    @Test
    void commandNamesAreChecked() {
        assertThatThrownBy(() -> new QmpCommand("query status", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a QMP command name");
        assertThatThrownBy(() -> new QmpCommand("", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new QmpCommand("x\"}", 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void messagesCannotBeChangedThroughTheirTrees() throws Exception {
        QmpMessage.Return r = (QmpMessage.Return) decode("{\"return\": {\"a\": 1}, \"id\": 1}");
        ((com.fasterxml.jackson.databind.node.ObjectNode) r.value()).put("a", 2);
        assertThat(r.value().get("a").asInt()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            not json                | not json                                        | not valid JSON
            truncated               | {"return": {                                    | not valid JSON
            trailing garbage        | {"return": {}} x                                | not valid JSON
            two objects             | {"return": {}}{"return": {}}                    | not valid JSON
            duplicate key           | {"return": {}, "id": 1, "id": 2}                | not valid JSON
            NaN                     | {"return": NaN}                                 | not valid JSON
            single quotes           | {'return': {}}                                  | not valid JSON
            empty                   | ``                                              | empty line
            blank                   | `   `                                           | empty line
            array                   | [1, 2]                                          | must be a JSON object, got an array
            string                  | "QMP"                                           | must be a JSON object, got a string
            no kind                 | {}                                              | unknown QMP message kind
            unknown kind            | {"execute": "cont"}                             | unknown QMP message kind: none of [QMP, return, error, event] among its keys [execute]
            ambiguous               | {"return": {}, "error": {"class": "a", "desc": "b"}} | ambiguous QMP message: it has both return and error
            error not object        | {"error": "boom"}                               | error member must be an object, got a string
            error without class     | {"error": {"desc": "boom"}, "id": 1}            | error without a class string
            error class not string  | {"error": {"class": 3, "desc": "boom"}}         | error without a class string, got a number
            error without desc      | {"error": {"class": "GenericError"}}            | error without a desc string
            event name not string   | {"event": 1, "timestamp": {"seconds": 1, "microseconds": 2}} | event name must be a non-empty string
            event name empty        | {"event": "", "timestamp": {"seconds": 1, "microseconds": 2}} | event name must be a non-empty string
            event without timestamp | {"event": "STOP"}                               | event STOP without a timestamp object
            event data not object   | {"event": "STOP", "data": [], "timestamp": {"seconds": 1, "microseconds": 2}} | has data that is not an object
            timestamp fraction      | {"event": "STOP", "timestamp": {"seconds": 1.5, "microseconds": 2}} | seconds must be a 64-bit integer
            timestamp huge          | {"event": "STOP", "timestamp": {"seconds": 1, "microseconds": 99999999999999999999}} | microseconds must be a 64-bit integer
            greeting not object     | {"QMP": 1}                                      | greeting's QMP member must be an object
            greeting no version     | {"QMP": {"capabilities": []}}                   | greeting without a version object
            greeting no caps        | {"QMP": {"version": {}}}                        | greeting without a capabilities array
            greeting bad cap        | {"QMP": {"version": {}, "capabilities": [1]}}   | greeting capability is not a string
            """)
    void malformedLinesAreRejectedWithTheReason(String name, String line, String reason) {
        assertThatThrownBy(() -> decode(line == null ? "" : line)).as(name).isInstanceOf(QmpProtocolException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void invalidUtf8IsRejected() {
        byte[] line = utf8("{\"return\": \"xx\"}");
        line[13] = (byte) 0xC3;
        line[14] = (byte) 0x28;
        assertThatThrownBy(() -> codec.decode(line)).isInstanceOf(QmpProtocolException.class).hasMessageContaining("not valid JSON");
    }

    @Test
    void overlongLinesAndDeepNestingAreRejected() {
        QmpCodec small = new QmpCodec(64);
        assertThatThrownBy(() -> small.decode(new byte[65])).isInstanceOf(QmpProtocolException.class)
                .hasMessageContaining("line of 65 bytes exceeds the limit of 64");
        String deep = "{\"return\": " + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertThatThrownBy(() -> decode(deep)).isInstanceOf(QmpProtocolException.class)
                .hasMessageContaining("not valid JSON").hasMessageContaining("nesting depth");
    }

    @Test
    void errorMessagesShowAnExcerptWithoutControlCharacters() {
        assertThatThrownBy(() -> decode("garbage\u0001" + "x".repeat(200))).isInstanceOf(QmpProtocolException.class)
                .hasMessageContaining("'garbage\\x1xxx").hasMessageContaining("...'");
    }
}
