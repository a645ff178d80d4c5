package io.keel.storage.cs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.storage.chunk.ChecksumMismatchException;
import io.keel.storage.chunk.ChunkException;
import io.keel.storage.chunk.ChunkExistsException;
import io.keel.storage.chunk.ChunkIOException;
import io.keel.storage.chunk.ChunkId;
import io.keel.storage.chunk.ChunkInfo;
import io.keel.storage.chunk.ChunkNotFoundException;
import io.keel.storage.chunk.DiskFullException;
import io.keel.storage.chunk.Extent;
import io.keel.storage.chunk.InvalidRequestException;
import io.keel.storage.chunk.StaleEpochException;
import io.keel.storage.chunk.VersionMismatchException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FrameCodecTest {
    static final int MAX = 1 << 20;
    static final FrameCodec CODEC = new FrameCodec(MAX);
    static final ChunkId ID = new ChunkId("vol-7", 12);
    static final ChunkInfo INFO = new ChunkInfo(ID, 3, 4, 8192);

    /** The frame as one buffer, as a peer would receive it. */
    static ByteBuffer bytes(Message m) {
        ByteBuffer[] parts = CODEC.encode(m);
        int n = 0;
        for (ByteBuffer p : parts) {
            n += p.remaining();
        }
        ByteBuffer all = ByteBuffer.allocate(n);
        for (ByteBuffer p : parts) {
            all.put(p);
        }
        return all.flip();
    }

    static Message roundTrip(Message m) throws ProtocolException {
        ByteBuffer b = bytes(m);
        Message back = CODEC.decode(b);
        assertThat(b.hasRemaining()).isFalse();
        return back;
    }

    @Test
    void everyMessageRoundTrips() throws ProtocolException {
        ByteBuffer payload = ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5});
        List<Message> messages = List.of(
                new Request.Hello(1, FrameCodec.PROTOCOL_VERSION),
                new Request.Create(2, ID, 9),
                new Request.Delete(3, ID),
                new Request.Stat(4, ID),
                new Request.ListChunks(5),
                new Request.Write(6, ID, 4095, 9, 10, true, payload),
                new Request.Write(-7, ID, 0, 0, 0, false, ByteBuffer.allocate(0)),
                new Request.Read(8, ID, 100, MAX),
                new Request.SetVersion(9, ID, 11),
                new Request.Flush(10),
                new Request.Scrub(11, ID),
                new Request.Space(Long.MAX_VALUE),
                new Reply.HelloReply(12, 1, 64 << 20, 4096),
                new Reply.Ok(13),
                new Reply.StatReply(14, Optional.of(INFO)),
                new Reply.StatReply(15, Optional.empty()),
                new Reply.ListReply(16, List.of(INFO, new ChunkInfo(new ChunkId("x".repeat(64), 0), 0, 0, 0))),
                new Reply.ListReply(17, List.of()),
                new Reply.ReadReply(18, payload),
                new Reply.ScrubReply(19, List.of(0, 5, 255)),
                new Reply.SpaceReply(20, 1L << 40, 12345),
                new Request.Trim(21, ID, 4095, 1L << 20, 9, 10),
                new Request.Extents(22, ID),
                new Reply.ExtentsReply(23, List.of(new Extent(0, 4096), new Extent(8192, 1L << 30))),
                new Reply.ExtentsReply(24, List.of()));
        for (Message m : messages) {
            assertThat(roundTrip(m)).as("%s", m).isEqualTo(m);
        }
        assertThat(payload.position()).as("encoding leaves the caller's payload alone").isZero();
    }

    @Test
    void everyErrorKindRoundTripsWithItsFields() throws ProtocolException {
        List<ChunkException> errors = List.of(
                new ChunkNotFoundException(ID),
                new ChunkExistsException(ID),
                new StaleEpochException(ID, 7, 5),
                new VersionMismatchException(ID, 3, 2),
                new ChecksumMismatchException(ID, 17, 0xdeadbeef, 0x12345678),
                new DiskFullException("/srv/disk1", 100, 4096),
                new InvalidRequestException("range is outside the chunk \u00e9\u4e2d"),
                new ChunkIOException("disk on fire"));
        for (ChunkException e : errors) {
            Message back = roundTrip(new Reply.Failure(42, e));
            assertThat(back).isInstanceOfSatisfying(Reply.Failure.class, f -> {
                assertThat(f.requestId()).isEqualTo(42);
                assertThat(f.error()).hasSameClassAs(e).hasMessage(e.getMessage());
                assertThat(ErrorKind.of(f.error())).isEqualTo(ErrorKind.of(e));
            });
        }
        var stale = (StaleEpochException) ((Reply.Failure) roundTrip(new Reply.Failure(1, errors.get(2)))).error();
        assertThat(stale.chunkEpoch()).isEqualTo(7);
        assertThat(stale.requestEpoch()).isEqualTo(5);
        var crc = (ChecksumMismatchException) ((Reply.Failure) roundTrip(new Reply.Failure(1, errors.get(4)))).error();
        assertThat(crc.block()).isEqualTo(17);
        assertThat(crc.expectedCrc()).isEqualTo(0xdeadbeef);
    }

    @Test
    void longMessagesAreCutNotBroken() throws ProtocolException {
        String longText = "\ud83d\ude00".repeat(400); // surrogate pairs straddle the cut
        Message back = roundTrip(new Reply.Failure(1, new ChunkIOException(longText)));
        assertThat(((Reply.Failure) back).error().getMessage()).hasSizeLessThanOrEqualTo(512).startsWith("\ud83d\ude00");
    }

    @Test
    void decodeConsumesOneFrameAtATime() throws ProtocolException {
        ByteBuffer a = bytes(new Request.Flush(1));
        ByteBuffer b = bytes(new Request.Stat(2, ID));
        ByteBuffer both = ByteBuffer.allocate(a.remaining() + b.remaining()).put(a).put(b).flip();
        assertThat(CODEC.decode(both)).isEqualTo(new Request.Flush(1));
        assertThat(CODEC.decode(both)).isEqualTo(new Request.Stat(2, ID));
        assertThat(both.hasRemaining()).isFalse();
    }

    static ByteBuffer frame(int opcode, byte[] fields) {
        return ByteBuffer.allocate(17 + fields.length).putInt(FrameCodec.MAGIC).putInt(9 + fields.length)
                .putLong(1).put((byte) opcode).put(fields).flip();
    }

    static void assertRejected(ByteBuffer b, String messagePart) {
        assertThatThrownBy(() -> CODEC.decode(b)).isInstanceOf(ProtocolException.class).hasMessageContaining(messagePart);
    }

    @Test
    void malformedFramesAreRejected() {
        assertRejected(ByteBuffer.wrap(new byte[] {1, 2, 3}), "truncated");
        assertRejected(ByteBuffer.allocate(20).putInt(0xCAFEBABE).putInt(9).flip(), "bad magic");
        assertRejected(ByteBuffer.allocate(20).putInt(FrameCodec.MAGIC).putInt(-5).flip(), "negative frame length");
        assertRejected(ByteBuffer.allocate(20).putInt(FrameCodec.MAGIC).putInt(3).flip(), "below the minimum");
        assertRejected(ByteBuffer.allocate(20).putInt(FrameCodec.MAGIC).putInt(MAX + 4097).flip(), "exceeds the maximum");
        assertRejected(ByteBuffer.allocate(12).putInt(FrameCodec.MAGIC).putInt(100).putInt(0).flip(), "truncated");
        assertRejected(frame(0x55, new byte[0]), "unknown opcode 0x55");
        assertRejected(frame(Opcode.FLUSH.code(), new byte[] {0}), "trailing");
        assertRejected(frame(Opcode.STAT.code(), new byte[] {3, 'a', 'b'}), "too short");
        assertRejected(frame(Opcode.STAT.code(), new byte[] {0}), "volume id length 0");
        assertRejected(frame(Opcode.STAT.code(), new byte[] {1, '_', 0, 0, 0, 0, 0, 0, 0, 0}), "invalid byte");
        assertRejected(frame(Opcode.STAT.code(), new byte[] {1, 'a', -1, 0, 0, 0, 0, 0, 0, 0}), "negative chunk index");
        byte[] read = ByteBuffer.allocate(22).put(new byte[] {1, 'a'}).putLong(0).putLong(0).putInt(-1).array();
        assertRejected(frame(Opcode.READ.code(), java.util.Arrays.copyOf(read, 22)), "negative read length");
        byte[] bigRead = ByteBuffer.allocate(22).put(new byte[] {1, 'a'}).putLong(0).putLong(0).putInt(MAX + 1).array();
        assertRejected(frame(Opcode.READ.code(), bigRead), "exceeds the maximum");
        assertRejected(frame(Opcode.LIST_REPLY.code(), ByteBuffer.allocate(4).putInt(1000).array()), "does not fit");
        assertRejected(frame(Opcode.SCRUB_REPLY.code(), ByteBuffer.allocate(4).putInt(-1).array()), "negative");
        assertRejected(frame(Opcode.STAT_REPLY.code(), new byte[] {2}), "presence flag");
        assertRejected(frame(Opcode.FAILURE.code(), new byte[] {99}), "unknown error kind");
        assertRejected(frame(Opcode.FAILURE.code(), new byte[] {8, 0, 2, (byte) 0xC3, 0x28}), "UTF-8");
        assertRejected(frame(Opcode.EXTENTS_REPLY.code(), ByteBuffer.allocate(4).putInt(2).array()), "does not fit");
        assertRejected(frame(Opcode.EXTENTS_REPLY.code(), extents(-1, 4096)), "negative extent offset");
        assertRejected(frame(Opcode.EXTENTS_REPLY.code(), extents(0, 0)), "invalid extent length");
        assertRejected(frame(Opcode.EXTENTS_REPLY.code(), extents(1, Long.MAX_VALUE)), "invalid extent length");
        assertRejected(frame(Opcode.EXTENTS_REPLY.code(), extents(8192, 4096, 0, 4096)), "not after");
        assertRejected(frame(Opcode.EXTENTS_REPLY.code(), extents(0, 4096, 4096, 4096)), "not after"); // unmerged
        assertRejected(frame(Opcode.EXTENTS.code(), new byte[] {1, 'a', 0, 0, 0, 0, 0, 0, 0, 0, 5}), "trailing");
        assertRejected(frame(Opcode.TRIM.code(), new byte[] {1, 'a', 0, 0, 0, 0, 0, 0, 0, 0, 5}), "too short");
    }

    private static byte[] extents(long... offsetsAndLengths) {
        ByteBuffer b = ByteBuffer.allocate(4 + 8 * offsetsAndLengths.length).putInt(offsetsAndLengths.length / 2);
        for (long v : offsetsAndLengths) {
            b.putLong(v);
        }
        return b.array();
    }
}
