package io.keel.meta.raft;

import java.util.Objects;

/**
 * One member of the metadata Raft group.
 *
 * @param id the Raft peer id, which is also the Keel node id
 * @param host the host name or IP address other members and clients dial
 * @param port the Raft (netty) port
 */
public record Peer(String id, String host, int port) {
    public Peer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(host, "host");
        if (id.isBlank()) {
            throw new IllegalArgumentException("peer id must not be blank");
        }
        if (host.isBlank()) {
            throw new IllegalArgumentException("peer host must not be blank");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("peer port out of range: " + port);
        }
    }

    /** The "host:port" form Ratis uses, with IPv6 literals bracketed. */
    String address() {
        return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }
}
