package io.keel.meta.cluster;

import java.util.List;
import java.util.Objects;

public record NetInterface(String name, String mac, List<String> addresses, boolean up, int mtu) {
    public NetInterface {
        Objects.requireNonNull(name, "name");
        addresses = List.copyOf(addresses);
    }
}
