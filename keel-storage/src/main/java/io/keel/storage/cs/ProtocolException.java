package io.keel.storage.cs;

import java.io.IOException;

/**
 * A peer sent bytes that are not a valid frame: bad magic, a length out of bounds, an unknown
 * opcode, a field that runs past the frame, or a frame cut short. The connection cannot be
 * resynchronised afterwards, so it is closed.
 */
public final class ProtocolException extends IOException {
    public ProtocolException(String message) {
        super(message);
    }
}
