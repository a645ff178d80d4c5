package io.keel.storage.cs;

import static io.keel.storage.cs.ChunkServerTest.pattern;
import static io.keel.storage.cs.ChunkServerTest.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.storage.chunk.ChunkId;
import io.keel.storage.chunk.ChunkIOException;
import io.keel.storage.chunk.ChunkNotFoundException;
import io.keel.storage.chunk.StaleEpochException;
import io.keel.storage.chunk.VersionMismatchException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The future-returning writes and trims: many in flight from one thread, answered in batches by
 * the server's reader, errors delivered as the store's exception types, and a silent server
 * failing them through the connection watchdog.
 */
class ChunkClientAsyncTest extends ServerFixture {
    static final ChunkId A = new ChunkId("async-vol", 0);

    @Test
    void manyWritesInFlightFromOneThreadAllLand() throws Exception {
        client.create(A, 1);
        int block = 4096;
        int count = CHUNK / block;
        byte[] all = pattern(CHUNK, 7);
        List<CompletableFuture<Void>> started = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ByteBuffer data = ByteBuffer.wrap(all, i * block, block);
            started.add(client.writeAsync(A, (long) i * block, data, 1, 3, false));
            assertThat(data.position()).as("the caller's buffer is not moved").isEqualTo(i * block);
        }
        CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        assertThat(read(client, A, 0, CHUNK)).isEqualTo(all);
        assertThat(store.stat(A).orElseThrow().epoch()).isEqualTo(3);
    }

    @Test
    void aBurstMixingInlineAndThreadedRequestsIsAnsweredInFull() throws Exception {
        client.create(A, 1);
        List<CompletableFuture<Void>> started = new ArrayList<>();
        byte[] big = pattern(256 << 10, 3); // above the inline limit: served on a thread of its own
        started.add(client.writeAsync(A, 0, ByteBuffer.wrap(big), 1, 1, false));
        for (int i = 0; i < 64; i++) {
            started.add(client.writeAsync(A, (512 << 10) + i * 4096L, ByteBuffer.wrap(pattern(4096, i)), 1, 1, i % 16 == 0));
        }
        CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        // Requests in flight together may be served in any order, so the trim of the big write's
        // first block goes once that write was answered.
        client.trimAsync(A, 0, 4096, 1, 1).get(30, TimeUnit.SECONDS);
        byte[] expected = big.clone();
        java.util.Arrays.fill(expected, 0, 4096, (byte) 0);
        assertThat(read(client, A, 0, big.length)).isEqualTo(expected);
        assertThat(read(client, A, (512 << 10) + 63 * 4096L, 4096)).isEqualTo(pattern(4096, 63));
    }

    @Test
    void errorsCompleteTheFutureWithTheStoreExceptionType() {
        client.create(A, 5);
        client.write(A, 0, ByteBuffer.wrap(pattern(10, 1)), 5, 9, false);
        assertThat(failure(client.writeAsync(A, 0, ByteBuffer.wrap(pattern(10, 2)), 5, 8, false)))
                .isInstanceOf(StaleEpochException.class);
        assertThat(failure(client.writeAsync(A, 0, ByteBuffer.wrap(pattern(10, 2)), 4, 9, false)))
                .isInstanceOf(VersionMismatchException.class);
        assertThat(failure(client.trimAsync(new ChunkId("async-vol", 9), 0, 4096, 1, 9)))
                .isInstanceOf(ChunkNotFoundException.class);
        // Errors answer the request only; the connection stays usable.
        assertThat(client.isClosed()).isFalse();
        assertThat(read(client, A, 0, 10)).isEqualTo(pattern(10, 1));
    }

    @Test
    void aWriteToAClosedClientFailsAtOnce() {
        client.close();
        assertThat(failure(client.writeAsync(A, 0, ByteBuffer.wrap(new byte[1]), 1, 1, false)))
                .isInstanceOf(ChunkIOException.class);
    }

    @Test
    void aServerThatStopsAnsweringFailsPendingWritesThroughTheWatchdog() throws IOException {
        try (ServerSocketChannel silent = ServerSocketChannel.open()) {
            silent.bind(new InetSocketAddress("127.0.0.1", 0));
            var options = new ChunkClientOptions(Duration.ofSeconds(5), Duration.ofMillis(400));
            CompletableFuture<ChunkClient> connecting = CompletableFuture.supplyAsync(
                    () -> ChunkClient.connect((InetSocketAddress) silentAddress(silent), options));
            try (SocketChannel peer = silent.accept()) {
                answerHello(peer);
                ChunkClient c = connecting.get(10, TimeUnit.SECONDS);
                long t0 = System.nanoTime();
                CompletableFuture<Void> f = c.writeAsync(A, 0, ByteBuffer.wrap(new byte[4096]), 1, 1, false);
                assertThat(failure(f)).isInstanceOf(ChunkIOException.class).hasMessageContaining("timed out");
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
                assertThat(c.isClosed()).isTrue();
            } catch (ExecutionException | InterruptedException | java.util.concurrent.TimeoutException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static java.net.SocketAddress silentAddress(ServerSocketChannel s) {
        try {
            return s.getLocalAddress();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Reads the client's HELLO and answers it, then says nothing more. */
    private static void answerHello(SocketChannel peer) throws IOException {
        FrameCodec codec = new FrameCodec(CHUNK);
        ByteBuffer frame = new FrameReader(peer, new BufferPool(1 << 20)).next(codec);
        Request.Hello hello = (Request.Hello) codec.decode(frame);
        for (ByteBuffer b : codec.encode(new Reply.HelloReply(hello.requestId(), FrameCodec.PROTOCOL_VERSION, CHUNK, 4096))) {
            while (b.hasRemaining()) {
                peer.write(b);
            }
        }
    }

    private static Throwable failure(CompletableFuture<Void> f) {
        try {
            f.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no answer", e);
        }
        throw new AssertionError("the future completed normally");
    }

    @Test
    void theCallersBufferIsNotReadAfterTheFutureCompletes() throws Exception {
        client.create(A, 1);
        ByteBuffer data = ByteBuffer.allocateDirect(4096).put(pattern(4096, 11)).flip();
        client.writeAsync(A, 0, data, 1, 1, false).get(10, TimeUnit.SECONDS);
        data.put(0, new byte[4096]); // reused by the caller: what landed must not change
        assertThat(read(client, A, 0, 4096)).isEqualTo(pattern(4096, 11));
        assertThatThrownBy(() -> client.writeAsync(A, 0, ByteBuffer.wrap(new byte[CHUNK + 1]), 1, 1, false))
                .as("a range beyond the chunk is refused before anything is sent")
                .isInstanceOf(io.keel.storage.chunk.InvalidRequestException.class);
    }
}
