package io.keel.block.nbd;

import static io.keel.block.nbd.NbdConstants.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Client byte streams for fuzzing whole connections: mostly well-formed sessions with hostile
 * lengths, offsets and flags, then randomly corrupted or cut short, so the parsers are reached in
 * every state rather than failing at the greeting.
 */
final class SessionStreams {
    static final int DEVICE_SIZE = 1 << 20;
    static final NbdServerOptions OPTIONS = new NbdServerOptions(64 << 10, 64 << 10, 16, 256 << 10, 16, false,
            NbdServerOptions.DEFAULT_MAX_CONNECTIONS, NbdServerOptions.DEFAULT_HANDSHAKE_TIMEOUT);

    private SessionStreams() {}

    /** Result of feeding one stream to a fresh connection. */
    record Run(NbdConnection.Outcome outcome, long peakBufferBytes, long outputBytes) {}

    /** Serves one connection over {@code input} against a 1 MiB in-memory export named "disk". */
    static Run serve(byte[] input, boolean readOnly) {
        MemoryBlockDevice device = new MemoryBlockDevice(DEVICE_SIZE, readOnly);
        CountingSink sink = new CountingSink();
        NbdConnection c = new NbdConnection(Channels.newChannel(new ByteArrayInputStream(input)), sink,
                MemoryBlockDevice.exports("disk", device), OPTIONS, "fuzz");
        AtomicReference<NbdConnection.Outcome> outcome = new AtomicReference<>();
        Thread t = Thread.ofVirtual().start(() -> outcome.set(c.serve()));
        try {
            if (!t.join(java.time.Duration.ofSeconds(20))) {
                throw new AssertionError("connection did not finish");
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return new Run(outcome.get(), c.peakBufferBytes(), sink.bytes());
    }

    static byte[] generate(Random r) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(r.nextInt(12) == 0 ? r.nextInt() : (r.nextBoolean() ? 3 : 1));
            int options = r.nextInt(4);
            for (int i = 0; i < options; i++) {
                option(r, out);
            }
            int end = r.nextInt(20);
            if (end < 16) {
                opt(out, NBD_OPT_GO, query("disk", r.nextInt(3)));
            } else if (end < 18) {
                opt(out, NBD_OPT_EXPORT_NAME, "disk".getBytes(StandardCharsets.UTF_8));
            } else if (end == 18) {
                opt(out, NBD_OPT_ABORT, new byte[0]);
            }
            int requests = r.nextInt(40);
            for (int i = 0; i < requests; i++) {
                request(r, out);
            }
            byte[] stream = bytes.toByteArray();
            return mutate(r, stream);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void option(Random r, DataOutputStream out) throws IOException {
        switch (r.nextInt(9)) {
            case 0 -> opt(out, NBD_OPT_LIST, new byte[0]);
            case 1 -> opt(out, NBD_OPT_INFO, query(r.nextBoolean() ? "disk" : "other", r.nextInt(5)));
            case 2 -> opt(out, NBD_OPT_GO, query("missing", 1));
            case 3 -> opt(out, NBD_OPT_STRUCTURED_REPLY, new byte[0]);
            case 4 -> opt(out, r.nextInt(), randomBytes(r, r.nextInt(64)));
            case 5 -> {
                byte[] q = query("disk", 2);
                q[r.nextInt(q.length)] ^= (byte) (1 + r.nextInt(255));
                opt(out, r.nextBoolean() ? NBD_OPT_GO : NBD_OPT_INFO, q);
            }
            case 6 -> {
                // A length field far beyond what follows or what the server accepts.
                out.writeLong(IHAVEOPT);
                out.writeInt(NBD_OPT_GO);
                out.writeInt(r.nextBoolean() ? -1 : r.nextInt(1 << 20));
            }
            case 7 -> opt(out, NBD_OPT_STARTTLS, randomBytes(r, r.nextInt(3)));
            default -> opt(out, r.nextInt(12), randomBytes(r, r.nextInt(40)));
        }
    }

    private static void request(Random r, DataOutputStream out) throws IOException {
        int[] types = {NBD_CMD_READ, NBD_CMD_READ, NBD_CMD_WRITE, NBD_CMD_WRITE, NBD_CMD_FLUSH, NBD_CMD_TRIM,
            NBD_CMD_WRITE_ZEROES, 5, 7, NBD_CMD_DISC};
        int type = r.nextInt(20) == 0 ? r.nextInt(1 << 16) : types[r.nextInt(types.length)];
        int flags = switch (r.nextInt(8)) {
            case 0 -> r.nextInt(1 << 16);
            case 1, 2 -> NBD_CMD_FLAG_FUA;
            case 3 -> NBD_CMD_FLAG_NO_HOLE;
            default -> 0;
        };
        long offset = switch (r.nextInt(8)) {
            case 0 -> r.nextLong();
            case 1 -> DEVICE_SIZE - r.nextInt(4096);
            default -> r.nextInt(DEVICE_SIZE / 512) * 512L;
        };
        long length = switch (r.nextInt(8)) {
            case 0 -> Integer.toUnsignedLong(r.nextInt());
            case 1 -> 0;
            case 2 -> (64 << 10) + r.nextInt(2);
            default -> 1 + r.nextInt(16 << 10);
        };
        out.writeInt(r.nextInt(50) == 0 ? r.nextInt() : NBD_REQUEST_MAGIC);
        out.writeShort(flags);
        out.writeShort(type);
        out.writeLong(r.nextLong());
        out.writeLong(offset);
        out.writeInt((int) length);
        if (type == NBD_CMD_WRITE) {
            out.write(randomBytes(r, (int) Math.min(length, 70_000)));
        }
    }

    private static byte[] mutate(Random r, byte[] stream) {
        byte[] s = stream;
        if (s.length > 0 && r.nextInt(3) == 0) {
            for (int i = 1 + r.nextInt(5); i > 0; i--) {
                s[r.nextInt(s.length)] ^= (byte) (1 + r.nextInt(255));
            }
        }
        if (s.length > 0 && r.nextInt(5) == 0) {
            s = java.util.Arrays.copyOf(s, r.nextInt(s.length));
        }
        return s;
    }

    private static void opt(DataOutputStream out, int option, byte[] data) throws IOException {
        out.writeLong(IHAVEOPT);
        out.writeInt(option);
        out.writeInt(data.length);
        out.write(data);
    }

    private static byte[] query(String name, int infos) {
        return RawNbdClient.exportQuery(name, java.util.stream.IntStream.range(0, infos).toArray());
    }

    private static byte[] randomBytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }
}
