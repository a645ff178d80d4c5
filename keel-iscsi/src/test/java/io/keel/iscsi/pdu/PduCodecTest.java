package io.keel.iscsi.pdu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class PduCodecTest {
    private static final Segment CDB = Segment.of(new byte[] {0x28, 0, 0, 0, 0, 1, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0});

    static List<Pdu> samples() {
        Segment data = Segment.of("hello iSCSI".getBytes());
        return List.of(
                new Pdu.NopOut(true, 1L << 48, 7, Opcode.NO_TAG, 11, 12, data),
                new Pdu.ScsiCommand(false, true, true, false, 1, 0, 0x1234, 4096, 99, 5, CDB, Segment.EMPTY),
                new Pdu.ScsiCommand(false, false, false, true, 1, 0, 0x1235, 8192, 100, 5, CDB, data),
                new Pdu.TaskMgmtRequest(true, 1, 0, 9, 0x1234, 101, 6, 99, 0),
                new Pdu.LoginRequest(true, false, 1, 3, 0, 0, 0x23d000000001L, 0, 1, 0, 1, 0, data),
                new Pdu.TextRequest(true, true, false, 0, 3, Opcode.NO_TAG, 5, 6, data),
                new Pdu.DataOut(true, 0, 0x1235, 44, 6, 2, 65536, data),
                new Pdu.LogoutRequest(true, 0, 4, 0, 7, 8),
                new Pdu.SnackRequest(1, 0, 4, 0, 8, 0, 0),
                new Pdu.NopIn(0, Opcode.NO_TAG, 0x7f000001, 9, 10, 73, Segment.EMPTY),
                new Pdu.ScsiResponse(false, false, true, false, 0, 2, 0x1234, 0, 9, 10, 73, 0, 0, 512, data),
                new Pdu.TaskMgmtResponse(0, 9, 9, 10, 73),
                new Pdu.LoginResponse(true, false, 1, 3, 0, 0, 0x23d000000001L, 5, 1, 1, 1, 64, 0, 0, data),
                new Pdu.TextResponse(true, false, 0, 3, Opcode.NO_TAG, 9, 10, 73, data),
                new Pdu.DataIn(true, false, false, true, true, 0, 0, 0x1234, Opcode.NO_TAG, 9, 10, 73, 3, 8192, 100, data),
                new Pdu.LogoutResponse(0, 4, 9, 10, 73, 2, 20),
                new Pdu.R2t(0, 0x1235, 44, 9, 10, 73, 0, 65536, 262144),
                new Pdu.AsyncMessage(0, 9, 10, 73, 1, 0, 0, 2, 20, Segment.EMPTY),
                new Pdu.Reject(4, 9, 10, 73, 0, Segment.of(new byte[48])));
    }

    @Test
    void everyOpcodeRoundTripsWithAndWithoutDigests() throws Exception {
        for (boolean digests : new boolean[] {false, true}) {
            for (Pdu p : samples()) {
                byte[] frame = FrameWriter.encode(p, digests, digests);
                assertThat(frame.length % 4).as(p.toString()).isZero();
                FrameReader r = new FrameReader(new ByteArrayInputStream(frame));
                r.configure(digests, digests, 8192);
                assertThat(r.read()).as(p.toString()).isEqualTo(p);
                assertThat(r.read()).isNull();
            }
        }
    }

    @Test
    void theStreamingWriterSendsWhatEncodeBuilds() throws Exception {
        for (boolean digests : new boolean[] {false, true}) {
            java.io.ByteArrayOutputStream one = new java.io.ByteArrayOutputStream();
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
            FrameWriter single = new FrameWriter(one);
            FrameWriter batch = new FrameWriter(all);
            single.configure(digests, digests);
            batch.configure(digests, digests);
            List<Pdu> pdus = new java.util.ArrayList<>(samples());
            pdus.add(new Pdu.NopOut(true, 0, 1, Opcode.NO_TAG, 0, 0, Segment.of(new byte[] {1, 2, 3, 4, 5})));
            for (Pdu p : pdus) {
                single.write(p);
                expected.writeBytes(FrameWriter.encode(p, digests, digests));
            }
            batch.write(pdus, true);
            assertThat(one.toByteArray()).isEqualTo(expected.toByteArray());
            assertThat(all.toByteArray()).isEqualTo(expected.toByteArray());
        }
    }

    @Test
    void dataSegmentIsPaddedToAWord() {
        byte[] frame = FrameWriter.encode(new Pdu.NopOut(true, 0, 1, Opcode.NO_TAG, 0, 0, Segment.of(new byte[5])),
                false, false);
        assertThat(frame).hasSize(48 + 8);
        assertThat(frame[7]).isEqualTo((byte) 5);
    }

    @Test
    void crc32cMatchesTheRfcExamplesLeastSignificantByteFirst() {
        byte[] out = new byte[4];
        Digests.putLittleEndian(out, 0, Digests.crc32c(new byte[32], 0, 32, null, 0, 0));
        assertThat(HexFormat.of().formatHex(out)).isEqualTo("aa36918a");
        byte[] ones = new byte[32];
        java.util.Arrays.fill(ones, (byte) 0xff);
        assertThat(Digests.crc32c(ones, 0, 32, null, 0, 0)).isEqualTo(0x62a8ab43);
        byte[] ascending = new byte[32];
        for (int i = 0; i < 32; i++) {
            ascending[i] = (byte) i;
        }
        assertThat(Digests.crc32c(ascending, 0, 32, null, 0, 0)).isEqualTo(0x46dd794e);
    }

    private static byte[] frame(Pdu p) {
        return FrameWriter.encode(p, false, false);
    }

    private static void rejects(byte[] frame, String reason) {
        FrameReader r = new FrameReader(new ByteArrayInputStream(frame));
        assertThatThrownBy(r::read).isInstanceOf(PduException.class).hasMessageContaining(reason);
    }

    @Test
    void malformedFramesAreRefusedWithTheirReason() {
        byte[] f = frame(samples().getFirst());
        f[0] = 0x1f;
        rejects(f, "unknown opcode 0x1f");

        Pdu.LoginRequest login = (Pdu.LoginRequest) samples().get(4);
        f = frame(login);
        f[0] = Opcode.LOGIN_REQUEST;
        rejects(f, "without the I bit");
        f = frame(login);
        f[1] = (byte) 0xc7;
        rejects(f, "both T and C");
        f = frame(login);
        f[1] = (byte) (0x80 | (2 << 2) | 3);
        rejects(f, "reserved stage 2");
        f = frame(login);
        f[1] = (byte) (0x80 | (3 << 2) | 3);
        rejects(f, "full feature phase as current stage");

        f = frame(new Pdu.ScsiCommand(false, false, true, false, 1, 0, 1, 512, 1, 1, CDB, Segment.EMPTY));
        rejects(f, "without the W bit");

        f = frame(samples().get(3));
        f[1] = 0x01;
        rejects(f, "Task Management Request without the F bit");

        f = frame(new Pdu.TextRequest(true, true, false, 0, 3, Opcode.NO_TAG, 5, 6, Segment.EMPTY));
        f[1] = (byte) 0xc0;
        rejects(f, "both F and C");
    }

    @Test
    void lengthsAreCheckedBeforeAllocating() {
        byte[] f = frame(samples().getFirst());
        f[5] = 0x7f;
        rejects(f, "exceeds MaxRecvDataSegmentLength 8192");

        byte[] noData = frame(new Pdu.LogoutRequest(true, 0, 4, 0, 7, 8));
        byte[] withData = java.util.Arrays.copyOf(noData, 52);
        withData[7] = 4;
        rejects(withData, "Logout Request with a 4-byte data segment");
    }

    @Test
    void ahsRules() {
        byte[] bhs = frame(new Pdu.ScsiCommand(false, true, true, false, 1, 0, 1, 512, 1, 1, CDB, Segment.EMPTY));
        byte[] withAhs = java.util.Arrays.copyOf(bhs, 56);
        withAhs[4] = 2;
        // Extended CDB: length 5 (type byte + 4 CDB bytes... padded), type 1.
        withAhs[48] = 0;
        withAhs[49] = 5;
        withAhs[50] = 1;
        rejects(withAhs, "extended CDBs");
        withAhs[50] = 9;
        rejects(withAhs, "unknown AHS type 9");
        withAhs[49] = 40;
        rejects(withAhs, "does not fit TotalAHSLength");

        byte[] nop = java.util.Arrays.copyOf(frame(samples().get(9)), 52);
        nop[4] = 1;
        nop[48] = 0;
        nop[49] = 1;
        nop[50] = 2;
        rejects(nop, "AHS on opcode 0x20");
    }

    @Test
    void digestsMismatchesAreRefused() throws Exception {
        byte[] f = FrameWriter.encode(samples().getFirst(), true, true);
        byte[] header = f.clone();
        header[20] ^= 1;
        FrameReader r = new FrameReader(new ByteArrayInputStream(header));
        r.configure(true, true, 8192);
        assertThatThrownBy(r::read).isInstanceOf(PduException.class).hasMessageContaining("header digest mismatch");

        byte[] data = f.clone();
        data[52 + 1] ^= 1;
        r = new FrameReader(new ByteArrayInputStream(data));
        r.configure(true, true, 8192);
        assertThatThrownBy(r::read).isInstanceOf(PduException.class).hasMessageContaining("data digest mismatch");
    }

    @Test
    void aStreamEndingInsideAPduIsAnError() {
        byte[] f = frame(samples().getFirst());
        FrameReader r = new FrameReader(new ByteArrayInputStream(java.util.Arrays.copyOf(f, 30)));
        assertThatThrownBy(r::read).isInstanceOf(EOFException.class);
        FrameReader r2 = new FrameReader(new ByteArrayInputStream(java.util.Arrays.copyOf(f, 50)));
        assertThatThrownBy(r2::read).isInstanceOf(EOFException.class);
    }

    @Test
    void configureRefusesImpossibleLimits() {
        FrameReader r = new FrameReader(new ByteArrayInputStream(new byte[0]));
        assertThatThrownBy(() -> r.configure(false, false, 100)).isInstanceOf(IllegalArgumentException.class);
    }
}
