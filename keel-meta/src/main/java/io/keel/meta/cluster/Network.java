package io.keel.meta.cluster;

import java.time.Instant;
import java.util.Objects;

/**
 * A virtual network VM NICs attach to.
 *
 * @param bridge the host's Linux bridge for {@link NetworkType#BRIDGE}, null for NAT
 */
public record Network(String name, NetworkType type, String bridge, Instant createdAt) {
    public Network {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }
}
