package io.keel.storage.cs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.keel.storage.chunk.ChunkId;
import io.keel.storage.chunk.ChunkIOException;
import io.keel.storage.chunk.ChunkInfo;
import io.keel.storage.chunk.Extent;
import io.keel.storage.chunk.StaleEpochException;
import io.keel.storage.chunk.TestSeeds;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Feeds the decoder random bytes and mutated valid frames: it may return a message or throw
 * {@link ProtocolException}, nothing else, and must finish promptly. Replay with -Dkeel.test.seed=N.
 */
class FrameDecoderFuzzTest {
    static final int ITERATIONS = 40_000;
    static final FrameCodec CODEC = new FrameCodec(64 << 10);

    @Test
    void decoderOnlyEverThrowsProtocolException() {
        long seed = TestSeeds.seed();
        Random rnd = new Random(seed);
        List<ByteBuffer> valid = validFrames();
        int[] outcomes = new int[2];
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            for (int i = 0; i < ITERATIONS; i++) {
                byte[] input = switch (i % 3) {
                    case 0 -> randomBytes(rnd);
                    case 1 -> mutate(rnd, valid.get(rnd.nextInt(valid.size())));
                    default -> withValidPrefix(rnd);
                };
                try {
                    ByteBuffer b = ByteBuffer.wrap(input);
                    CODEC.decode(b);
                    assertThat(b.position()).isLessThanOrEqualTo(input.length);
                    outcomes[0]++;
                } catch (ProtocolException expected) {
                    outcomes[1]++;
                } catch (Throwable t) {
                    fail("seed=" + seed + " iteration " + i + ": decoder threw " + t + " for "
                            + java.util.HexFormat.of().formatHex(input), t);
                }
            }
        });
        // The mutations must reach past the prefix checks often enough to mean something.
        assertThat(outcomes[0]).as("seed=%d decoded frames", seed).isGreaterThan(ITERATIONS / 50);
    }

    private static byte[] randomBytes(Random rnd) {
        byte[] b = new byte[rnd.nextInt(200)];
        rnd.nextBytes(b);
        return b;
    }

    /** A well-formed prefix with a random opcode and body, so the field decoders get exercised. */
    private static byte[] withValidPrefix(Random rnd) {
        byte[] body = new byte[9 + rnd.nextInt(120)];
        rnd.nextBytes(body);
        if (rnd.nextBoolean()) {
            Opcode[] ops = Opcode.values();
            body[8] = (byte) ops[rnd.nextInt(ops.length)].code();
        }
        int declared = rnd.nextInt(8) == 0 ? rnd.nextInt() : body.length;
        return ByteBuffer.allocate(8 + body.length).putInt(FrameCodec.MAGIC).putInt(declared).put(body).array();
    }

    private static byte[] mutate(Random rnd, ByteBuffer frame) {
        byte[] b = new byte[frame.remaining()];
        frame.duplicate().get(b);
        switch (rnd.nextInt(4)) {
            case 0 -> { // flip some bytes after the prefix
                for (int k = 1 + rnd.nextInt(3); k > 0; k--) {
                    int at = 8 + rnd.nextInt(Math.max(1, b.length - 8));
                    if (at < b.length) {
                        b[at] = (byte) rnd.nextInt(256);
                    }
                }
            }
            case 1 -> b = java.util.Arrays.copyOf(b, rnd.nextInt(b.length + 1)); // truncate
            case 2 -> { // change the declared length
                ByteBuffer.wrap(b).putInt(4, ByteBuffer.wrap(b).getInt(4) + rnd.nextInt(21) - 10);
            }
            default -> { // shrink the frame and its declared length together, cutting fields
                int cut = rnd.nextInt(Math.max(1, b.length - 16));
                b = java.util.Arrays.copyOf(b, b.length - cut);
                ByteBuffer.wrap(b).putInt(4, b.length - 8);
            }
        }
        return b;
    }

    private static List<ByteBuffer> validFrames() {
        ChunkId id = new ChunkId("fuzz-vol", 3);
        ChunkInfo info = new ChunkInfo(id, 1, 2, 4096);
        List<Message> ms = List.of(
                new Request.Hello(1, 1), new Request.Create(2, id, 1), new Request.Delete(3, id),
                new Request.Stat(4, id), new Request.ListChunks(5),
                new Request.Write(6, id, 10, 1, 2, true, ByteBuffer.wrap(new byte[40])),
                new Request.Read(7, id, 0, 4096), new Request.SetVersion(8, id, 2), new Request.Flush(9),
                new Request.Scrub(10, id), new Request.Space(11), new Reply.HelloReply(12, 1, 4096, 4096),
                new Reply.Ok(13), new Reply.StatReply(14, Optional.of(info)), new Reply.ListReply(15, List.of(info, info)),
                new Reply.ReadReply(16, ByteBuffer.wrap(new byte[30])), new Reply.ScrubReply(17, List.of(1, 2)),
                new Reply.SpaceReply(18, 5, 6), new Reply.Failure(19, new StaleEpochException(id, 3, 2)),
                new Reply.Failure(20, new ChunkIOException("broken")),
                new Request.Trim(21, id, 100, 9000, 1, 2), new Request.Extents(22, id),
                new Reply.ExtentsReply(23, List.of(new Extent(0, 4096), new Extent(12288, 8192))));
        return ms.stream().map(FrameCodecTest::bytes).toList();
    }
}
