package io.keel.block.nbd;

import static io.keel.block.nbd.NbdConstants.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzz targets. Under plain {@code mvn test} each runs once per stored input in
 * {@code NbdJazzerFuzzTestInputs/<method>/} (regression mode); {@code JAZZER_FUZZ=1 mvn test
 * -Dtest=NbdJazzerFuzzTest} fuzzes for real and stores crashing inputs there.
 */
class NbdJazzerFuzzTest {
    private static ch.qos.logback.classic.Level saved;

    @BeforeAll
    static void quiet() {
        saved = QuietLogs.set(ch.qos.logback.classic.Level.ERROR);
    }

    @AfterAll
    static void restore() {
        QuietLogs.set(saved);
    }

    @FuzzTest(maxDuration = "60s")
    void requestDecoder(byte[] input) {
        ByteBuffer frame = ByteBuffer.wrap(Arrays.copyOf(input, REQUEST_HEADER_SIZE));
        try {
            NbdCommand c = RequestCodec.decodeRequest(frame);
            ByteBuffer again = RequestCodec.encodeRequest(c, ByteBuffer.allocate(REQUEST_HEADER_SIZE));
            assertThat(again.array()).isEqualTo(frame.array());
        } catch (NbdProtocolException expected) {
            // Bad magic.
        }
    }

    @FuzzTest(maxDuration = "60s")
    void optionDecoder(FuzzedDataProvider data) {
        ByteBuffer header = ByteBuffer.wrap(Arrays.copyOf(data.consumeBytes(OPTION_HEADER_SIZE), OPTION_HEADER_SIZE));
        try {
            OptionCodec.OptionHeader h = OptionCodec.decodeOptionHeader(header, 1 << 16);
            assertThat(h.length()).isBetween(0L, 1L << 16);
        } catch (NbdProtocolException expected) {
            // Bad magic or oversized length.
        }
        int code = data.consumeInt(0, 12);
        NbdOption option = OptionCodec.decodeOption(code, ByteBuffer.wrap(data.consumeRemainingAsBytes()));
        if (!(option instanceof NbdOption.Invalid)) {
            ByteBuffer again = OptionCodec.encodeOption(option);
            assertThat(OptionCodec.decodeOption(code, again.position(OPTION_HEADER_SIZE))).isEqualTo(option);
        }
    }

    @FuzzTest(maxDuration = "120s")
    void session(byte[] input) {
        SessionStreams.Run run = SessionStreams.serve(input, false);
        assertThat(run.outcome()).isNotEqualTo(NbdConnection.Outcome.INTERNAL_ERROR);
        assertThat(run.peakBufferBytes()).isLessThanOrEqualTo(2L * SessionStreams.OPTIONS.maxInflightBytes());
    }
}
