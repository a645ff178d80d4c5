package io.keel.storage.cs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.storage.chunk.ChecksumMismatchException;
import io.keel.storage.chunk.ChunkExistsException;
import io.keel.storage.chunk.ChunkIOException;
import io.keel.storage.chunk.ChunkId;
import io.keel.storage.chunk.ChunkInfo;
import io.keel.storage.chunk.ChunkNotFoundException;
import io.keel.storage.chunk.ChunkStore;
import io.keel.storage.chunk.DiskFullException;
import io.keel.storage.chunk.Extent;
import io.keel.storage.chunk.InvalidRequestException;
import io.keel.storage.chunk.StaleEpochException;
import io.keel.storage.chunk.VersionMismatchException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkServerTest extends ServerFixture {
    static final ChunkId A = new ChunkId("net-vol", 0);
    static final ChunkId B = new ChunkId("net-vol", 1);

    static byte[] pattern(int len, int seed) {
        byte[] b = new byte[len];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] read(ChunkClient c, ChunkId id, long off, int len) {
        ByteBuffer dst = ByteBuffer.allocate(len);
        c.read(id, off, dst);
        assertThat(dst.hasRemaining()).isFalse();
        return dst.array();
    }

    @Test
    void everyOperationRoundTrips() {
        assertThat(server.address().getPort()).isPositive();
        assertThat(client.chunkSize()).isEqualTo(CHUNK);
        client.create(A, 2);
        client.create(B, 1);
        assertThat(client.stat(A)).contains(new ChunkInfo(A, 2, 0, 0));
        assertThat(client.stat(new ChunkId("nope", 0))).isEmpty();

        ByteBuffer src = ByteBuffer.wrap(pattern(100_000, 1));
        client.write(A, 5000, src, 2, 3, true);
        assertThat(src.hasRemaining()).isFalse();
        assertThat(read(client, A, 5000, 100_000)).isEqualTo(pattern(100_000, 1));
        assertThat(read(client, A, 0, 5000)).containsOnly(0);
        ByteBuffer direct = ByteBuffer.allocateDirect(10);
        client.read(A, 5000, direct);
        assertThat(direct.position()).isEqualTo(10);

        client.write(B, 0, ByteBuffer.wrap(pattern(10, 2)), 1, 1, false);
        client.flush();
        client.setVersion(B, 5);
        assertThat(client.list()).containsExactly(
                new ChunkInfo(A, 2, 3, 25 * 4096), new ChunkInfo(B, 5, 1, 4096));
        assertThat(client.scrub(A)).isEmpty();
        assertThat(client.usedBytes()).isEqualTo(store.usedBytes());
        assertThat(client.freeBytes()).isPositive();
        client.delete(B);
        assertThat(client.stat(B)).isEmpty();
        assertThat(store.stat(A)).isEqualTo(client.stat(A));
    }

    /** The reply codec grows with the handshake: a fresh connection's first reply may be large. */
    @Test
    void theFirstRequestOnAFreshConnectionMayHaveALargeReply() {
        client.create(A, 1);
        client.write(A, 0, ByteBuffer.wrap(pattern(CHUNK, 6)), 1, 1, false);
        for (int block = 1; block < CHUNK / 4096; block += 2) {
            client.trim(A, (long) block * 4096, 4096, 1, 1);
        }
        for (int i = 0; i < 20; i++) {
            try (ChunkClient fresh = ChunkClient.connect(server.address())) {
                assertThat(fresh.extents(A)).hasSize(CHUNK / 4096 / 2);
            }
            try (ChunkClient fresh = ChunkClient.connect(server.address())) {
                assertThat(read(fresh, A, 0, CHUNK)).hasSize(CHUNK);
            }
        }
    }

    /** A new writer fences with a write of no bytes; its frame has an empty last buffer. */
    @Test
    void anEmptyWriteRaisesTheFenceOverTheNetwork() {
        client.create(A, 1);
        client.write(A, 0, ByteBuffer.allocate(0), 1, 7, false);
        assertThat(client.stat(A).orElseThrow().epoch()).isEqualTo(7);
        assertThatThrownBy(() -> client.write(A, 0, ByteBuffer.allocate(1), 1, 6, false))
                .isInstanceOf(StaleEpochException.class);
    }

    @Test
    void trimAndExtentsTravelWithTheirErrors() {
        client.create(A, 1);
        client.write(A, 0, ByteBuffer.wrap(pattern(10 * 4096, 4)), 1, 1, false);
        client.trim(A, 4096, 3 * 4096 + 10, 1, 2);
        assertThat(client.extents(A)).containsExactly(new Extent(0, 4096), new Extent(4 * 4096, 6 * 4096));
        assertThat(client.extents(A)).isEqualTo(store.extents(A));
        assertThat(read(client, A, 4096, 3 * 4096 + 10)).containsOnly(0);
        assertThat(read(client, A, 4 * 4096 + 10, 100))
                .isEqualTo(java.util.Arrays.copyOfRange(pattern(10 * 4096, 4), 4 * 4096 + 10, 4 * 4096 + 110));
        assertThat(client.stat(A).orElseThrow().epoch()).isEqualTo(2);
        assertThatThrownBy(() -> client.trim(A, 0, 4096, 1, 1)).isInstanceOf(StaleEpochException.class);
        assertThatThrownBy(() -> client.trim(A, 0, 4096, 3, 2)).isInstanceOf(VersionMismatchException.class);
        assertThatThrownBy(() -> client.trim(A, 0, CHUNK + 1L, 1, 2)).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> client.extents(B)).isInstanceOf(ChunkNotFoundException.class);
        assertThat(client.isClosed()).isFalse();
        assertThat(store.stats().trims()).isEqualTo(1);
    }

    @Test
    void errorsArriveAsTheSameExceptionTypes() throws IOException {
        client.create(A, 1);
        assertThatThrownBy(() -> client.create(A, 1)).isInstanceOf(ChunkExistsException.class).hasMessageContaining("net-vol/0");
        assertThatThrownBy(() -> client.delete(B)).isInstanceOfSatisfying(ChunkNotFoundException.class,
                e -> assertThat(e.chunk()).isEqualTo(B));
        client.write(A, 0, ByteBuffer.wrap(pattern(8192, 3)), 1, 5, false);
        assertThatThrownBy(() -> client.write(A, 0, ByteBuffer.allocate(1), 1, 4, false))
                .isInstanceOfSatisfying(StaleEpochException.class, e -> {
                    assertThat(e.chunkEpoch()).isEqualTo(5);
                    assertThat(e.requestEpoch()).isEqualTo(4);
                });
        assertThatThrownBy(() -> client.write(A, 0, ByteBuffer.allocate(1), 7, 5, false))
                .isInstanceOfSatisfying(VersionMismatchException.class, e -> assertThat(e.chunkVersion()).isEqualTo(1));
        assertThatThrownBy(() -> client.write(A, CHUNK - 1, ByteBuffer.allocate(2), 1, 5, false))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("outside the chunk");
        assertThatThrownBy(() -> client.write(A, 0, ByteBuffer.allocate(CHUNK + 1), 1, 5, false))
                .isInstanceOf(InvalidRequestException.class); // refused locally, connection kept

        Path data = root.resolve("chunks").resolve(A.fileName() + ".data");
        try (FileChannel ch = FileChannel.open(data, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {0x55}), 4096 + 9);
        }
        assertThatThrownBy(() -> read(client, A, 0, 8192))
                .isInstanceOfSatisfying(ChecksumMismatchException.class, e -> assertThat(e.block()).isEqualTo(1))
                .hasStackTraceContaining("ChunkServerTest"); // rethrown on the caller's thread
        assertThat(client.scrub(A)).containsExactly(1);
        assertThat(client.isClosed()).isFalse();
        assertThat(read(client, A, 0, 4096)).isEqualTo(java.util.Arrays.copyOf(pattern(8192, 3), 4096));
    }

    @Test
    void diskFullAndClosedStoreTravelToo(@TempDir Path otherRoot) {
        ChunkStore full = ChunkStore.open(otherRoot, OPTIONS.withReservedBytes(Long.MAX_VALUE / 2));
        try (ChunkServer s = ChunkServer.start(full, "127.0.0.1", 0);
                ChunkClient c = ChunkClient.connect(s.address())) {
            assertThatThrownBy(() -> c.create(A, 1)).isInstanceOfSatisfying(DiskFullException.class,
                    e -> assertThat(e.disk()).isEqualTo(full.root().toString()));
            full.close();
            assertThatThrownBy(c::list).isInstanceOf(ChunkIOException.class).hasMessageContaining("closed");
        } finally {
            full.close();
        }
    }

    /** Sends raw bytes on a new connection and waits until the server closes it. */
    private void sendAndExpectClose(byte[] bytes, boolean finishSending) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(server.address(), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(bytes);
            s.getOutputStream().flush();
            if (finishSending) {
                s.shutdownOutput();
            }
            InputStream in = s.getInputStream();
            int got;
            try {
                got = in.read();
            } catch (java.net.SocketException reset) {
                // Closing a socket with unread input sends a reset; that is a close too. A timeout is not.
                assertThat(reset).hasMessageContaining("reset");
                return;
            }
            assertThat(got).as("server closes the connection without replying").isEqualTo(-1);
        }
    }

    @Test
    void malformedFramesCloseOnlyThatConnection() throws IOException {
        client.create(A, 1);
        byte[] garbage = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        sendAndExpectClose(garbage, false);
        sendAndExpectClose(ByteBuffer.allocate(8).putInt(FrameCodec.MAGIC).putInt(CHUNK + 8192).array(), false);
        sendAndExpectClose(ByteBuffer.allocate(8).putInt(FrameCodec.MAGIC).putInt(-1).array(), false);
        sendAndExpectClose(ByteBuffer.allocate(17).putInt(FrameCodec.MAGIC).putInt(9).putLong(1).put((byte) 0x42).array(), false);
        sendAndExpectClose(ByteBuffer.allocate(20).putInt(FrameCodec.MAGIC).putInt(100).putLong(1).array(), true);
        sendAndExpectClose(ByteBuffer.allocate(5).putInt(FrameCodec.MAGIC).array(), true);
        // A reply frame is not a request.
        sendAndExpectClose(FrameCodecTest.bytes(new Reply.Ok(1)).array(), false);

        assertThat(client.stat(A)).isPresent(); // the healthy connection is untouched
        try (ChunkClient fresh = ChunkClient.connect(server.address())) {
            assertThat(fresh.stat(A)).isPresent();
        }
    }

    @Test
    void requestsPipelinedOnOneConnectionAreAnsweredByRequestId() throws IOException {
        client.create(A, 1);
        ByteBuffer three = ByteBuffer.allocate(1024);
        three.put(FrameCodecTest.bytes(new Request.Stat(101, A)))
                .put(FrameCodecTest.bytes(new Request.Stat(102, B)))
                .put(FrameCodecTest.bytes(new Request.Space(103)))
                .flip();
        try (Socket s = new Socket()) {
            s.connect(server.address(), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(three.array(), 0, three.limit());
            s.shutdownOutput(); // the server still answers everything sent before the end
            byte[] all = s.getInputStream().readAllBytes();
            ByteBuffer in = ByteBuffer.wrap(all);
            java.util.Map<Long, Message> replies = new java.util.HashMap<>();
            while (in.hasRemaining()) {
                Message m = FrameCodecTest.CODEC.decode(in);
                replies.put(m.requestId(), m);
            }
            assertThat(replies).containsOnlyKeys(101L, 102L, 103L);
            assertThat(replies.get(101L)).isInstanceOf(Reply.StatReply.class);
            assertThat(((Reply.StatReply) replies.get(102L)).info()).isEmpty();
            assertThat(replies.get(103L)).isInstanceOf(Reply.SpaceReply.class);
        }
    }

    @Test
    void manyConcurrentCallersShareOneClient() throws Exception {
        int threads = 16;
        int opsPerThread = 40;
        int slice = CHUNK / threads;
        client.create(A, 1);
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = new java.util.ArrayList<java.util.concurrent.Future<?>>();
            for (int t = 0; t < threads; t++) {
                int base = t * slice;
                int seed = t;
                futures.add(pool.submit(() -> {
                    Random rnd = new Random(seed);
                    for (int i = 0; i < opsPerThread; i++) {
                        int len = 1 + rnd.nextInt(slice - 1);
                        byte[] data = new byte[len];
                        rnd.nextBytes(data);
                        client.write(A, base, ByteBuffer.wrap(data), 1, 1, i % 8 == 0);
                        assertThat(read(client, A, base, len)).isEqualTo(data);
                        client.stat(A);
                    }
                    return null;
                }));
            }
            for (var f : futures) {
                f.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
        assertThat(client.isClosed()).isFalse();
    }

    @Test
    void closingTheServerFailsClientCalls() {
        server.close();
        assertThatThrownBy(client::list).isInstanceOf(ChunkIOException.class);
        assertThat(client.isClosed()).isTrue();
        assertThatThrownBy(() -> client.stat(A)).isInstanceOf(ChunkIOException.class);
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws IOException {
        try (var silent = java.nio.channels.ServerSocketChannel.open()) {
            silent.bind(new InetSocketAddress("127.0.0.1", 0));
            var options = new ChunkClientOptions(Duration.ofMillis(300), Duration.ofMillis(300));
            assertThatThrownBy(() -> ChunkClient.connect((InetSocketAddress) silent.getLocalAddress(), options))
                    .isInstanceOf(ChunkIOException.class).hasMessageContaining("timed out");
        }
    }
}
