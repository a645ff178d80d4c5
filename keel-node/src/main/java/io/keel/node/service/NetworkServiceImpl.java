package io.keel.node.service;

import io.keel.api.ApiException;
import io.keel.api.NetworkService;
import io.keel.api.dto.AttachNicRequest;
import io.keel.api.dto.CreateNetworkRequest;
import io.keel.api.dto.NetworkView;
import io.keel.api.dto.VmView;
import io.keel.meta.cluster.ClusterCommand;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.Network;
import io.keel.meta.cluster.NetworkType;
import io.keel.meta.cluster.Vm;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/** Networks and VM NICs over the metadata (ADR 0023); the VM's host plugs and unplugs the devices. */
public final class NetworkServiceImpl implements NetworkService {
    private final MetaGateway meta;
    private final VmServiceImpl vms;
    private final Clock clock;
    private final SecureRandom random;

    public NetworkServiceImpl(MetaGateway meta, VmServiceImpl vms, Clock clock, SecureRandom random) {
        this.meta = Objects.requireNonNull(meta, "meta");
        this.vms = Objects.requireNonNull(vms, "vms");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public List<NetworkView> list() {
        ClusterState s = meta.state();
        return s.networks().stream().map(n -> view(s, n)).toList();
    }

    @Override
    public NetworkView get(String network) {
        ClusterState s = meta.state();
        return view(s, network(s, network));
    }

    @Override
    public NetworkView create(CreateNetworkRequest r) {
        if (r == null || r.name() == null || r.name().isBlank()) {
            throw ApiException.invalid("a network needs a name");
        }
        NetworkType type;
        try {
            type = NetworkType.valueOf(Objects.requireNonNullElse(r.type(), "").trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("network type must be bridge or nat, not '" + r.type() + "'");
        }
        meta.submit(new ClusterCommand.CreateNetwork(r.name(), type, r.bridge(), clock.instant()));
        return get(r.name());
    }

    @Override
    public void delete(String network) {
        meta.submit(new ClusterCommand.DeleteNetwork(network(meta.state(), network).name()));
    }

    @Override
    public VmView attachNic(String vm, AttachNicRequest r) {
        if (r == null || r.network() == null || r.network().isBlank()) {
            throw ApiException.invalid("the network is required: list them with 'keel network list'");
        }
        int seconds = VmServiceImpl.wait(r.waitSeconds());
        ClusterState s = meta.state();
        Vm v = VmServiceImpl.vm(s, vm);
        String mac = r.mac() != null ? mac(r.mac()) : freshMac(s, random, Set.of());
        meta.submit(new ClusterCommand.AttachVmNic(v.id(), r.network(), mac));
        return vms.await(v.id(), seconds, x -> x.nics().stream().anyMatch(n -> n.mac().equals(mac)));
    }

    @Override
    public VmView detachNic(String vm, String mac, Integer waitSeconds) {
        int seconds = VmServiceImpl.wait(waitSeconds);
        Vm v = VmServiceImpl.vm(meta.state(), vm);
        String m = mac(mac);
        meta.submit(new ClusterCommand.DetachVmNic(v.id(), m));
        return vms.await(v.id(), seconds, x -> x.nics().stream().noneMatch(n -> n.mac().equals(m)));
    }

    /** A MAC as the records keep it (lower case); its form is checked by the replicated logic. */
    static String mac(String text) {
        return text.trim().toLowerCase(Locale.ROOT).replace('-', ':');
    }

    /**
     * A locally administered-looking address in QEMU's 52:54:00 range, as libvirt and Proxmox VE give,
     * used by no NIC in the cluster nor in {@code alsoTaken}.
     */
    static String freshMac(ClusterState s, SecureRandom random, Set<String> alsoTaken) {
        Set<String> taken = new HashSet<>(alsoTaken);
        s.vms().forEach(v -> v.nics().forEach(n -> taken.add(n.mac())));
        while (true) {
            String mac = String.format(Locale.ROOT, "52:54:00:%02x:%02x:%02x", random.nextInt(256), random.nextInt(256),
                    random.nextInt(256));
            if (!taken.contains(mac)) {
                return mac;
            }
        }
    }

    private static Network network(ClusterState s, String name) {
        return s.network(Objects.requireNonNull(name, "network"))
                .orElseThrow(() -> ApiException.notFound("no network '" + name + "'"));
    }

    private static NetworkView view(ClusterState s, Network n) {
        int nics = (int) s.vms().stream().flatMap(v -> v.nics().stream()).filter(x -> x.network().equals(n.name()))
                .count();
        return new NetworkView(n.name(), n.type().name().toLowerCase(Locale.ROOT), n.bridge(), nics, n.createdAt());
    }
}
