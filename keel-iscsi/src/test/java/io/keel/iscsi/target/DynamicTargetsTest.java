package io.keel.iscsi.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.block.FileBlockDevice;
import io.keel.iscsi.login.AccessPolicy;
import io.keel.iscsi.login.TextKeys;
import io.keel.iscsi.login.TextKeys.Pair;
import io.keel.iscsi.pdu.FrameReader;
import io.keel.iscsi.pdu.FrameWriter;
import io.keel.iscsi.pdu.Opcode;
import io.keel.iscsi.pdu.Pdu;
import io.keel.iscsi.pdu.Segment;
import io.keel.iscsi.scsi.InMemoryReservationStore;
import io.keel.iscsi.scsi.LogicalUnit;
import io.keel.iscsi.scsi.LunSpec;
import io.keel.iscsi.scsi.Luns;
import io.keel.iscsi.scsi.TargetPorts;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Targets and LUNs added, switched and removed while a raw session is logged in. */
class DynamicTargetsTest {
    private static final String IQN = "iqn.2026-12.io.keel:node1.group1";
    private static final String INITIATOR = "iqn.2026-12.io.keel:host";
    @TempDir
    Path dir;
    private IscsiServer server;

    @BeforeEach
    void start() throws Exception {
        server = IscsiServer.start("127.0.0.1", 0, ServerOptions.defaults());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A logged-in raw session with its command sequence number. */
    private static final class Session implements AutoCloseable {
        final Socket socket;
        final FrameReader in;
        final FrameWriter out;
        int cmdSn = 1;
        int itt = 1;

        Session(Socket socket) throws Exception {
            this.socket = socket;
            this.in = new FrameReader(socket.getInputStream());
            this.out = new FrameWriter(socket.getOutputStream());
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }

    private record Reply(int status, byte[] data, byte[] sense) {}

    private Optional<Session> login(String initiator) throws Exception {
        Socket s = new Socket("127.0.0.1", server.port());
        s.setSoTimeout(5000);
        Session session = new Session(s);
        byte[] keys = TextKeys.encode(List.of(new Pair("InitiatorName", initiator), new Pair("TargetName", IQN),
                new Pair("AuthMethod", "None")));
        session.out.write(new Pdu.LoginRequest(true, false, 0, 3, 0, 0, 0x400000000001L, 0, 1, 0, 1, 0,
                Segment.of(keys)));
        Pdu.LoginResponse r = (Pdu.LoginResponse) session.in.read();
        if (r.statusClass() != 0) {
            s.close();
            return Optional.empty();
        }
        return Optional.of(session);
    }

    private static Reply command(Session s, int lun, byte[] cdb) throws Exception {
        s.out.write(new Pdu.ScsiCommand(false, true, true, false, 1, Luns.encode(lun), s.itt++, 4096, s.cmdSn++, 0,
                Segment.of(cdb), Segment.EMPTY));
        while (true) {
            Pdu p = s.in.read();
            switch (p) {
                case Pdu.NopIn ping when ping.itt() == Opcode.NO_TAG -> s.out.write(
                        new Pdu.NopOut(true, 0, Opcode.NO_TAG, ping.ttt(), s.cmdSn, 0, Segment.EMPTY));
                case Pdu.DataIn d -> {
                    return new Reply(d.status(), d.data().bytes(), new byte[0]);
                }
                case Pdu.ScsiResponse r -> {
                    byte[] d = r.data().bytes();
                    return new Reply(r.status(), new byte[0], d.length > 2 ? java.util.Arrays.copyOfRange(d, 2, d.length)
                            : new byte[0]);
                }
                case null -> throw new java.io.EOFException("connection closed");
                default -> throw new AssertionError("unexpected " + p);
            }
        }
    }

    private static byte[] cdb(int... b) {
        byte[] c = new byte[16];
        for (int i = 0; i < b.length; i++) {
            c[i] = (byte) b[i];
        }
        return c;
    }

    private static final byte[] REPORT_LUNS = cdb(0xa0, 0, 0, 0, 0, 0, 0, 0, 1, 0);
    private static final byte[] READ_10 = cdb(0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0);

    private static void assertSense(Reply r, int key, int asc, int ascq) {
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.sense()[2] & 0x0f).isEqualTo(key);
        assertThat(r.sense()[12] & 0xff).isEqualTo(asc);
        assertThat(r.sense()[13] & 0xff).isEqualTo(ascq);
    }

    private static int lunCount(Reply r) {
        return ByteBuffer.wrap(r.data()).getInt(0) / 8;
    }

    @Test
    void lunsComeAndGoWhileASessionRuns() throws Exception {
        Target target = server.addTarget(IQN, TargetPorts.onePerGroup(1, List.of(1, 2)), AccessPolicy.open());
        assertThat(server.target(IQN)).containsSame(target);
        try (Session s = login(INITIATOR).orElseThrow()) {
            assertThat(lunCount(command(s, 0, REPORT_LUNS))).isZero();
            FileBlockDevice dev = FileBlockDevice.create(dir.resolve("v.img"), 1 << 20);
            LogicalUnit unit = target.export(0, new LunSpec("volume-1", 1 << 20, 512), new InMemoryReservationStore());
            assertThatThrownBy(() -> target.export(0, new LunSpec("volume-2", 1 << 20, 512),
                    new InMemoryReservationStore())).isInstanceOf(IllegalArgumentException.class);
            // The new LUN is announced, then it answers as standby until the node activates it.
            assertSense(command(s, 0, READ_10), 6, 0x3f, 0x0e);
            assertSense(command(s, 0, READ_10), 2, 0x04, 0x0b);
            unit.activate(new BlockDeviceLun(dev, "volume-1", 512));
            assertSense(command(s, 0, READ_10), 6, 0x2a, 0x06);
            assertThat(command(s, 0, READ_10).status()).isZero();
            assertThat(lunCount(command(s, 0, REPORT_LUNS))).isEqualTo(1);

            assertThat(target.remove(0)).containsSame(unit);
            assertThat(unit.standby()).isPresent();
            assertSense(command(s, 0, READ_10), 6, 0x3f, 0x0e);
            assertSense(command(s, 0, READ_10), 5, 0x25, 0x00);
            assertThat(lunCount(command(s, 0, REPORT_LUNS))).isZero();
            dev.close();
        }
    }

    @Test
    void removingATargetClosesItsSessionsAndAPolicyChangeGovernsNewLogins() throws Exception {
        Target target = server.addTarget(IQN, TargetPorts.single(), AccessPolicy.open());
        assertThatThrownBy(() -> server.addTarget(IQN, TargetPorts.single(), AccessPolicy.open()))
                .isInstanceOf(IllegalArgumentException.class);
        try (Session s = login(INITIATOR).orElseThrow()) {
            target.access(new AccessPolicy(Set.of("iqn.2026-12.io.keel:someone-else"), Optional.empty(),
                    Optional.empty()));
            assertThat(login(INITIATOR)).isEmpty();
            assertThat(command(s, 0, REPORT_LUNS).status()).isZero(); // the session already in stays
            assertThat(server.removeTarget(IQN)).containsSame(target);
            assertThat(s.in.read()).isNull();
        }
        assertThat(server.target(IQN)).isEmpty();
        assertThat(server.removeTarget(IQN)).isEmpty();
        assertThat(login(INITIATOR)).isEmpty();
    }
}
