package io.keel.storage.cs;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;

/**
 * Coverage-guided fuzzing of the frame decoder. Under plain {@code mvn test} it runs once per
 * stored input in {@code FrameCodecJazzerFuzzTestInputs/decode/} (regression mode);
 * {@code JAZZER_FUZZ=1 mvn test -Dtest=FrameCodecJazzerFuzzTest} fuzzes for real and stores
 * crashing inputs there. {@link FrameDecoderFuzzTest} covers the same ground with seeded randomness.
 */
class FrameCodecJazzerFuzzTest {
    private static final FrameCodec CODEC = new FrameCodec(64 << 10);

    @FuzzTest(maxDuration = "60s")
    void decode(byte[] input) {
        ByteBuffer in = ByteBuffer.wrap(input);
        Message m;
        try {
            m = CODEC.decode(in);
        } catch (ProtocolException expected) {
            return;
        }
        // Whatever decodes must encode to a frame that decodes to the same message.
        Message again;
        try {
            again = CODEC.decode(FrameCodecTest.bytes(m));
        } catch (ProtocolException e) {
            throw new AssertionError("re-encoded " + m + " does not decode: " + e.getMessage(), e);
        }
        if (m instanceof Reply.Failure f) {
            // Exceptions have no equals, and long messages are cut on encoding: compare kinds.
            assertThat(again).isInstanceOfSatisfying(Reply.Failure.class,
                    g -> assertThat(ErrorKind.of(g.error())).isEqualTo(ErrorKind.of(f.error())));
        } else {
            assertThat(again).isEqualTo(m);
        }
    }
}
