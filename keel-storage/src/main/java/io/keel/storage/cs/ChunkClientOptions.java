package io.keel.storage.cs;

import java.time.Duration;
import java.util.Objects;

/**
 * @param connectTimeout how long to wait for the TCP connection and the protocol handshake
 * @param ioTimeout      how long one request may take, from sending to its reply. A request that
 *                       takes longer closes the connection: with one connection per service a
 *                       stuck peer stalls everything, and the caller must treat it as failed.
 */
public record ChunkClientOptions(Duration connectTimeout, Duration ioTimeout) {
    public ChunkClientOptions {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(ioTimeout, "ioTimeout");
        if (connectTimeout.isNegative() || connectTimeout.isZero() || ioTimeout.isNegative() || ioTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive: " + connectTimeout + ", " + ioTimeout);
        }
    }

    /** 5 s to connect, 30 s per request. */
    public static ChunkClientOptions defaults() {
        return new ChunkClientOptions(Duration.ofSeconds(5), Duration.ofSeconds(30));
    }
}
