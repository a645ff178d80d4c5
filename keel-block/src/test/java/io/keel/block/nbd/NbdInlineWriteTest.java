package io.keel.block.nbd;

import static io.keel.block.nbd.NbdConstants.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.block.BlockDevice;
import io.keel.block.BlockExports;
import io.keel.block.BlockIoException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Writes the connection's reader starts itself ({@link BlockDevice#writeAsync}, ADR 0013): started
 * in the order received, answered only when the device completes them, on whatever thread that
 * happens, and covered by a later flush.
 */
@Timeout(60)
class NbdInlineWriteTest {
    private NbdServer server;

    /** How the device answers a started write. */
    enum Mode { HOLD, AT_ONCE, FAIL_ENOSPC, UNTIL_SENT }

    private static final class AsyncDevice implements BlockDevice {
        final MemoryBlockDevice inner = new MemoryBlockDevice(4 << 20, false);
        final List<Long> started = new CopyOnWriteArrayList<>();
        final Set<Thread> startThreads = ConcurrentHashMap.newKeySet();
        final List<CompletableFuture<Void>> held = new CopyOnWriteArrayList<>();
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        volatile Mode mode = Mode.HOLD;
        final List<CompletableFuture<Void>> unsent = new CopyOnWriteArrayList<>();
        final java.util.concurrent.atomic.AtomicInteger sends = new java.util.concurrent.atomic.AtomicInteger();

        /** In UNTIL_SENT mode a held write completes only once {@link #sendHeld} ran after it. */
        @Override
        public CompletableFuture<Void> writeAsync(long offset, ByteBuffer src, boolean hold) throws BlockIoException {
            if (mode != Mode.UNTIL_SENT) {
                return writeAsync(offset, src);
            }
            started.add(offset);
            inner.write(offset, src.duplicate(), false);
            if (!hold) {
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> f = new CompletableFuture<>();
            unsent.add(f);
            return f;
        }

        @Override
        public void sendHeld() {
            sends.incrementAndGet();
            List<CompletableFuture<Void>> now = List.copyOf(unsent);
            unsent.removeAll(now);
            // As a chunk client's reader would: on another thread.
            Thread.ofPlatform().start(() -> now.forEach(f -> f.complete(null)));
        }

        @Override
        public CompletableFuture<Void> writeAsync(long offset, ByteBuffer src) throws BlockIoException {
            started.add(offset);
            startThreads.add(Thread.currentThread());
            return switch (mode) {
                case AT_ONCE -> {
                    inner.write(offset, src.duplicate(), false);
                    yield CompletableFuture.completedFuture(null);
                }
                case FAIL_ENOSPC, UNTIL_SENT -> CompletableFuture.failedFuture(
                        new BlockIoException(BlockIoException.Kind.ENOSPC, "full"));
                case HOLD -> {
                    ByteBuffer copy = src.duplicate();
                    CompletableFuture<Void> f = new CompletableFuture<>();
                    held.add(f);
                    yield f.thenRun(() -> {
                        try {
                            inner.write(offset, copy, false);
                        } catch (BlockIoException e) {
                            throw new IllegalStateException(e);
                        }
                        events.add("write@" + offset);
                    });
                }
            };
        }

        /** Completes held writes (the device's own thread would), in the given order of start. */
        void complete(int startIndex) {
            held.get(startIndex).complete(null);
        }

        @Override
        public long size() {
            return inner.size();
        }

        @Override
        public int blockSize() {
            return 4096;
        }

        @Override
        public boolean readOnly() {
            return false;
        }

        @Override
        public void read(long offset, ByteBuffer dst) throws BlockIoException {
            inner.read(offset, dst);
        }

        @Override
        public void write(long offset, ByteBuffer src, boolean fua) throws BlockIoException {
            inner.write(offset, src, fua);
            events.add("sync-write@" + offset);
        }

        @Override
        public void flush() {
            events.add("flush");
        }

        @Override
        public void trim(long offset, long length) throws BlockIoException {
            inner.trim(offset, length);
        }

        @Override
        public void writeZeroes(long offset, long length, boolean fua) throws BlockIoException {
            inner.writeZeroes(offset, length, fua);
        }

        @Override
        public void close() {}
    }

    private AsyncDevice start() throws IOException {
        AsyncDevice device = new AsyncDevice();
        BlockExports exports = new BlockExports() {
            @Override
            public Optional<BlockDevice> open(String name, boolean writeAccess) {
                return name.equals("async") ? Optional.of(device) : Optional.empty();
            }

            @Override
            public List<String> list() {
                return List.of("async");
            }
        };
        server = NbdServer.start("127.0.0.1", 0, exports);
        return device;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    @Test
    void writesStartInReceptionOrderOnOneThreadAndAreAnsweredWhenTheDeviceCompletesThem() throws Exception {
        AsyncDevice device = start();
        try (RawNbdClient c = RawNbdClient.open(server.port(), "async")) {
            int n = 40;
            for (int i = 0; i < n; i++) {
                c.request(0, NBD_CMD_WRITE, i, i * 4096L, 4096, new byte[4096]);
            }
            // A large write and a FUA write still take a request thread and the synchronous path.
            c.request(0, NBD_CMD_WRITE, 100, 2 << 20, Transmission.INLINE_WRITE_MAX + 4096,
                    new byte[Transmission.INLINE_WRITE_MAX + 4096]);
            c.request(NBD_CMD_FLAG_FUA, NBD_CMD_WRITE, 101, 0, 512, new byte[512]);
            c.flush();
            await(() -> device.started.size() == n);
            List<Long> expected = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                expected.add(i * 4096L);
            }
            assertThat(device.started).containsExactlyElementsOf(expected);
            assertThat(device.startThreads).hasSize(1);
            // The two synchronous writes answer first: nothing inline has completed.
            List<Long> first = List.of(c.reply(0).cookie(), c.reply(0).cookie());
            assertThat(first).containsExactlyInAnyOrder(100L, 101L);
            Thread completer = Thread.ofPlatform().start(() -> {
                for (int i = n - 1; i >= 0; i--) {
                    device.complete(i);
                }
            });
            completer.join();
            List<Long> order = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                RawNbdClient.Reply r = c.reply(0);
                assertThat(r.error()).isZero();
                order.add(r.cookie());
            }
            assertThat(order).hasSize(n).doesNotHaveDuplicates().allMatch(cookie -> cookie < n);
        }
    }

    /**
     * The reader starts writes with {@code hold} and must send what they left queued before it
     * waits for the client or for budget; otherwise none of these would ever be answered.
     */
    @Test
    void heldWritesAreSentBeforeTheReaderWaits() throws Exception {
        AsyncDevice device = start();
        device.mode = Mode.UNTIL_SENT;
        try (RawNbdClient c = RawNbdClient.open(server.port(), "async")) {
            int n = NbdServerOptions.defaults().maxInflightRequests() * 2;
            Thread sender = Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < n; i++) {
                        c.request(0, NBD_CMD_WRITE, i, (i % 64) * 512L, 512, new byte[512]);
                        if (i % 50 == 49) {
                            c.flush();
                        }
                    }
                    c.flush();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            for (int i = 0; i < n; i++) {
                assertThat(c.reply(0).error()).isZero();
            }
            sender.join();
            assertThat(device.sends.get()).isPositive();
            // One last write, then a flush: the flush waits for it, so it too must have been sent.
            c.request(0, NBD_CMD_WRITE, 7777, 0, 512, new byte[512]);
            c.request(0, NBD_CMD_FLUSH, 7778, 0, 0, null);
            c.flush();
            assertThat(List.of(c.reply(0).cookie(), c.reply(0).cookie())).containsExactly(7777L, 7778L);
        }
    }

    @Test
    void flushAnswersOnlyAfterTheInlineWritesBeforeItCompleted() throws Exception {
        AsyncDevice device = start();
        try (RawNbdClient c = RawNbdClient.open(server.port(), "async")) {
            c.request(0, NBD_CMD_WRITE, 1, 0, 4096, new byte[4096]);
            c.request(0, NBD_CMD_FLUSH, 2, 0, 0, null);
            c.flush();
            await(() -> device.started.size() == 1);
            Thread.sleep(200);
            assertThat(device.events).doesNotContain("flush");
            device.complete(0);
            RawNbdClient.Reply a = c.reply(0);
            RawNbdClient.Reply b = c.reply(0);
            assertThat(List.of(a.cookie(), b.cookie())).containsExactly(1L, 2L);
            assertThat(device.events).containsExactly("write@0", "flush");
        }
    }

    /**
     * Writes the device completes before writeAsync returns are answered from the reader's queue;
     * a client that sends far more than the in-flight budget without reading still gets every
     * reply (the reader hands its queued replies off before it waits), and errors map to errno.
     */
    @Test
    void writesCompletedOnTheReaderAreAnsweredEvenPastTheBudget() throws Exception {
        AsyncDevice device = start();
        device.mode = Mode.AT_ONCE;
        try (RawNbdClient c = RawNbdClient.open(server.port(), "async")) {
            int n = NbdServerOptions.defaults().maxInflightRequests() * 3;
            Thread sender = Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < n; i++) {
                        byte[] data = new byte[512];
                        data[0] = (byte) i;
                        c.request(0, NBD_CMD_WRITE, i, (i % 64) * 512L, 512, data);
                    }
                    c.flush();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            Set<Long> seen = new java.util.HashSet<>();
            for (int i = 0; i < n; i++) {
                RawNbdClient.Reply r = c.reply(0);
                assertThat(r.error()).isZero();
                seen.add(r.cookie());
            }
            sender.join();
            assertThat(seen).hasSize(n);
            // The last writes to each offset were applied last.
            RawNbdClient.Reply r = c.read(9999, 0, 512);
            assertThat(r.data()[0]).isEqualTo((byte) (64 * ((n - 1) / 64)));
            device.mode = Mode.FAIL_ENOSPC;
            assertThat(c.write(5, 0, 0, new byte[512]).error()).isEqualTo(NBD_ENOSPC);
        }
    }
}
