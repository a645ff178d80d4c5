package io.keel.block.nbd;

import static io.keel.block.nbd.NbdConstants.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class NbdCodecTest {

    @Test
    void greetingIsNbdmagicIhaveoptAndFlags() {
        ByteBuffer g = OptionCodec.encodeGreeting();
        assertThat(g.remaining()).isEqualTo(18);
        assertThat(g.getLong()).isEqualTo(NBDMAGIC);
        assertThat(g.getLong()).isEqualTo(IHAVEOPT);
        assertThat(g.getShort()).isEqualTo((short) (NBD_FLAG_FIXED_NEWSTYLE | NBD_FLAG_NO_ZEROES));
    }

    @Test
    void clientFlagsBeyondTheKnownOnesAreRejected() throws Exception {
        assertThat(OptionCodec.checkClientFlags(0)).isZero();
        assertThat(OptionCodec.checkClientFlags(3)).isEqualTo(3);
        assertThatThrownBy(() -> OptionCodec.checkClientFlags(4)).isInstanceOf(NbdProtocolException.class);
        assertThatThrownBy(() -> OptionCodec.checkClientFlags(Integer.MIN_VALUE))
                .isInstanceOf(NbdProtocolException.class);
    }

    @Test
    void optionsRoundTrip() throws Exception {
        List<NbdOption> options = List.of(
                new NbdOption.ExportName("vol-1"),
                new NbdOption.ExportName(""),
                new NbdOption.Abort(),
                new NbdOption.ListExports(),
                new NbdOption.StartTls(),
                new NbdOption.StructuredReply(),
                new NbdOption.Info("disk", List.of(NBD_INFO_NAME, NBD_INFO_BLOCK_SIZE)),
                new NbdOption.Go("dïsk ✓", List.of()),
                new NbdOption.Go("x", List.of(0xffff)),
                new NbdOption.Unsupported(10));
        for (NbdOption o : options) {
            ByteBuffer frame = OptionCodec.encodeOption(o);
            OptionCodec.OptionHeader h = OptionCodec.decodeOptionHeader(frame, 1 << 16);
            assertThat(h.option()).isEqualTo(o.code());
            assertThat(h.length()).isEqualTo(frame.remaining());
            assertThat(OptionCodec.decodeOption(h.option(), frame)).isEqualTo(o);
        }
    }

    @Test
    void optionHeaderRejectsBadMagicAndOversizedLength() {
        ByteBuffer bad = ByteBuffer.allocate(16).putLong(NBDMAGIC).putInt(1).putInt(0).flip();
        assertThatThrownBy(() -> OptionCodec.decodeOptionHeader(bad, 100)).isInstanceOf(NbdProtocolException.class)
                .hasMessageContaining("magic");
        ByteBuffer big = ByteBuffer.allocate(16).putLong(IHAVEOPT).putInt(7).putInt(-1).flip();
        assertThatThrownBy(() -> OptionCodec.decodeOptionHeader(big, 65536))
                .isInstanceOf(NbdProtocolException.class).hasMessageContaining("4294967295");
    }

    @Test
    void malformedOptionPayloadsDecodeToInvalid() {
        assertThat(OptionCodec.decodeOption(NBD_OPT_LIST, ByteBuffer.wrap(new byte[1])))
                .isInstanceOf(NbdOption.Invalid.class);
        assertThat(OptionCodec.decodeOption(NBD_OPT_STRUCTURED_REPLY, ByteBuffer.wrap(new byte[4])))
                .isInstanceOf(NbdOption.Invalid.class);
        assertThat(OptionCodec.decodeOption(NBD_OPT_GO, ByteBuffer.wrap(new byte[5])))
                .isInstanceOf(NbdOption.Invalid.class);
        ByteBuffer nameTooLong = ByteBuffer.allocate(8).putInt(3).put((byte) 'a').putShort((short) 0).flip();
        assertThat(OptionCodec.decodeOption(NBD_OPT_GO, nameTooLong)).isInstanceOf(NbdOption.Invalid.class);
        ByteBuffer countMismatch = ByteBuffer.allocate(9).putInt(1).put((byte) 'a').putShort((short) 2)
                .putShort((short) 3).flip();
        assertThat(OptionCodec.decodeOption(NBD_OPT_INFO, countMismatch)).isInstanceOf(NbdOption.Invalid.class);
        ByteBuffer hugeName = ByteBuffer.allocate(10).putInt(-1).putShort((short) 0).flip();
        assertThat(OptionCodec.decodeOption(NBD_OPT_GO, hugeName)).isInstanceOf(NbdOption.Invalid.class);
        assertThat(OptionCodec.decodeOption(NBD_OPT_EXPORT_NAME, ByteBuffer.wrap(new byte[] {(byte) 0xc3, 0x28})))
                .as("invalid UTF-8").isInstanceOf(NbdOption.Invalid.class);
        assertThat(OptionCodec.decodeOption(NBD_OPT_EXPORT_NAME, ByteBuffer.wrap(new byte[] {'a', 0})))
                .as("NUL").isInstanceOf(NbdOption.Invalid.class);
        assertThat(OptionCodec.decodeOption(NBD_OPT_EXPORT_NAME, ByteBuffer.wrap(new byte[4097])))
                .as("over 4096 bytes").isInstanceOf(NbdOption.Invalid.class);
        assertThat(OptionCodec.decodeOption(12345, ByteBuffer.wrap(new byte[100])))
                .isEqualTo(new NbdOption.Unsupported(12345));
    }

    @Test
    void optionRepliesRoundTrip() throws Exception {
        List<OptionReply> replies = List.of(
                new OptionReply.Ack(),
                new OptionReply.Server("disk", "a description"),
                new OptionReply.Server("", ""),
                new OptionReply.InfoExport(1L << 40, 0x16d),
                new OptionReply.InfoName("disk"),
                new OptionReply.InfoDescription("file disk"),
                new OptionReply.InfoBlockSize(1, 4096, 32 << 20),
                new OptionReply.Error(NBD_REP_ERR_POLICY, "write lease held elsewhere"));
        for (OptionReply r : replies) {
            OptionCodec.ReplyFrame f = OptionCodec.decodeReply(OptionCodec.encodeReply(NBD_OPT_GO, r));
            assertThat(f).isEqualTo(new OptionCodec.ReplyFrame(NBD_OPT_GO, r));
        }
    }

    @Test
    void optionReplyWireFormatMatchesSpec() {
        ByteBuffer b = OptionCodec.encodeReply(NBD_OPT_GO, new OptionReply.InfoExport(4096, 3));
        assertThat(b.getLong()).isEqualTo(OPTION_REPLY_MAGIC);
        assertThat(b.getInt()).isEqualTo(NBD_OPT_GO);
        assertThat(b.getInt()).isEqualTo(NBD_REP_INFO);
        assertThat(b.getInt()).isEqualTo(12);
        assertThat(b.getShort()).isEqualTo((short) NBD_INFO_EXPORT);
        assertThat(b.getLong()).isEqualTo(4096);
        assertThat(b.getShort()).isEqualTo((short) 3);
        assertThat(b.hasRemaining()).isFalse();
    }

    @Test
    void exportNameReplyHasZeroesUnlessNoZeroes() {
        assertThat(OptionCodec.encodeExportNameReply(10, 1, false).remaining()).isEqualTo(134);
        ByteBuffer b = OptionCodec.encodeExportNameReply(10, 1, true);
        assertThat(b.remaining()).isEqualTo(10);
        assertThat(b.getLong()).isEqualTo(10);
        assertThat(b.getShort()).isEqualTo((short) 1);
    }

    @Test
    void requestsRoundTripIncludingUnsignedFields() throws Exception {
        List<NbdCommand> commands = List.of(
                new NbdCommand.Read(0, 1, 0, 4096),
                new NbdCommand.Write(NBD_CMD_FLAG_FUA, -1L, 1L << 40, 0xffffffffL),
                new NbdCommand.Disconnect(0, 0, 0, 0),
                new NbdCommand.Flush(0, 42, 0, 0),
                new NbdCommand.Trim(0, 43, 512, 512),
                new NbdCommand.WriteZeroes(NBD_CMD_FLAG_NO_HOLE, 44, -512, 1),
                new NbdCommand.Unknown(0xffff, 0xffff, 45, 0, 0));
        for (NbdCommand c : commands) {
            ByteBuffer b = RequestCodec.encodeRequest(c, ByteBuffer.allocate(REQUEST_HEADER_SIZE)).flip();
            assertThat(b.getInt(0)).isEqualTo(NBD_REQUEST_MAGIC);
            assertThat(RequestCodec.decodeRequest(b)).isEqualTo(c);
        }
        assertThat(new NbdCommand.WriteZeroes(NBD_CMD_FLAG_NO_HOLE, 0, 0, 0).noHole()).isTrue();
        assertThat(new NbdCommand.Write(NBD_CMD_FLAG_FUA, 0, 0, 0).fua()).isTrue();
    }

    @Test
    void requestWithBadMagicIsAProtocolError() {
        ByteBuffer b = ByteBuffer.allocate(REQUEST_HEADER_SIZE);
        b.putInt(NBD_SIMPLE_REPLY_MAGIC).position(REQUEST_HEADER_SIZE).flip();
        assertThatThrownBy(() -> RequestCodec.decodeRequest(b)).isInstanceOf(NbdProtocolException.class);
    }

    @Test
    void simpleReplyRoundTrip() throws Exception {
        ByteBuffer b = RequestCodec.encodeSimpleReply(NBD_ENOSPC, 0xdeadbeefL, ByteBuffer.allocate(16)).flip();
        assertThat(RequestCodec.decodeSimpleReply(b)).isEqualTo(new RequestCodec.SimpleReply(NBD_ENOSPC, 0xdeadbeefL));
        ByteBuffer bad = ByteBuffer.allocate(16);
        assertThatThrownBy(() -> RequestCodec.decodeSimpleReply(bad)).isInstanceOf(NbdProtocolException.class);
    }

    @Test
    void stringsAreStrictUtf8WithoutNul() {
        byte[] ok = "vol-ü".getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.wrap(ok);
        assertThat(OptionCodec.decodeString(b, ok.length)).isEqualTo("vol-ü");
        assertThat(b.hasRemaining()).isFalse();
        assertThat(OptionCodec.decodeString(ByteBuffer.wrap(new byte[] {(byte) 0xff}), 1)).isNull();
        ByteBuffer shortBuf = ByteBuffer.wrap(new byte[2]);
        assertThat(OptionCodec.decodeString(shortBuf, 10)).isNull();
    }

    @Test
    void errorReplyTypeMustHaveBit31() {
        assertThatThrownBy(() -> new OptionReply.Error(1, "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
