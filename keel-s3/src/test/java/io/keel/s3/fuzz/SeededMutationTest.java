package io.keel.s3.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.s3.SdkSigner;
import io.keel.s3.auth.Authentication;
import io.keel.s3.auth.SigV4Clocks;
import io.keel.s3.auth.SigV4Request;
import io.keel.s3.error.S3Exception;
import io.keel.s3.payload.Payloads;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;

/**
 * Mutation fuzzing with a seeded generator, run on every build: SDK-signed aws-chunked bodies with
 * random bytes flipped, inserted, deleted or cut. Every mutation must be rejected with an S3 error
 * (never accepted, never another exception), because every byte of a signed body is covered.
 */
class SeededMutationTest {
    @Test
    void mutatedSignedChunkedBodiesAreAlwaysRejectedCleanly() throws Exception {
        byte[] data = new byte[20_000];
        new Random(3).nextBytes(data);
        SdkSigner.Signed s = SdkSigner.sign("PUT", "http://b.s3.example.com/k", Map.of(), data,
                SdkSigner.Options.header(SigV4Clocks.NOW).chunked(DefaultChecksumAlgorithm.CRC32));
        SigV4Request r = s.request();
        Authentication auth = SigV4Clocks.verifier().verify(r);
        assertThat(read(auth, r, s.body())).isEqualTo(data);
        Random rnd = new Random(20261203);
        for (int i = 0; i < 2000; i++) {
            byte[] m = mutate(s.body(), rnd);
            if (java.util.Arrays.equals(m, s.body())) {
                continue;
            }
            try {
                read(auth, r, m);
                throw new AssertionError("mutation " + i + " accepted");
            } catch (S3Exception expected) {
                // Rejected as the client's error.
            }
        }
    }

    static byte[] read(Authentication auth, SigV4Request r, byte[] body) throws Exception {
        try (InputStream in = Payloads.open(auth, r, new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        }
    }

    static byte[] mutate(byte[] in, Random rnd) {
        byte[] b = in.clone();
        int at = rnd.nextInt(b.length);
        return switch (rnd.nextInt(4)) {
            case 0 -> {
                b[at] ^= (byte) (1 << rnd.nextInt(8));
                yield b;
            }
            case 1 -> java.util.Arrays.copyOf(b, at);
            case 2 -> {
                byte[] out = new byte[b.length + 1];
                System.arraycopy(b, 0, out, 0, at);
                out[at] = (byte) "\r\n;0a=:x".charAt(rnd.nextInt(8));
                System.arraycopy(b, at, out, at + 1, b.length - at);
                yield out;
            }
            default -> {
                byte[] out = new byte[b.length - 1];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(b, at + 1, out, at, b.length - at - 1);
                yield out;
            }
        };
    }
}
