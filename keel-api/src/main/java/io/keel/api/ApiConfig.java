package io.keel.api;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How the API server listens.
 *
 * @param bindHost address to bind, e.g. "0.0.0.0" or "127.0.0.1"
 * @param port TCP port; 0 picks a free one (see {@link ApiServer#port()})
 * @param tls null for plain HTTP; otherwise the port speaks HTTPS only
 * @param sessionTtl lifetime of login tokens; null means {@link #DEFAULT_SESSION_TTL}
 * @param nodeId this node's id, reported by {@code /api/v1/health}
 * @param clock time source for issuing and checking session tokens; null means the system UTC clock
 */
public record ApiConfig(String bindHost, int port, TlsConfig tls, Duration sessionTtl, String nodeId, Clock clock) {
    public static final Duration DEFAULT_SESSION_TTL = Duration.ofHours(12);

    public ApiConfig {
        Objects.requireNonNull(bindHost, "bindHost");
        Objects.requireNonNull(nodeId, "nodeId");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        sessionTtl = sessionTtl == null ? DEFAULT_SESSION_TTL : sessionTtl;
        if (sessionTtl.isNegative() || sessionTtl.isZero()) {
            throw new IllegalArgumentException("sessionTtl must be positive");
        }
        clock = clock == null ? Clock.systemUTC() : clock;
    }

    /** With the system clock. */
    public ApiConfig(String bindHost, int port, TlsConfig tls, Duration sessionTtl, String nodeId) {
        this(bindHost, port, tls, sessionTtl, nodeId, null);
    }
}
