package io.keel.storage.cs;

import java.util.List;

/**
 * The one-byte operation code of a frame. Requests use 0x01-0x7F, replies 0x80-0xFF, so a frame
 * sent the wrong way is recognisable on sight.
 */
public enum Opcode {
    HELLO(0x01),
    CREATE(0x02),
    DELETE(0x03),
    STAT(0x04),
    LIST(0x05),
    WRITE(0x06),
    READ(0x07),
    SET_VERSION(0x08),
    FLUSH(0x09),
    SCRUB(0x0A),
    SPACE(0x0B),
    TRIM(0x0C),
    EXTENTS(0x0D),
    HELLO_REPLY(0x81),
    OK(0x82),
    STAT_REPLY(0x83),
    LIST_REPLY(0x84),
    READ_REPLY(0x85),
    SCRUB_REPLY(0x86),
    SPACE_REPLY(0x87),
    EXTENTS_REPLY(0x88),
    FAILURE(0xFF);

    private static final List<Opcode> ALL = List.of(values());

    private final int code;

    Opcode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The opcode for a byte value (0-255), or null if none. */
    static Opcode ofCode(int code) {
        for (Opcode op : ALL) {
            if (op.code == code) {
                return op;
            }
        }
        return null;
    }

    static Opcode of(Message m) {
        return switch (m) {
            case Request.Hello x -> HELLO;
            case Request.Create x -> CREATE;
            case Request.Delete x -> DELETE;
            case Request.Stat x -> STAT;
            case Request.ListChunks x -> LIST;
            case Request.Write x -> WRITE;
            case Request.Read x -> READ;
            case Request.SetVersion x -> SET_VERSION;
            case Request.Flush x -> FLUSH;
            case Request.Scrub x -> SCRUB;
            case Request.Space x -> SPACE;
            case Request.Trim x -> TRIM;
            case Request.Extents x -> EXTENTS;
            case Reply.HelloReply x -> HELLO_REPLY;
            case Reply.Ok x -> OK;
            case Reply.StatReply x -> STAT_REPLY;
            case Reply.ListReply x -> LIST_REPLY;
            case Reply.ReadReply x -> READ_REPLY;
            case Reply.ScrubReply x -> SCRUB_REPLY;
            case Reply.SpaceReply x -> SPACE_REPLY;
            case Reply.ExtentsReply x -> EXTENTS_REPLY;
            case Reply.Failure x -> FAILURE;
        };
    }
}
