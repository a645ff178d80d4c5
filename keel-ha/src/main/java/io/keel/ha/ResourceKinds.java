package io.keel.ha;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/** The kinds of resource a cluster knows, by name. Immutable: registering returns a new registry. */
public final class ResourceKinds {
    private final Map<String, ResourceKind> kinds;

    private ResourceKinds(Map<String, ResourceKind> kinds) {
        this.kinds = kinds;
    }

    /** The kinds this release ships: VMs, the admin virtual IP and iSCSI LUN paths. */
    public static ResourceKinds builtIn() {
        return new ResourceKinds(Map.of()).register(ResourceKind.VM).register(ResourceKind.VIP)
                .register(ResourceKind.ISCSI);
    }

    public ResourceKinds register(ResourceKind kind) {
        Objects.requireNonNull(kind, "kind");
        if (kinds.containsKey(kind.name())) {
            throw new IllegalArgumentException("resource kind " + kind.name() + " is already registered");
        }
        TreeMap<String, ResourceKind> more = new TreeMap<>(kinds);
        more.put(kind.name(), kind);
        return new ResourceKinds(Map.copyOf(more));
    }

    public Optional<ResourceKind> find(String name) {
        return Optional.ofNullable(kinds.get(name));
    }

    /** The kind a resource id names by its prefix ({@code vm:web} is a VM). */
    public ResourceKind ofId(String resourceId) {
        int colon = resourceId.indexOf(':');
        String prefix = colon < 0 ? resourceId : resourceId.substring(0, colon);
        return find(prefix).orElseThrow(() -> new IllegalArgumentException(
                "unknown resource kind in " + resourceId + ": known kinds are " + names()));
    }

    public Collection<String> names() {
        return List.copyOf(new TreeMap<>(kinds).keySet());
    }
}
