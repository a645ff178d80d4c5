package io.keel.iscsi.target;

import io.keel.iscsi.login.AccessPolicy;
import io.keel.iscsi.login.TargetLimits;
import java.time.Duration;
import java.util.Objects;

/**
 * @param loginTimeout     a login that stalls on its initiator longer than this is dropped
 * @param keepalive        an idle connection gets a NOP-In this often; if the previous one is still
 *                         unanswered the connection is dropped (so a dead peer goes after 2 intervals)
 * @param maxConnections   connections beyond this are closed on accept
 * @param discoveryAccess  who may open discovery sessions
 */
public record ServerOptions(TargetLimits limits, Duration loginTimeout, Duration keepalive, int maxConnections,
        AccessPolicy discoveryAccess) {
    public ServerOptions {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(loginTimeout, "loginTimeout");
        Objects.requireNonNull(keepalive, "keepalive");
        Objects.requireNonNull(discoveryAccess, "discoveryAccess");
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections " + maxConnections);
        }
    }

    public static ServerOptions defaults() {
        return new ServerOptions(TargetLimits.defaults(), Duration.ofSeconds(30), Duration.ofSeconds(15), 256,
                AccessPolicy.open());
    }
}
