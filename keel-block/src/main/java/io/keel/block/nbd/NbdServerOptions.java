package io.keel.block.nbd;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and policy for an {@link NbdServer}. Every length a client sends is checked against these
 * before anything is allocated for it.
 *
 * @param maxRequestLength largest read or write payload, advertised as the maximum block size;
 *     a larger read gets EINVAL, a larger write ends the connection (its payload cannot be trusted)
 * @param maxOptionLength largest option payload accepted during handshake; larger ends the connection
 * @param maxOptions options a client may send before it must pick an export
 * @param maxInflightBytes read/write payload bytes one connection may have in flight at once
 * @param maxInflightRequests requests one connection may have in flight at once
 * @param readOnly serve every export read-only (exports are then opened without write access)
 * @param maxConnections connections open at once, in handshake or transmission; more are closed
 *     as soon as they are accepted, so a flood of connections cannot exhaust threads and memory
 * @param handshakeTimeout how long the handshake may wait on one read from or write to the client
 *     before the connection is closed; a client that connects and says nothing, or stalls, would
 *     otherwise hold a connection slot for ever. Transmission is never timed out: a VM's disk may
 *     rightly sit idle for days.
 */
public record NbdServerOptions(
        int maxRequestLength,
        int maxOptionLength,
        int maxOptions,
        int maxInflightBytes,
        int maxInflightRequests,
        boolean readOnly,
        int maxConnections,
        Duration handshakeTimeout) {

    public static final int DEFAULT_MAX_REQUEST_LENGTH = 32 << 20;
    public static final int DEFAULT_MAX_CONNECTIONS = 256;
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);

    public NbdServerOptions {
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        if (maxRequestLength < 4096 || maxRequestLength > (1 << 30)) {
            throw new IllegalArgumentException("maxRequestLength must be in [4 KiB, 1 GiB]: " + maxRequestLength);
        }
        if (maxOptionLength < 1024 || maxOptionLength > (16 << 20)) {
            throw new IllegalArgumentException("maxOptionLength must be in [1 KiB, 16 MiB]: " + maxOptionLength);
        }
        if (maxOptions < 1) {
            throw new IllegalArgumentException("maxOptions must be positive: " + maxOptions);
        }
        if (maxInflightBytes < maxRequestLength) {
            throw new IllegalArgumentException("maxInflightBytes must be at least maxRequestLength");
        }
        if (maxInflightRequests < 1) {
            throw new IllegalArgumentException("maxInflightRequests must be positive: " + maxInflightRequests);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be positive: " + maxConnections);
        }
        if (handshakeTimeout.compareTo(Duration.ofMillis(1)) < 0 || handshakeTimeout.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("handshakeTimeout must be in [1 ms, 1 day]: " + handshakeTimeout);
        }
    }

    /**
     * 32 MiB requests, 64 KiB options, 64 MiB and 256 requests in flight per connection, writable,
     * 256 connections, 30 s handshake timeout.
     */
    public static NbdServerOptions defaults() {
        return new NbdServerOptions(DEFAULT_MAX_REQUEST_LENGTH, 64 << 10, 1024, 64 << 20, 256, false,
                DEFAULT_MAX_CONNECTIONS, DEFAULT_HANDSHAKE_TIMEOUT);
    }

    public NbdServerOptions withReadOnly(boolean ro) {
        return new NbdServerOptions(maxRequestLength, maxOptionLength, maxOptions, maxInflightBytes,
                maxInflightRequests, ro, maxConnections, handshakeTimeout);
    }

    public NbdServerOptions withMaxRequestLength(int length) {
        return new NbdServerOptions(length, maxOptionLength, maxOptions, Math.max(maxInflightBytes, length),
                maxInflightRequests, readOnly, maxConnections, handshakeTimeout);
    }

    public NbdServerOptions withMaxInflight(int bytes, int requests) {
        return new NbdServerOptions(maxRequestLength, maxOptionLength, maxOptions, bytes, requests, readOnly,
                maxConnections, handshakeTimeout);
    }

    public NbdServerOptions withMaxConnections(int connections) {
        return new NbdServerOptions(maxRequestLength, maxOptionLength, maxOptions, maxInflightBytes,
                maxInflightRequests, readOnly, connections, handshakeTimeout);
    }

    public NbdServerOptions withHandshakeTimeout(Duration timeout) {
        return new NbdServerOptions(maxRequestLength, maxOptionLength, maxOptions, maxInflightBytes,
                maxInflightRequests, readOnly, maxConnections, timeout);
    }
}
