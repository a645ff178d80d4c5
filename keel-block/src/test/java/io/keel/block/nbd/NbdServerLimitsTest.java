package io.keel.block.nbd;

import static io.keel.block.nbd.NbdConstants.*;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.keel.block.BlockDevice;
import io.keel.block.BlockExports;
import io.keel.block.BlockIoException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The connection limit and the handshake timeout, with real sockets. */
class NbdServerLimitsTest {
    private static final Duration TIMEOUT = Duration.ofMillis(300);

    private final MemoryBlockDevice device = new MemoryBlockDevice(1 << 20, false);
    /** Opens of the export wait for this, standing in for an export that waits for its lease. */
    private final CountDownLatch openGate = new CountDownLatch(1);
    private final BlockExports gated = new BlockExports() {
        @Override
        public Optional<BlockDevice> open(String name, boolean writeAccess) throws BlockIoException {
            if (name.equals("gated")) {
                try {
                    if (!openGate.await(30, TimeUnit.SECONDS)) {
                        throw new BlockIoException(BlockIoException.Kind.EIO, "gate never opened");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BlockIoException(BlockIoException.Kind.EIO, "interrupted");
                }
                return Optional.of(device);
            }
            return name.equals("disk") ? Optional.of(device) : Optional.empty();
        }

        @Override
        public List<String> list() {
            return List.of("disk", "gated");
        }
    };

    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger serverLog = (Logger) LoggerFactory.getLogger(NbdServer.class);
    private NbdServer server;

    @BeforeEach
    void captureLogs() {
        logged.start();
        serverLog.addAppender(logged);
    }

    @AfterEach
    void stop() {
        openGate.countDown();
        serverLog.detachAppender(logged);
        if (server != null) {
            server.close();
        }
    }

    private List<String> serverLines(Level level) {
        return logged.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out waiting for " + what).isLessThan(deadline);
            LockSupport.parkNanos(1_000_000); // a polling interval
        }
    }

    /** Reads until the server closes the socket; returns the bytes read, or -1 on a read timeout. */
    private static int bytesUntilClosed(Socket s) throws IOException {
        s.setSoTimeout(10_000);
        InputStream in = s.getInputStream();
        int n = 0;
        try {
            while (in.read() >= 0) {
                n++;
            }
        } catch (SocketException reset) {
            // a reset is a close too
        } catch (SocketTimeoutException e) {
            return -1;
        }
        return n;
    }

    @Test
    void connectionsBeyondTheLimitAreClosedAtOnceWithOneLogLine() throws IOException {
        server = NbdServer.start("127.0.0.1", 0, gated, NbdServerOptions.defaults().withMaxConnections(3));
        List<RawNbdClient> open = new ArrayList<>();
        try {
            open.add(RawNbdClient.open(server.port(), "disk")); // in transmission
            open.add(RawNbdClient.handshake(server.port())); // haggling
            open.add(RawNbdClient.connect(server.port())); // greeted, silent
            assertThat(server.connectionCount()).isEqualTo(3);
            try (Socket extra = new Socket("127.0.0.1", server.port())) {
                assertThat(bytesUntilClosed(extra)).as("closed before the greeting").isZero();
            }
            assertThat(serverLines(Level.WARN)).singleElement().asString().contains("3 connections are open");
            // The three are unharmed, and a slot freed is a slot usable again.
            assertThat(open.getFirst().read(1, 0, 512).error()).isZero();
            open.removeLast().close();
            await(() -> server.connectionCount() < 3, "the closed connection to be released");
            try (RawNbdClient again = RawNbdClient.open(server.port(), "disk")) {
                assertThat(again.read(2, 512, 512).error()).isZero();
            }
        } finally {
            for (RawNbdClient c : open) {
                c.close();
            }
        }
    }

    @Test
    void silentOrStalledHandshakesAreClosedButTransmissionAndSlowExportsAreNot() throws IOException {
        server = NbdServer.start("127.0.0.1", 0, gated, NbdServerOptions.defaults().withHandshakeTimeout(TIMEOUT));
        try (RawNbdClient established = RawNbdClient.open(server.port(), "disk");
                RawNbdClient slowExport = RawNbdClient.handshake(server.port());
                RawNbdClient stalled = RawNbdClient.handshake(server.port());
                Socket silent = new Socket("127.0.0.1", server.port())) {
            slowExport.option(NBD_OPT_GO, RawNbdClient.exportQuery("gated")); // the server now waits on itself
            stalled.out.writeLong(RawNbdClient.IHAVEOPT); // half an option header, then nothing
            stalled.out.flush();
            long start = System.nanoTime();

            assertThat(bytesUntilClosed(silent)).as("greeting, then closed").isEqualTo(18);
            long silentMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(silentMs).isBetween(TIMEOUT.toMillis() - 100, 5_000L);
            assertThat(stalled.closedByServer()).isTrue();
            assertThat(serverLines(Level.INFO)).filteredOn(l -> l.contains("handshake waited")).hasSize(2);

            // Both were closed only after the timeout, so the others have outlived it by now.
            openGate.countDown();
            RawNbdClient.Export e = readGoReply(slowExport);
            assertThat(e.size()).isEqualTo(1 << 20);
            assertThat(slowExport.read(3, 0, 512).error()).isZero();
            assertThat(established.read(4, 0, 512).error()).isZero();
            assertThat(server.connectionCount()).isEqualTo(2);
        }
    }

    private static RawNbdClient.Export readGoReply(RawNbdClient c) throws IOException {
        RawNbdClient.Export export = null;
        for (RawNbdClient.OptReply r : c.readFinal()) {
            assertThat(r.isError()).as("GO failed: %s", r.text()).isFalse();
            if (r.type() == NBD_REP_INFO && r.data().length == 12 && r.data()[1] == NBD_INFO_EXPORT) {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(r.data(), 2, 10);
                export = new RawNbdClient.Export(b.getLong(), Short.toUnsignedInt(b.getShort()));
            }
        }
        assertThat(export).isNotNull();
        return export;
    }
}
