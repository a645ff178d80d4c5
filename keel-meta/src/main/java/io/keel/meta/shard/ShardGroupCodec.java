package io.keel.meta.shard;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Several independent batches in one Raft log entry (group commit, ADR 0050), and their outcomes.
 *
 * <p>Layout: the version byte {@link #VERSION} (which a version-1 batch never starts with), a
 * varint count of 2 to {@link #MAX_BATCHES} members, then each member as a varint length and its
 * version-1 bytes ({@link ShardCodec}). Outcomes mirror it: {@link #VERSION}, the count, then each
 * member's version-1 outcome with its length. Strict like {@link ShardCodec}: a malformed group is
 * refused whole.
 */
public final class ShardGroupCodec {
    public static final byte VERSION = 2;
    public static final int MAX_BATCHES = 64;
    /** Members together; a larger batch is committed alone. */
    public static final int MAX_BYTES = 4 * 1024 * 1024;

    private ShardGroupCodec() {
    }

    /** Whether {@code command} is a group rather than a single version-1 batch. */
    public static boolean isGroup(byte[] command) {
        return command.length > 0 && command[0] == VERSION;
    }

    /** @param members encoded version-1 batches, at least two */
    public static byte[] encode(List<byte[]> members) {
        return frame(members, "batches");
    }

    /** The members' version-1 bytes; each still has to be decoded on its own. */
    public static List<byte[]> decode(byte[] command) {
        return unframe(command, "batch");
    }

    public static byte[] encodeOutcomes(List<byte[]> outcomes) {
        return frame(outcomes, "outcomes");
    }

    public static List<ShardOutcome> decodeOutcomes(byte[] bytes, int expected) {
        List<byte[]> parts = unframe(bytes, "outcome");
        if (parts.size() != expected) {
            throw new IllegalArgumentException("group outcome has " + parts.size() + " members, expected " + expected);
        }
        List<ShardOutcome> out = new ArrayList<>(parts.size());
        for (byte[] p : parts) {
            out.add(ShardCodec.decodeOutcome(p));
        }
        return out;
    }

    private static byte[] frame(List<byte[]> members, String what) {
        Objects.requireNonNull(members, what);
        if (members.size() < 2 || members.size() > MAX_BATCHES) {
            throw new IllegalArgumentException("a group holds 2 to " + MAX_BATCHES + " " + what + ", not "
                    + members.size());
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            ShardCodec.writeVarint(out, members.size());
            for (byte[] m : members) {
                ShardCodec.writeVarint(out, m.length);
                out.write(m);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static List<byte[]> unframe(byte[] bytes, String what) {
        Objects.requireNonNull(bytes, "bytes");
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (ShardCodec.readByte(in) != VERSION) {
            throw new IllegalArgumentException("not a group (version byte " + bytes[0] + ")");
        }
        int n = ShardCodec.readVarint(in);
        if (n < 2 || n > MAX_BATCHES) {
            throw new IllegalArgumentException("group of " + n + " members, must be 2 to " + MAX_BATCHES);
        }
        List<byte[]> members = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int length = ShardCodec.readVarint(in);
            if (length > in.remaining()) {
                throw new IllegalArgumentException(what + " " + i + " of " + length + " bytes runs past the end");
            }
            byte[] m = new byte[length];
            in.get(m);
            members.add(m);
        }
        if (in.hasRemaining()) {
            throw new IllegalArgumentException(in.remaining() + " trailing bytes after the group");
        }
        return members;
    }
}
