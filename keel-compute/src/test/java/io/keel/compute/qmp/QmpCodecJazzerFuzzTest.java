package io.keel.compute.qmp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.Arrays;

/**
 * Coverage-guided fuzzing of what a QMP peer can send: the bytes go through the line reader and the
 * codec, as from the socket. Every input must end in messages or a {@link QmpProtocolException};
 * any other exception is a finding. Under plain {@code mvn test} it runs once per stored input in
 * {@code QmpCodecJazzerFuzzTestInputs/decode/} (regression mode); {@code JAZZER_FUZZ=1 mvn test
 * -Dtest=QmpCodecJazzerFuzzTest} fuzzes for real and stores crashing inputs there.
 */
class QmpCodecJazzerFuzzTest {
    // Small limits so the fuzzer reaches the length checks too.
    private static final int MAX_LINE = 4096;
    private static final QmpCodec CODEC = new QmpCodec(MAX_LINE);

    @FuzzTest(maxDuration = "60s")
    void decode(byte[] input) throws IOException {
        QmpLineReader lines = new QmpLineReader(Channels.newChannel(new ByteArrayInputStream(input)), MAX_LINE);
        while (true) {
            byte[] line;
            try {
                line = lines.readLine();
            } catch (QmpProtocolException expected) {
                return;
            }
            if (line == null) {
                return;
            }
            QmpMessage m;
            try {
                m = CODEC.decode(line);
            } catch (QmpProtocolException expected) {
                continue;
            }
            // Whatever decodes must encode to a line that decodes to the same message.
            byte[] again = CODEC.encode(m);
            QmpMessage back;
            try {
                back = CODEC.decode(Arrays.copyOf(again, again.length - 1));
            } catch (QmpProtocolException e) {
                throw new AssertionError("re-encoded " + m + " does not decode: " + e.getMessage(), e);
            }
            assertThat(back).isEqualTo(m);
        }
    }
}
