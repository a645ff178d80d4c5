package io.keel.block.nbd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A deliberately dumb NBD client for tests: frames are built byte by byte here, independently of the
 * server's codec, so a symmetric codec bug cannot hide. Every read has a timeout.
 */
final class RawNbdClient implements AutoCloseable {
    static final long NBDMAGIC = 0x4e42444d41474943L;
    static final long IHAVEOPT = 0x49484156454f5054L;
    static final long REPLY_MAGIC = 0x0003e889045565a9L;

    record OptReply(int option, int type, byte[] data) {
        boolean isError() {
            return type < 0;
        }

        String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    record Export(long size, int flags) {}

    record Reply(int error, long cookie, byte[] data) {}

    private final Socket socket;
    final DataInputStream in;
    final DataOutputStream out;
    final int handshakeFlags;

    private RawNbdClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
        assertThat(in.readLong()).isEqualTo(NBDMAGIC);
        assertThat(in.readLong()).isEqualTo(IHAVEOPT);
        this.handshakeFlags = in.readUnsignedShort();
    }

    /** Connects and reads the greeting; client flags not yet sent. */
    static RawNbdClient connect(int port) throws IOException {
        return new RawNbdClient(new Socket("127.0.0.1", port));
    }

    /** Connects and sends FIXED_NEWSTYLE | NO_ZEROES. */
    static RawNbdClient handshake(int port) throws IOException {
        RawNbdClient c = connect(port);
        c.clientFlags(3);
        return c;
    }

    /** Connects and enters transmission on {@code export} via NBD_OPT_GO. */
    static RawNbdClient open(int port, String export) throws IOException {
        RawNbdClient c = handshake(port);
        c.go(export);
        return c;
    }

    void clientFlags(int flags) throws IOException {
        out.writeInt(flags);
        out.flush();
    }

    void option(int option, byte[] data) throws IOException {
        out.writeLong(IHAVEOPT);
        out.writeInt(option);
        out.writeInt(data.length);
        out.write(data);
        out.flush();
    }

    static byte[] exportQuery(String name, int... infos) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 + n.length + 2 + 2 * infos.length);
        b.putInt(n.length).put(n).putShort((short) infos.length);
        for (int i : infos) {
            b.putShort((short) i);
        }
        return b.array();
    }

    OptReply readOptionReply() throws IOException {
        assertThat(in.readLong()).as("option reply magic").isEqualTo(REPLY_MAGIC);
        int option = in.readInt();
        int type = in.readInt();
        int len = in.readInt();
        assertThat(len).isBetween(0, 1 << 20);
        byte[] data = new byte[len];
        in.readFully(data);
        return new OptReply(option, type, data);
    }

    /** Reads replies up to and including the final one (ACK or an error). */
    List<OptReply> readFinal() throws IOException {
        List<OptReply> replies = new ArrayList<>();
        while (true) {
            OptReply r = readOptionReply();
            replies.add(r);
            if (r.type() == 1 || r.isError()) {
                return replies;
            }
        }
    }

    /** NBD_OPT_GO; asserts success and returns size and transmission flags. */
    Export go(String name) throws IOException {
        option(7, exportQuery(name, 3));
        Export export = null;
        for (OptReply r : readFinal()) {
            assertThat(r.isError()).as("GO %s failed: %s", name, r.text()).isFalse();
            if (r.type() == 3 && r.data().length == 12 && r.data()[0] == 0 && r.data()[1] == 0) {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(r.data(), 2, 10);
                export = new Export(b.getLong(), Short.toUnsignedInt(b.getShort()));
            }
        }
        assertThat(export).as("NBD_INFO_EXPORT").isNotNull();
        return export;
    }

    void request(int flags, int type, long cookie, long offset, long length, byte[] payload) throws IOException {
        out.writeInt(0x25609513);
        out.writeShort(flags);
        out.writeShort(type);
        out.writeLong(cookie);
        out.writeLong(offset);
        out.writeInt((int) length);
        if (payload != null) {
            out.write(payload);
        }
    }

    void flush() throws IOException {
        out.flush();
    }

    /** Reads one simple reply; {@code readLength} payload bytes follow if it is a successful read. */
    Reply reply(int readLength) throws IOException {
        assertThat(in.readInt()).as("simple reply magic").isEqualTo(0x67446698);
        int error = in.readInt();
        long cookie = in.readLong();
        byte[] data = new byte[error == 0 ? readLength : 0];
        in.readFully(data);
        return new Reply(error, cookie, data);
    }

    Reply read(long cookie, long offset, int length) throws IOException {
        request(0, 0, cookie, offset, length, null);
        flush();
        return reply(length);
    }

    Reply write(long cookie, int flags, long offset, byte[] data) throws IOException {
        request(flags, 1, cookie, offset, data.length, data);
        flush();
        return reply(0);
    }

    Reply command(int type, int flags, long cookie, long offset, long length) throws IOException {
        request(flags, type, cookie, offset, length, null);
        flush();
        return reply(0);
    }

    void disconnect() throws IOException {
        request(0, 2, 0, 0, 0, null);
        flush();
    }

    /** True if the server closes the connection (EOF or reset) before the timeout. */
    boolean closedByServer() throws IOException {
        try {
            InputStream raw = in;
            while (raw.read() >= 0) {
                // Drain whatever the server sent before closing.
            }
            return true;
        } catch (EOFException | SocketException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
