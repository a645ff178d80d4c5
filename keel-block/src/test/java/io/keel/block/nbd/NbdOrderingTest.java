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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ordering rule as a client sees it, against a device that is slow at chosen offsets. */
class NbdOrderingTest {
    private static final long SLOW_OFFSET = 0;

    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private NbdServer server;

    /** Operations at offset 0 take 300 ms; everything is recorded in order of completion. */
    private final class SlowDevice implements BlockDevice {
        private final MemoryBlockDevice inner = new MemoryBlockDevice(1 << 20, false);

        private void maybeSlow(long offset) {
            if (offset == SLOW_OFFSET) {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
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
            maybeSlow(offset);
            inner.read(offset, dst);
            events.add("read@" + offset);
        }

        @Override
        public void write(long offset, ByteBuffer src, boolean fua) throws BlockIoException {
            maybeSlow(offset);
            inner.write(offset, src, fua);
            events.add("write@" + offset);
        }

        @Override
        public void flush() {
            events.add("flush");
        }

        @Override
        public void trim(long offset, long length) throws BlockIoException {
            maybeSlow(offset);
            inner.trim(offset, length);
            events.add("trim@" + offset);
        }

        @Override
        public void writeZeroes(long offset, long length, boolean fua) throws BlockIoException {
            maybeSlow(offset);
            inner.writeZeroes(offset, length, fua);
            events.add("zero@" + offset);
        }

        @Override
        public void close() {}
    }

    @BeforeEach
    void start() throws IOException {
        SlowDevice device = new SlowDevice();
        BlockExports exports = new BlockExports() {
            @Override
            public Optional<BlockDevice> open(String name, boolean writeAccess) {
                return name.equals("slow") ? Optional.of(device) : Optional.empty();
            }

            @Override
            public List<String> list() {
                return List.of("slow");
            }
        };
        server = NbdServer.start("127.0.0.1", 0, exports);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void flushWaitsForEarlierWritesButNotForLaterRequests() throws IOException {
        try (RawNbdClient c = RawNbdClient.open(server.port(), "slow")) {
            c.request(0, NBD_CMD_WRITE, 1, SLOW_OFFSET, 512, new byte[512]);
            c.request(0, NBD_CMD_TRIM, 2, SLOW_OFFSET, 512, null);
            c.request(0, NBD_CMD_FLUSH, 3, 0, 0, null);
            c.request(0, NBD_CMD_WRITE, 4, 8192, 512, new byte[512]);
            c.flush();
            List<Long> order = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                RawNbdClient.Reply r = c.reply(0);
                assertThat(r.error()).isZero();
                order.add(r.cookie());
            }
            // The later fast write overtakes everything; the flush comes after both slow writes.
            assertThat(order.getFirst()).isEqualTo(4L);
            assertThat(order.indexOf(3L)).isGreaterThan(order.indexOf(1L)).isGreaterThan(order.indexOf(2L));
            assertThat(events.indexOf("flush")).isGreaterThan(events.indexOf("write@0"))
                    .isGreaterThan(events.indexOf("trim@0"));
        }
    }

    @Test
    void aSlowReadDoesNotHoldUpTheRequestsPipelinedBehindIt() throws IOException {
        try (RawNbdClient c = RawNbdClient.open(server.port(), "slow")) {
            c.request(0, NBD_CMD_READ, 10, SLOW_OFFSET, 4096, null);
            c.request(0, NBD_CMD_READ, 11, 4096, 4096, null);
            c.flush();
            RawNbdClient.Reply first = c.reply(4096);
            RawNbdClient.Reply second = c.reply(4096);
            assertThat(List.of(first.cookie(), second.cookie())).containsExactly(11L, 10L);
        }
    }

    @Test
    void fuaWriteIsAnsweredOnlyAfterTheDeviceWriteFinished() throws IOException {
        try (RawNbdClient c = RawNbdClient.open(server.port(), "slow")) {
            long start = System.nanoTime();
            RawNbdClient.Reply r = c.write(20, NBD_CMD_FLAG_FUA, SLOW_OFFSET, new byte[4096]);
            assertThat(r.error()).isZero();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(250_000_000L);
            assertThat(events).contains("write@0");
        }
    }
}
