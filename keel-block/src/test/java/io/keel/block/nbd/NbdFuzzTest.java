package io.keel.block.nbd;

import static io.keel.block.nbd.NbdConstants.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing of the parsers and of whole connections. The only acceptable failure is a protocol
 * error; anything else (an unchecked exception, a hang, an allocation sized by a length field) is a
 * bug. Failures name the seed so they can be replayed.
 */
class NbdFuzzTest {
    private static ch.qos.logback.classic.Level saved;

    @BeforeAll
    static void quiet() {
        // Thousands of expected protocol-error lines would bury real output.
        saved = QuietLogs.set(ch.qos.logback.classic.Level.ERROR);
    }

    @AfterAll
    static void restore() {
        QuietLogs.set(saved);
    }

    @Test
    void optionHeadersAndPayloadsOnlyEverFailAsProtocolErrors() {
        Random r = new Random(11);
        for (int i = 0; i < 50_000; i++) {
            ByteBuffer header = ByteBuffer.allocate(OPTION_HEADER_SIZE);
            header.putLong(r.nextBoolean() ? IHAVEOPT : r.nextLong()).putInt(r.nextInt(12)).putInt(r.nextInt());
            try {
                OptionCodec.OptionHeader h = OptionCodec.decodeOptionHeader(header.flip(), 1 << 16);
                assertThat(h.length()).isBetween(0L, 1L << 16);
            } catch (NbdProtocolException expected) {
                // Bad magic or oversized length: the connection would be dropped.
            }
            byte[] payload = new byte[r.nextInt(80)];
            r.nextBytes(payload);
            if (payload.length >= 6 && r.nextBoolean()) {
                // Make the name length plausible so the info-request list gets parsed too.
                ByteBuffer.wrap(payload).putInt(r.nextInt(payload.length - 5));
            }
            int code = r.nextInt(4) == 0 ? r.nextInt() : r.nextInt(12);
            NbdOption option = OptionCodec.decodeOption(code, ByteBuffer.wrap(payload));
            assertThat(option.code()).isEqualTo(code);
            if (!(option instanceof NbdOption.Invalid)) {
                ByteBuffer again = OptionCodec.encodeOption(option);
                again.position(OPTION_HEADER_SIZE);
                assertThat(OptionCodec.decodeOption(code, again)).as("seed 11 iteration %d", i).isEqualTo(option);
            }
        }
    }

    @Test
    void requestAndReplyDecodersOnlyEverFailAsProtocolErrors() {
        Random r = new Random(12);
        for (int i = 0; i < 50_000; i++) {
            byte[] frame = new byte[REQUEST_HEADER_SIZE];
            r.nextBytes(frame);
            if (r.nextBoolean()) {
                ByteBuffer.wrap(frame).putInt(NBD_REQUEST_MAGIC);
            }
            try {
                NbdCommand c = RequestCodec.decodeRequest(ByteBuffer.wrap(frame));
                assertThat(c.length()).isBetween(0L, 0xffffffffL);
                ByteBuffer again = RequestCodec.encodeRequest(c, ByteBuffer.allocate(REQUEST_HEADER_SIZE)).flip();
                assertThat(again.array()).isEqualTo(frame);
            } catch (NbdProtocolException expected) {
                // Bad magic.
            }
            byte[] reply = new byte[r.nextInt(40)];
            r.nextBytes(reply);
            ByteBuffer rb = ByteBuffer.wrap(reply);
            if (reply.length >= 20 && r.nextBoolean()) {
                rb.putLong(0, OPTION_REPLY_MAGIC).putInt(12, r.nextInt(4)).putInt(16, reply.length - 20);
            }
            try {
                OptionCodec.decodeReply(rb);
            } catch (NbdProtocolException expected) {
                // Malformed reply.
            }
        }
    }

    @Test
    void randomSessionsEndCleanlyOrAsProtocolErrorsWithBoundedMemory() {
        Map<NbdConnection.Outcome, Integer> outcomes = new EnumMap<>(NbdConnection.Outcome.class);
        long outputBytes = 0;
        for (int seed = 0; seed < 1500; seed++) {
            byte[] stream = SessionStreams.generate(new Random(seed));
            SessionStreams.Run run = SessionStreams.serve(stream, seed % 5 == 0);
            assertThat(run.outcome()).as("seed %d", seed).isIn(NbdConnection.Outcome.CLIENT_LEFT,
                    NbdConnection.Outcome.PROTOCOL_ERROR, NbdConnection.Outcome.CONNECTION_LOST);
            // Buffers are power-of-two rounded, so at most twice the in-flight budget.
            assertThat(run.peakBufferBytes()).as("seed %d", seed)
                    .isLessThanOrEqualTo(2L * SessionStreams.OPTIONS.maxInflightBytes());
            outcomes.merge(run.outcome(), 1, Integer::sum);
            outputBytes += run.outputBytes();
        }
        // The generator must actually reach both ends: clean sessions and violations.
        assertThat(outcomes.getOrDefault(NbdConnection.Outcome.CLIENT_LEFT, 0)).isGreaterThan(100);
        assertThat(outcomes.getOrDefault(NbdConnection.Outcome.PROTOCOL_ERROR, 0)).isGreaterThan(100);
        assertThat(outputBytes).isPositive();
    }

    @Test
    void pureNoiseNeverGetsPastTheHandshake() {
        Random r = new Random(13);
        for (int i = 0; i < 300; i++) {
            byte[] noise = new byte[r.nextInt(4096)];
            r.nextBytes(noise);
            SessionStreams.Run run = SessionStreams.serve(noise, false);
            assertThat(run.outcome()).isIn(NbdConnection.Outcome.CLIENT_LEFT, NbdConnection.Outcome.PROTOCOL_ERROR);
            assertThat(run.peakBufferBytes()).isZero();
        }
    }
}
