package io.keel.storage.cs;

import io.keel.storage.chunk.ChecksumMismatchException;
import io.keel.storage.chunk.ChunkException;
import io.keel.storage.chunk.ChunkExistsException;
import io.keel.storage.chunk.ChunkIOException;
import io.keel.storage.chunk.ChunkNotFoundException;
import io.keel.storage.chunk.DiskFullException;
import io.keel.storage.chunk.InvalidRequestException;
import io.keel.storage.chunk.StaleEpochException;
import io.keel.storage.chunk.VersionMismatchException;
import java.util.List;

/**
 * The wire code of each {@link ChunkException} type. The switch in {@link #of} is exhaustive
 * over the sealed hierarchy, so adding an exception type fails compilation until it has a code.
 */
public enum ErrorKind {
    NOT_FOUND(1),
    EXISTS(2),
    STALE_EPOCH(3),
    VERSION_MISMATCH(4),
    CHECKSUM_MISMATCH(5),
    DISK_FULL(6),
    INVALID_REQUEST(7),
    IO(8);

    private static final List<ErrorKind> ALL = List.of(values());

    private final int code;

    ErrorKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    static ErrorKind ofCode(int code) {
        for (ErrorKind k : ALL) {
            if (k.code == code) {
                return k;
            }
        }
        return null;
    }

    public static ErrorKind of(ChunkException e) {
        return switch (e) {
            case ChunkNotFoundException x -> NOT_FOUND;
            case ChunkExistsException x -> EXISTS;
            case StaleEpochException x -> STALE_EPOCH;
            case VersionMismatchException x -> VERSION_MISMATCH;
            case ChecksumMismatchException x -> CHECKSUM_MISMATCH;
            case DiskFullException x -> DISK_FULL;
            case InvalidRequestException x -> INVALID_REQUEST;
            case ChunkIOException x -> IO;
        };
    }
}
