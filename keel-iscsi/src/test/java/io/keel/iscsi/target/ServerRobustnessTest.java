package io.keel.iscsi.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.block.FileBlockDevice;
import io.keel.iscsi.login.AccessPolicy;
import io.keel.iscsi.login.TextKeys;
import io.keel.iscsi.login.TextKeys.Pair;
import io.keel.iscsi.pdu.FrameReader;
import io.keel.iscsi.pdu.FrameWriter;
import io.keel.iscsi.pdu.Opcode;
import io.keel.iscsi.pdu.Pdu;
import io.keel.iscsi.pdu.Segment;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Raw-PDU sessions against the server: malformed input, several sessions, keepalive, R2T. */
class ServerRobustnessTest {
    private static final String IQN = "iqn.2026-12.io.keel:raw";
    @TempDir
    Path dir;
    private IscsiServer server;

    @BeforeEach
    void start() throws Exception {
        start(Duration.ofSeconds(30));
    }

    private void start(Duration keepalive) throws Exception {
        if (server != null) {
            server.close();
        }
        Path file = dir.resolve("lun.img");
        FileBlockDevice dev = java.nio.file.Files.exists(file) ? FileBlockDevice.open(file, true)
                : FileBlockDevice.create(file, 4L << 20);
        ServerOptions o = ServerOptions.defaults();
        server = IscsiServer.start("127.0.0.1", 0, List.of(new TargetConfig(IQN,
                Map.of(0, new BlockDeviceLun(dev, "raw-0", 512)), AccessPolicy.open())),
                new ServerOptions(o.limits(), Duration.ofSeconds(5), keepalive, 8, o.discoveryAccess()));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A logged-in raw connection. */
    private record Session(Socket socket, FrameReader in, FrameWriter out) {}

    private Session login(String initiator) throws Exception {
        Socket s = new Socket("127.0.0.1", server.port());
        s.setSoTimeout(5000);
        FrameReader in = new FrameReader(s.getInputStream());
        FrameWriter out = new FrameWriter(s.getOutputStream());
        byte[] keys = TextKeys.encode(List.of(new Pair("InitiatorName", initiator), new Pair("TargetName", IQN),
                new Pair("AuthMethod", "None"), new Pair("InitialR2T", "Yes"), new Pair("ImmediateData", "No"),
                new Pair("MaxBurstLength", "1024"), new Pair("FirstBurstLength", "512"),
                new Pair("MaxOutstandingR2T", "2")));
        out.write(new Pdu.LoginRequest(true, false, 0, 3, 0, 0, 0x400000000001L, 0, 1, 0, 1, 0, Segment.of(keys)));
        Pdu.LoginResponse r = (Pdu.LoginResponse) in.read();
        assertThat(r.statusClass()).isZero();
        assertThat(r.transit()).isTrue();
        assertThat(r.tsih()).isNotZero();
        return new Session(s, in, out);
    }

    /** The next PDU that is not a keepalive ping; pings are answered on the way. */
    private static Pdu next(Session s) throws Exception {
        while (true) {
            Pdu p = s.in().read();
            if (p instanceof Pdu.NopIn ping && ping.itt() == Opcode.NO_TAG) {
                s.out().write(new Pdu.NopOut(true, 0, Opcode.NO_TAG, ping.ttt(), 1, 0, Segment.EMPTY));
                continue;
            }
            return p;
        }
    }

    @Test
    void malformedPduDropsOnlyThatConnection() throws Exception {
        Session healthy = login("iqn.2026-12.io.keel:one");
        try (Socket bad = new Socket("127.0.0.1", server.port())) {
            bad.setSoTimeout(5000);
            byte[] garbage = new byte[48];
            garbage[0] = 0x1e; // no such opcode
            bad.getOutputStream().write(garbage);
            InputStream in = bad.getInputStream();
            assertThat(in.read()).isEqualTo(-1); // closed without a word
        }
        healthy.out().write(new Pdu.NopOut(true, 0, 5, Opcode.NO_TAG, 1, 0, Segment.of("hi".getBytes())));
        Pdu.NopIn pong = (Pdu.NopIn) next(healthy);
        assertThat(pong.itt()).isEqualTo(5);
        assertThat(new String(pong.data().bytes())).isEqualTo("hi");
        healthy.socket().close();
    }

    @Test
    void solicitedWriteThroughSeveralR2tsThenReadOnASecondSession() throws Exception {
        Session a = login("iqn.2026-12.io.keel:writer");
        byte[] cdb = ByteBuffer.allocate(16).put(0, (byte) 0x2a).putInt(2, 8).putShort(7, (short) 4).array();
        a.out().write(new Pdu.ScsiCommand(false, true, false, true, 1, 0, 0x77, 2048, 1, 0, Segment.of(cdb),
                Segment.EMPTY));
        // MaxBurstLength 1024 and MaxOutstandingR2T 2: two R2Ts of 1024 bytes at once.
        Pdu.R2t first = (Pdu.R2t) next(a);
        Pdu.R2t second = (Pdu.R2t) next(a);
        assertThat(first.bufferOffset()).isZero();
        assertThat(first.desiredLength()).isEqualTo(1024);
        assertThat(second.bufferOffset()).isEqualTo(1024);
        assertThat(second.r2tSn()).isEqualTo(1);
        for (Pdu.R2t r2t : List.of(first, second)) {
            for (int k = 0; k < 2; k++) {
                byte[] chunk = new byte[512];
                java.util.Arrays.fill(chunk, (byte) (r2t.bufferOffset() / 512 + k + 1));
                a.out().write(new Pdu.DataOut(k == 1, 0, 0x77, r2t.ttt(), 0, k, r2t.bufferOffset() + 512 * k,
                        Segment.of(chunk)));
            }
        }
        Pdu.ScsiResponse done = (Pdu.ScsiResponse) next(a);
        assertThat(done.status()).isZero();
        assertThat(done.itt()).isEqualTo(0x77);

        Session b = login("iqn.2026-12.io.keel:reader");
        byte[] read = ByteBuffer.allocate(16).put(0, (byte) 0x28).putInt(2, 8).putShort(7, (short) 4).array();
        b.out().write(new Pdu.ScsiCommand(false, true, true, false, 1, 0, 0x99, 2048, 1, 0, Segment.of(read),
                Segment.EMPTY));
        Pdu.DataIn data = (Pdu.DataIn) next(b);
        assertThat(data.statusPresent()).isTrue();
        assertThat(data.data().bytes()[0]).isEqualTo((byte) 1);
        assertThat(data.data().bytes()[1536]).isEqualTo((byte) 4);
        a.socket().close();
        b.socket().close();
    }

    @Test
    void silentInitiatorIsDroppedByTheKeepalive() throws Exception {
        start(Duration.ofMillis(300));
        Session s = login("iqn.2026-12.io.keel:silent");
        Pdu.NopIn ping = (Pdu.NopIn) s.in().read();
        assertThat(ping.itt()).isEqualTo(Opcode.NO_TAG);
        assertThat(ping.ttt()).isNotEqualTo(Opcode.NO_TAG);
        // Not answering: the next interval closes the connection.
        assertThat(s.in().read()).isNull();
        s.socket().close();
    }

    @Test
    void answeredKeepalivesKeepTheConnection() throws Exception {
        start(Duration.ofMillis(1000));
        Session s = login("iqn.2026-12.io.keel:chatty");
        for (int i = 0; i < 3; i++) {
            Pdu.NopIn ping = (Pdu.NopIn) s.in().read();
            s.out().write(new Pdu.NopOut(true, 0, Opcode.NO_TAG, ping.ttt(), 1, ping.statSn() + 1, Segment.EMPTY));
        }
        s.out().write(new Pdu.LogoutRequest(true, 0, 9, 0, 1, 0));
        Pdu p = s.in().read();
        while (p instanceof Pdu.NopIn) {
            p = s.in().read();
        }
        assertThat(p).isInstanceOf(Pdu.LogoutResponse.class);
        s.socket().close();
    }
}
