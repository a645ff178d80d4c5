package io.keel.iscsi.pdu;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.iscsi.login.TextKeys;
import io.keel.iscsi.session.FullFeaturePhase;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutation fuzzing that runs in every build: valid frames with random bytes flipped, cut
 * or appended must only ever fail as protocol errors. Failures name the seed and iteration.
 */
class SeededFuzzTest {

    @Test
    void mutatedFramesOnlyFailAsProtocolErrors() throws IOException {
        List<Pdu> samples = PduCodecTest.samples();
        Random r = new Random(20261203);
        for (int i = 0; i < 30_000; i++) {
            boolean digests = r.nextBoolean();
            byte[] f = FrameWriter.encode(samples.get(r.nextInt(samples.size())), digests, digests);
            int flips = 1 + r.nextInt(4);
            for (int k = 0; k < flips; k++) {
                f[r.nextInt(f.length)] ^= (byte) (1 << r.nextInt(8));
            }
            if (r.nextInt(8) == 0) {
                f = java.util.Arrays.copyOf(f, r.nextInt(f.length + 64));
            }
            FrameReader reader = new FrameReader(new ByteArrayInputStream(f));
            reader.configure(digests, digests, 8192);
            try {
                for (Pdu p = reader.read(); p != null; p = reader.read()) {
                    assertThat(p).as("iteration %d", i).isNotNull();
                }
            } catch (PduException | EOFException expected) {
                // Dropped connection.
            }
        }
    }

    @Test
    void randomTextOnlyFailsAsTextErrors() {
        Random r = new Random(7);
        byte[] alphabet = "AZaz09=.-:\0,".getBytes();
        for (int i = 0; i < 50_000; i++) {
            byte[] t = new byte[r.nextInt(80)];
            for (int k = 0; k < t.length; k++) {
                t[k] = r.nextInt(4) == 0 ? (byte) r.nextInt(256) : alphabet[r.nextInt(alphabet.length)];
            }
            try {
                TextKeys.parse(t);
            } catch (TextKeys.TextException expected) {
                // Login or text request refused.
            }
        }
    }

    @Test
    void randomPduSequencesNeverBreakASession() throws IOException {
        List<Pdu> samples = PduCodecTest.samples();
        Random r = new Random(99);
        for (int i = 0; i < 3_000; i++) {
            FullFeaturePhase ffp = PduJazzerFuzzTest.newSession();
            try {
                for (int k = 0; k < 8; k++) {
                    byte[] f = FrameWriter.encode(samples.get(r.nextInt(samples.size())), false, false);
                    f[r.nextInt(48)] ^= (byte) (1 << r.nextInt(8));
                    Pdu p = new FrameReader(new ByteArrayInputStream(f)).read();
                    if (p == null || ffp.handle(p) == FullFeaturePhase.Next.CLOSE) {
                        break;
                    }
                }
            } catch (PduException | EOFException | FullFeaturePhase.ProtocolViolation expected) {
                // Dropped connection.
            }
        }
    }
}
