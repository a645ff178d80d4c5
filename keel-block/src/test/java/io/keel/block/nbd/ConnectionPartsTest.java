package io.keel.block.nbd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The building blocks of a connection: flush ordering, buffer pool, buffered input, reply writer. */
class ConnectionPartsTest {

    @Test
    void flushWaitsForEarlierWritesOnlyNotLaterOnes() throws Exception {
        WriteBarrier barrier = new WriteBarrier();
        long w1 = barrier.register();
        long w2 = barrier.register();
        long through = barrier.lastRegistered();
        long w3 = barrier.register();
        CompletableFuture<Void> flush = CompletableFuture.runAsync(() -> barrier.awaitThrough(through));
        barrier.complete(w2);
        Thread.sleep(50);
        assertThat(flush).isNotDone();
        barrier.complete(w1);
        flush.get(5, TimeUnit.SECONDS);
        // w3 arrived after the flush and is still running: it did not hold the flush back.
        assertThat(w3).isGreaterThan(through);
        barrier.complete(w3);
        barrier.awaitThrough(barrier.lastRegistered());
    }

    @Test
    void poolReusesBuffersBySizeClassAndCapsWhatItKeeps() {
        BufferPool pool = new BufferPool(1 << 20, 64 << 10);
        ByteBuffer a = pool.acquire(5000);
        assertThat(a.capacity()).isEqualTo(8192);
        assertThat(a.limit()).isEqualTo(5000);
        assertThat(a.isDirect()).isTrue();
        pool.release(a);
        assertThat(pool.acquire(8000)).isSameAs(a);
        assertThat(pool.acquire(0).capacity()).isEqualTo(4096);
        ByteBuffer big = pool.acquire(1 << 20);
        pool.release(big);
        assertThat(pool.acquire(1 << 20)).as("over the retention cap, not kept").isNotSameAs(big);
        assertThat(pool.peakOutstandingBytes()).isEqualTo(8192 + 4096 + (1 << 20));
    }

    @Test
    void inputBufferSeparatesFramesPayloadsAndCleanEof() throws Exception {
        byte[] stream = new byte[300];
        for (int i = 0; i < stream.length; i++) {
            stream[i] = (byte) i;
        }
        InputBuffer in = new InputBuffer(Channels.newChannel(new ByteArrayInputStream(stream)), 64);
        assertThat(in.fill(4, true)).isTrue();
        assertThat(in.buffer().getInt()).isEqualTo(0x00010203);
        ByteBuffer payload = ByteBuffer.allocate(100);
        in.readFully(payload);
        assertThat(payload.get(0)).isEqualTo((byte) 4);
        assertThat(payload.get(99)).isEqualTo((byte) 103);
        in.skip(190);
        assertThat(in.fill(6, true)).isTrue();
        in.buffer().position(in.buffer().position() + 6);
        assertThat(in.fill(1, true)).as("clean end between frames").isFalse();

        InputBuffer cut = new InputBuffer(Channels.newChannel(new ByteArrayInputStream(new byte[3])), 64);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cut.fill(4, true))
                .isInstanceOf(NbdProtocolException.class);
    }

    @Test
    void replyWriterSendsEveryReplyOnceFromManyThreads() throws Exception {
        CountingSink sink = new CountingSink();
        ReplyWriter writer = new ReplyWriter(sink, e -> {});
        int threads = 16;
        int perThread = 500;
        CountDownLatch done = new CountDownLatch(threads * perThread);
        ByteBuffer data = ByteBuffer.allocateDirect(100);
        for (int t = 0; t < threads; t++) {
            Thread.ofVirtual().start(() -> {
                for (int i = 0; i < perThread; i++) {
                    writer.send(i, 0, i % 2 == 0 ? data.duplicate() : null, done::countDown);
                }
            });
        }
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        long expected = (long) threads * perThread * 16 + (long) threads * (perThread / 2) * 100;
        assertThat(sink.bytes()).isEqualTo(expected);
        assertThat(sink.writes()).isLessThanOrEqualTo(threads * perThread);
    }

    @Test
    void replyWriterRunsCallbacksAfterTheChannelFails() throws Exception {
        CountingSink sink = new CountingSink();
        sink.close();
        int[] failures = {0};
        ReplyWriter writer = new ReplyWriter(sink, e -> failures[0]++);
        int[] callbacks = {0};
        for (int i = 0; i < 10; i++) {
            writer.send(i, 0, null, () -> callbacks[0]++);
        }
        assertThat(callbacks[0]).isEqualTo(10);
        assertThat(failures[0]).isEqualTo(1);
        assertThat(writer.failed()).isTrue();
    }
}
