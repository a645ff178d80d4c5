package io.keel.block.nbd;

import static io.keel.block.nbd.NbdConstants.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.block.BlockExports;
import io.keel.block.DirectoryExports;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The handshake and transmission state machines, driven by {@link RawNbdClient} over a socket. */
class NbdSessionTest {
    private static final int SIZE = 4 << 20;

    @TempDir
    Path dir;

    private byte[] initial;
    private NbdServer server;

    @BeforeEach
    void start() throws IOException {
        initial = new byte[SIZE];
        new Random(42).nextBytes(initial);
        Files.write(dir.resolve("disk"), initial);
        Files.write(dir.resolve("ro"), initial);
        Files.write(dir.resolve("leased"), new byte[SIZE]);
        DirectoryExports files = new DirectoryExports(dir, Set.of("ro"));
        BlockExports exports = new LeasedExports(files);
        server = NbdServer.start("127.0.0.1", 0, exports, NbdServerOptions.defaults().withMaxRequestLength(1 << 20));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void greetingOffersFixedNewstyleAndNoZeroes() throws IOException {
        try (RawNbdClient c = RawNbdClient.connect(server.port())) {
            assertThat(c.handshakeFlags).isEqualTo(NBD_FLAG_FIXED_NEWSTYLE | NBD_FLAG_NO_ZEROES);
        }
        assertThat(server.port()).isPositive();
    }

    @Test
    void listReturnsEveryExportWithDescriptionThenAck() throws IOException {
        try (RawNbdClient c = RawNbdClient.handshake(server.port())) {
            c.option(NBD_OPT_LIST, new byte[0]);
            List<RawNbdClient.OptReply> replies = c.readFinal();
            assertThat(replies).hasSize(4);
            assertThat(replies.getLast().type()).isEqualTo(NBD_REP_ACK);
            List<String> names = replies.subList(0, 3).stream().map(r -> {
                assertThat(r.type()).isEqualTo(NBD_REP_SERVER);
                ByteBuffer b = ByteBuffer.wrap(r.data());
                byte[] name = new byte[b.getInt()];
                b.get(name);
                assertThat(new String(r.data(), 4 + name.length, b.remaining(), StandardCharsets.UTF_8))
                        .startsWith("file ");
                return new String(name, StandardCharsets.UTF_8);
            }).toList();
            assertThat(names).containsExactly("disk", "leased", "ro");
            c.option(NBD_OPT_LIST, new byte[] {1});
            assertThat(c.readOptionReply().type()).isEqualTo(NBD_REP_ERR_INVALID);
        }
    }

    @Test
    void infoReportsExportNameDescriptionAndBlockSizeThenGoEntersTransmission() throws IOException {
        try (RawNbdClient c = RawNbdClient.handshake(server.port())) {
            c.option(NBD_OPT_INFO, RawNbdClient.exportQuery("disk", NBD_INFO_NAME, NBD_INFO_DESCRIPTION,
                    NBD_INFO_BLOCK_SIZE));
            Map<Integer, ByteBuffer> info = new HashMap<>();
            for (RawNbdClient.OptReply r : c.readFinal()) {
                assertThat(r.option()).isEqualTo(NBD_OPT_INFO);
                if (r.type() == NBD_REP_INFO) {
                    ByteBuffer b = ByteBuffer.wrap(r.data());
                    info.put((int) b.getShort(), b.slice());
                } else {
                    assertThat(r.type()).isEqualTo(NBD_REP_ACK);
                }
            }
            ByteBuffer export = info.get(NBD_INFO_EXPORT);
            assertThat(export.getLong()).isEqualTo(SIZE);
            int flags = Short.toUnsignedInt(export.getShort());
            assertThat(flags).isEqualTo(NBD_FLAG_HAS_FLAGS | NBD_FLAG_SEND_FLUSH | NBD_FLAG_SEND_FUA
                    | NBD_FLAG_SEND_TRIM | NBD_FLAG_SEND_WRITE_ZEROES | NBD_FLAG_CAN_MULTI_CONN);
            assertThat(StandardCharsets.UTF_8.decode(info.get(NBD_INFO_NAME)).toString()).isEqualTo("disk");
            assertThat(StandardCharsets.UTF_8.decode(info.get(NBD_INFO_DESCRIPTION)).toString())
                    .isEqualTo("file disk, " + SIZE + " bytes");
            ByteBuffer bs = info.get(NBD_INFO_BLOCK_SIZE);
            assertThat(List.of(bs.getInt(), bs.getInt(), bs.getInt())).containsExactly(1, 4096, 1 << 20);

            // INFO leaves the client in haggling: GO still works and then data flows.
            RawNbdClient.Export e = c.go("disk");
            assertThat(e.size()).isEqualTo(SIZE);
            assertThat(c.read(1, 0, 16).data()).isEqualTo(Arrays.copyOf(initial, 16));
        }
    }

    @Test
    void unknownExportIsAnErrorAndHagglingContinues() throws IOException {
        try (RawNbdClient c = RawNbdClient.handshake(server.port())) {
            c.option(NBD_OPT_GO, RawNbdClient.exportQuery("nope"));
            RawNbdClient.OptReply r = c.readOptionReply();
            assertThat(r.type()).isEqualTo(NBD_REP_ERR_UNKNOWN);
            assertThat(r.text()).contains("nope");
            c.option(NBD_OPT_GO, RawNbdClient.exportQuery("../disk"));
            assertThat(c.readOptionReply().type()).isEqualTo(NBD_REP_ERR_UNKNOWN);
            assertThat(c.go("disk").size()).isEqualTo(SIZE);
        }
    }

    @Test
    void structuredRepliesStartTlsAndUnknownOptionsAreUnsupported() throws IOException {
        try (RawNbdClient c = RawNbdClient.handshake(server.port())) {
            for (int option : new int[] {NBD_OPT_STRUCTURED_REPLY, NBD_OPT_STARTTLS, 10, 42, 0x7fffffff}) {
                c.option(option, new byte[0]);
                RawNbdClient.OptReply r = c.readOptionReply();
                assertThat(r.option()).isEqualTo(option);
                assertThat(r.type()).as("option %d", option).isEqualTo(NBD_REP_ERR_UNSUP);
            }
            // An unknown option's payload is skipped, not misread as the next option.
            c.option(99, "IHAVEOPT-looking junk".getBytes(StandardCharsets.UTF_8));
            assertThat(c.readOptionReply().type()).isEqualTo(NBD_REP_ERR_UNSUP);
            assertThat(c.go("disk").size()).isEqualTo(SIZE);
        }
    }

    @Test
    void malformedGoIsInvalidNotFatal() throws IOException {
        try (RawNbdClient c = RawNbdClient.handshake(server.port())) {
            byte[] q = RawNbdClient.exportQuery("disk", 3);
            c.option(NBD_OPT_GO, Arrays.copyOf(q, q.length - 1));
            assertThat(c.readOptionReply().type()).isEqualTo(NBD_REP_ERR_INVALID);
            byte[] bad = RawNbdClient.exportQuery("disk");
            bad[3] = 100;
            c.option(NBD_OPT_GO, bad);
            assertThat(c.readOptionReply().type()).isEqualTo(NBD_REP_ERR_INVALID);
            assertThat(c.go("disk").size()).isEqualTo(SIZE);
        }
    }

    @Test
    void exportNameEntersTransmissionWithZeroPaddingUnlessNoZeroes() throws IOException {
        for (int flags : new int[] {1, 3}) {
            try (RawNbdClient c = RawNbdClient.connect(server.port())) {
                c.clientFlags(flags);
                c.option(NBD_OPT_EXPORT_NAME, "disk".getBytes(StandardCharsets.UTF_8));
                assertThat(c.in.readLong()).isEqualTo(SIZE);
                assertThat(c.in.readUnsignedShort() & NBD_FLAG_HAS_FLAGS).isEqualTo(1);
                if (flags == 1) {
                    byte[] zeroes = new byte[124];
                    c.in.readFully(zeroes);
                    assertThat(zeroes).containsOnly(0);
                }
                assertThat(c.read(7, 100, 8).data()).isEqualTo(Arrays.copyOfRange(initial, 100, 108));
            }
        }
    }

    @Test
    void exportNameForUnknownExportDisconnects() throws IOException {
        try (RawNbdClient c = RawNbdClient.handshake(server.port())) {
            c.option(NBD_OPT_EXPORT_NAME, "nope".getBytes(StandardCharsets.UTF_8));
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void abortIsAcknowledgedThenClosed() throws IOException {
        try (RawNbdClient c = RawNbdClient.handshake(server.port())) {
            c.option(NBD_OPT_ABORT, new byte[0]);
            RawNbdClient.OptReply r = c.readOptionReply();
            assertThat(r.option()).isEqualTo(NBD_OPT_ABORT);
            assertThat(r.type()).isEqualTo(NBD_REP_ACK);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void refusedWriteOpenIsPolicyErrorWithReasonAndReadOnlyServerStillServesIt() throws IOException {
        try (RawNbdClient c = RawNbdClient.handshake(server.port())) {
            c.option(NBD_OPT_GO, RawNbdClient.exportQuery("leased"));
            RawNbdClient.OptReply r = c.readOptionReply();
            assertThat(r.type()).isEqualTo(NBD_REP_ERR_POLICY);
            assertThat(r.text()).isEqualTo("write lease held by node-7");
            // INFO describes it all the same, without asking for the write lease.
            c.option(NBD_OPT_INFO, RawNbdClient.exportQuery("leased"));
            List<RawNbdClient.OptReply> info = c.readFinal();
            assertThat(info.getLast().type()).isEqualTo(NBD_REP_ACK);
            ByteBuffer export = ByteBuffer.wrap(info.getFirst().data());
            assertThat(List.of(info.getFirst().type(), (int) export.getShort())).containsExactly(NBD_REP_INFO,
                    NBD_INFO_EXPORT);
            assertThat(export.getLong()).isEqualTo(SIZE);
            assertThat(Short.toUnsignedInt(export.getShort()) & NBD_FLAG_READ_ONLY).isZero();
            c.option(NBD_OPT_GO, RawNbdClient.exportQuery("leased"));
            assertThat(c.readOptionReply().type()).isEqualTo(NBD_REP_ERR_POLICY);
            // A read-only export says so in INFO as in GO.
            c.option(NBD_OPT_INFO, RawNbdClient.exportQuery("ro"));
            ByteBuffer ro = ByteBuffer.wrap(c.readFinal().getFirst().data());
            assertThat(Short.toUnsignedInt(ro.getShort(10)) & NBD_FLAG_READ_ONLY).isNotZero();
        }
        try (NbdServer ro = NbdServer.start("127.0.0.1", 0, new DirectoryExports(dir),
                NbdServerOptions.defaults().withReadOnly(true));
                RawNbdClient c = RawNbdClient.handshake(ro.port())) {
            RawNbdClient.Export e = c.go("disk");
            assertThat(e.flags() & NBD_FLAG_READ_ONLY).isNotZero();
            assertThat(c.write(1, 0, 0, new byte[512]).error()).isEqualTo(NBD_EPERM);
        }
    }

    @Test
    void readWriteFlushTrimAndWriteZeroesReachTheFile() throws IOException {
        try (RawNbdClient c = RawNbdClient.open(server.port(), "disk")) {
            byte[] data = new byte[64 << 10];
            new Random(1).nextBytes(data);
            RawNbdClient.Reply w = c.write(1, 0, 4096, data);
            assertThat(List.of(w.error(), w.cookie())).containsExactly(0, 1L);
            assertThat(c.read(2, 4096, data.length).data()).isEqualTo(data);
            assertThat(c.write(3, NBD_CMD_FLAG_FUA, 1 << 20, data).error()).isZero();
            assertThat(c.command(NBD_CMD_FLUSH, 0, 4, 0, 0).error()).isZero();
            assertThat(c.command(NBD_CMD_TRIM, 0, 5, 4096, 4096).error()).isZero();
            assertThat(c.command(NBD_CMD_WRITE_ZEROES, 0, 6, 8192, 8192).error()).isZero();
            assertThat(c.command(NBD_CMD_WRITE_ZEROES, NBD_CMD_FLAG_NO_HOLE | NBD_CMD_FLAG_FUA, 7, 3 << 20, 600_000)
                    .error()).isZero();
            assertThat(c.command(NBD_CMD_TRIM, NBD_CMD_FLAG_FUA, 8, 0, 0).error()).isZero();
            assertThat(c.read(9, 0, 0).data()).isEmpty();
            c.disconnect();
            assertThat(c.closedByServer()).isTrue();
        }
        byte[] file = Files.readAllBytes(dir.resolve("disk"));
        byte[] expected = initial.clone();
        new Random(1).nextBytes(new byte[0]);
        byte[] data = new byte[64 << 10];
        new Random(1).nextBytes(data);
        System.arraycopy(data, 0, expected, 4096, data.length);
        System.arraycopy(data, 0, expected, 1 << 20, data.length);
        Arrays.fill(expected, 4096, 4096 + 4096 + 8192, (byte) 0);
        Arrays.fill(expected, 3 << 20, (3 << 20) + 600_000, (byte) 0);
        assertThat(file).isEqualTo(expected);
    }

    @Test
    void pipelinedRequestsAreAllAnsweredWithTheirOwnCookies() throws IOException {
        try (RawNbdClient c = RawNbdClient.open(server.port(), "disk")) {
            int n = 200;
            Map<Long, Integer> readOffsets = new HashMap<>();
            Map<Long, byte[]> writes = new HashMap<>();
            Random rnd = new Random(7);
            for (long cookie = 1000; cookie < 1000 + n; cookie++) {
                if (cookie % 3 == 0) {
                    byte[] d = new byte[8192];
                    rnd.nextBytes(d);
                    // Writes go to the upper half, reads to the lower: no request depends on another.
                    c.request(cookie % 2 == 0 ? NBD_CMD_FLAG_FUA : 0, NBD_CMD_WRITE, cookie,
                            (2 << 20) + (cookie - 1000) * 8192, d.length, d);
                    writes.put(cookie, d);
                } else {
                    int off = rnd.nextInt(1 << 20);
                    c.request(0, NBD_CMD_READ, cookie, off, 4096, null);
                    readOffsets.put(cookie, off);
                }
            }
            c.request(0, NBD_CMD_FLUSH, 1, 0, 0, null);
            c.flush();
            Map<Long, RawNbdClient.Reply> got = new HashMap<>();
            for (int i = 0; i <= n; i++) {
                // Replies may come in any order; the length of a read reply is known from its cookie.
                c.in.mark(16);
                c.in.skipNBytes(8);
                long cookie = c.in.readLong();
                c.in.reset();
                RawNbdClient.Reply r = c.reply(readOffsets.containsKey(cookie) ? 4096 : 0);
                assertThat(got.put(r.cookie(), r)).as("duplicate reply for %d", r.cookie()).isNull();
            }
            assertThat(got).hasSize(n + 1);
            assertThat(got.values()).allMatch(r -> r.error() == 0);
            readOffsets.forEach((cookie, off) ->
                    assertThat(got.get(cookie).data()).isEqualTo(Arrays.copyOfRange(initial, off, off + 4096)));
            for (var w : writes.entrySet()) {
                long off = (2 << 20) + (w.getKey() - 1000) * 8192;
                assertThat(c.read(5, off, 8192).data()).isEqualTo(w.getValue());
            }
        }
    }

    @Test
    void readOnlyExportAdvertisesItAndRefusesWritesWithEperm() throws IOException {
        try (RawNbdClient c = RawNbdClient.handshake(server.port())) {
            RawNbdClient.Export e = c.go("ro");
            assertThat(e.flags() & NBD_FLAG_READ_ONLY).isNotZero();
            assertThat(e.flags() & (NBD_FLAG_SEND_TRIM | NBD_FLAG_SEND_WRITE_ZEROES)).isZero();
            assertThat(c.write(1, 0, 0, new byte[4096]).error()).isEqualTo(NBD_EPERM);
            assertThat(c.command(NBD_CMD_TRIM, 0, 2, 0, 4096).error()).isEqualTo(NBD_EPERM);
            assertThat(c.command(NBD_CMD_WRITE_ZEROES, 0, 3, 0, 4096).error()).isEqualTo(NBD_EPERM);
            assertThat(c.command(NBD_CMD_FLUSH, 0, 4, 0, 0).error()).isZero();
            // The refused write's payload was consumed: the stream is still in sync.
            assertThat(c.read(5, 0, 4096).data()).isEqualTo(Arrays.copyOf(initial, 4096));
        }
        assertThat(Files.readAllBytes(dir.resolve("ro"))).isEqualTo(initial);
    }

    @Test
    void outOfRangeAndMalformedRequestsGetErrorsAndTheSessionContinues() throws IOException {
        try (RawNbdClient c = RawNbdClient.open(server.port(), "disk")) {
            assertThat(c.read(1, SIZE - 100, 200).error()).isEqualTo(NBD_EINVAL);
            assertThat(c.read(2, -4096, 100).error()).isEqualTo(NBD_EINVAL);
            assertThat(c.read(3, SIZE, 0).error()).isZero();
            assertThat(c.write(4, 0, SIZE - 10, new byte[20]).error()).isEqualTo(NBD_ENOSPC);
            assertThat(c.command(NBD_CMD_TRIM, 0, 5, SIZE, 1).error()).isEqualTo(NBD_EINVAL);
            assertThat(c.command(NBD_CMD_WRITE_ZEROES, 0, 6, 0, 0xffffffffL).error()).isEqualTo(NBD_ENOSPC);
            assertThat(c.read(7, 0, (1 << 20) + 1).error()).as("read over maximum").isEqualTo(NBD_EINVAL);
            assertThat(c.command(5, 0, 8, 0, 0).error()).as("unknown command").isEqualTo(NBD_EINVAL);
            assertThat(c.command(NBD_CMD_READ, 1 << 4, 9, 0, 1).error()).as("unknown flag").isEqualTo(NBD_EINVAL);
            assertThat(c.command(NBD_CMD_TRIM, NBD_CMD_FLAG_NO_HOLE, 10, 0, 1).error()).isEqualTo(NBD_EINVAL);
            assertThat(c.read(11, 10, 10).data()).isEqualTo(Arrays.copyOfRange(initial, 10, 20));
        }
    }

    @Test
    void writeOverMaximumDisconnectsWithoutReadingIt() throws IOException {
        try (RawNbdClient c = RawNbdClient.open(server.port(), "disk")) {
            c.request(0, NBD_CMD_WRITE, 1, 0, (1 << 20) + 1, null);
            c.flush();
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void badRequestMagicDisconnectsOnlyThatClient() throws IOException {
        try (RawNbdClient good = RawNbdClient.open(server.port(), "disk");
                RawNbdClient bad = RawNbdClient.open(server.port(), "disk")) {
            bad.out.write(new byte[28]);
            bad.flush();
            assertThat(bad.closedByServer()).isTrue();
            assertThat(good.read(1, 0, 512).data()).isEqualTo(Arrays.copyOf(initial, 512));
            try (RawNbdClient again = RawNbdClient.open(server.port(), "disk")) {
                assertThat(again.write(2, 0, 0, new byte[512]).error()).isZero();
            }
        }
    }

    @Test
    void handshakeViolationsDisconnect() throws IOException {
        try (RawNbdClient c = RawNbdClient.connect(server.port())) {
            c.clientFlags(1 << 5);
            assertThat(c.closedByServer()).as("unknown client flag").isTrue();
        }
        try (RawNbdClient c = RawNbdClient.handshake(server.port())) {
            c.out.writeLong(0x1122334455667788L);
            c.out.writeLong(0);
            c.flush();
            assertThat(c.closedByServer()).as("bad option magic").isTrue();
        }
        try (RawNbdClient c = RawNbdClient.handshake(server.port())) {
            // Claims a 2 GiB option and sends none of it: the server must not wait for or allocate it.
            c.out.writeLong(RawNbdClient.IHAVEOPT);
            c.out.writeInt(NBD_OPT_GO);
            c.out.writeInt(Integer.MAX_VALUE);
            c.flush();
            assertThat(c.closedByServer()).as("oversized option").isTrue();
        }
        RawNbdClient truncated = RawNbdClient.handshake(server.port());
        truncated.out.write(new byte[] {1, 2, 3});
        truncated.flush();
        truncated.close();
        try (RawNbdClient c = RawNbdClient.open(server.port(), "disk")) {
            assertThat(c.read(1, 0, 4).data()).isEqualTo(Arrays.copyOf(initial, 4));
        }
    }

    @Test
    void disconnectAnswersOutstandingRequestsFirst() throws IOException {
        byte[] data = new byte[1 << 20];
        new Random(3).nextBytes(data);
        try (RawNbdClient c = RawNbdClient.open(server.port(), "disk")) {
            c.request(0, NBD_CMD_WRITE, 77, 0, data.length, data);
            c.disconnect();
            RawNbdClient.Reply r = c.reply(0);
            assertThat(List.of(r.error(), r.cookie())).containsExactly(0, 77L);
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(Arrays.copyOf(Files.readAllBytes(dir.resolve("disk")), data.length)).isEqualTo(data);
    }

    @Test
    void closingTheServerClosesSessions() throws IOException {
        RawNbdClient c = RawNbdClient.open(server.port(), "disk");
        RawNbdClient h = RawNbdClient.handshake(server.port());
        try (c; h) {
            server.close();
            assertThat(c.closedByServer()).isTrue();
            assertThat(h.closedByServer()).isTrue();
            assertThat(server.connectionCount()).isZero();
        }
    }
}
