package io.keel.api.console;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Where an {@link Upstream} delivers what the console sends. */
public interface ConsoleSink {
    /**
     * Console output, in order. Blocks until handed on, which is what pushes back on a console
     * producing faster than the client reads. The buffer is only valid during the call.
     *
     * @throws IOException when the client is gone; the upstream then stops
     */
    void data(ByteBuffer bytes) throws IOException;

    /** The console side ended (QEMU closed the socket, the peer node closed); called at most once. */
    void ended(String reason);
}
