package io.keel.block.nbd;

import java.io.IOException;

/**
 * The peer broke the protocol badly enough that the stream cannot be trusted any more (bad magic,
 * oversized length field, truncated frame). The only response is to drop the connection.
 */
public final class NbdProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    public NbdProtocolException(String message) {
        super(message);
    }
}
