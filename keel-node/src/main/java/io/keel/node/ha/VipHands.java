package io.keel.node.ha;

import io.keel.ha.HaEvent;
import io.keel.ha.LocalInstance;
import io.keel.meta.cluster.ClusterVip;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local resource manager's hands for the management virtual IP (ADR 0031): starting it is
 * {@code ip addr add} plus gratuitous ARP, so neighbours send to this node at once instead of
 * when their ARP entry for the old holder times out; stopping and killing (self-fence included)
 * are {@code ip addr del}; the instance runs while the address is on the interface. Only local
 * commands: the self-fence must work without the network.
 */
final class VipHands {
    private static final Logger log = LoggerFactory.getLogger(VipHands.class);
    static final String ARPING_PACKAGE = "iputils-arping";

    private final String selfId;
    private final HostCommands host;
    private final Consumer<HaEvent> emit;
    private final Consumer<Runnable> background;
    private final Clock clock;
    /** The setting as last read from the majority; kept while cut off. */
    private ClusterVip configured;
    /** What this node put on its interface and has not taken off since. */
    private ClusterVip plumbed;
    /** Why the last start failed, until the next start or stop. */
    private String failure;

    VipHands(String selfId, HostCommands host, Consumer<HaEvent> emit, Consumer<Runnable> background, Clock clock) {
        this.selfId = Objects.requireNonNull(selfId, "selfId");
        this.host = Objects.requireNonNull(host, "host");
        this.emit = Objects.requireNonNull(emit, "emit");
        this.background = Objects.requireNonNull(background, "background");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The setting from a state read with the majority. A changed or cleared setting takes the old
     * address off at once: the engine no longer knows it, so nothing else would.
     */
    synchronized void configure(Optional<ClusterVip> vip) {
        ClusterVip next = vip.orElse(null);
        if (plumbed != null && !plumbed.equals(next)) {
            remove(plumbed, "the virtual IP setting changed");
            plumbed = null;
            failure = null;
        }
        configured = next;
    }

    /** The virtual IP's instance on this node, if any: running while its address is on the interface. */
    synchronized Map<String, LocalInstance> instances() {
        ClusterVip watched = plumbed != null ? plumbed : configured;
        if (watched != null && present(watched)) {
            return Map.of(HaResources.VIP_ID, new LocalInstance(HaResources.VIP_ID, LocalInstance.State.RUNNING, null));
        }
        if (failure != null) {
            return Map.of(HaResources.VIP_ID, new LocalInstance(HaResources.VIP_ID, LocalInstance.State.FAILED, failure));
        }
        if (plumbed != null) {
            return Map.of(HaResources.VIP_ID, new LocalInstance(HaResources.VIP_ID, LocalInstance.State.FAILED,
                    plumbed.cidr() + " is no longer on " + plumbed.iface()));
        }
        return Map.of();
    }

    synchronized void start() {
        ClusterVip vip = configured;
        if (vip == null) {
            return;
        }
        failure = null;
        HostCommands.Result r = run(List.of("ip", "addr", "add", vip.cidr(), "dev", vip.iface()));
        // "File exists": it is already there (a restart of this node's process), which is what we want.
        if (!r.ok() && !r.output().contains("File exists")) {
            failure = "ip addr add " + vip.cidr() + " dev " + vip.iface() + " failed: " + r.output().strip();
            log.warn("virtual IP: {}", failure);
            emit.accept(new HaEvent.ResourceError(clock.instant(), HaResources.VIP_ID, selfId, failure));
            return;
        }
        plumbed = vip;
        log.info("virtual IP {} added on {}", vip.cidr(), vip.iface());
        background.accept(() -> announce(vip));
    }

    /** Gratuitous ARP, so the neighbours' entries for the address point here now. */
    private void announce(ClusterVip vip) {
        List<String> cmd = List.of("arping", "-U", "-c", "3", "-I", vip.iface(), vip.address());
        try {
            HostCommands.Result r = host.run(cmd);
            if (!r.ok()) {
                log.warn("virtual IP {}: gratuitous ARP failed: {}", vip.address(), r.output().strip());
            }
        } catch (IOException e) {
            String why = "arping is not installed (Debian package " + ARPING_PACKAGE + "): the neighbours of "
                    + vip.address() + " learn of its move only when their ARP entries expire";
            log.warn("virtual IP: {}", why);
            emit.accept(new HaEvent.ResourceError(clock.instant(), HaResources.VIP_ID, selfId, why));
        }
    }

    /** Stop and kill alike: there is nothing to shut down cleanly about an address. */
    synchronized void remove(String why) {
        List<ClusterVip> off = new ArrayList<>();
        if (plumbed != null) {
            off.add(plumbed);
        }
        if (configured != null && !configured.equals(plumbed)) {
            off.add(configured);
        }
        off.forEach(v -> remove(v, why));
        plumbed = null;
        failure = null;
    }

    private void remove(ClusterVip vip, String why) {
        HostCommands.Result r = run(List.of("ip", "addr", "del", vip.cidr(), "dev", vip.iface()));
        if (r.ok()) {
            log.info("virtual IP {} removed from {}: {}", vip.cidr(), vip.iface(), why);
        } else if (present(vip)) {
            log.warn("virtual IP {}: ip addr del failed: {}", vip.cidr(), r.output().strip());
        }
    }

    private boolean present(ClusterVip vip) {
        HostCommands.Result r = run(List.of("ip", "-o", "-4", "addr", "show", "dev", vip.iface()));
        return r.ok() && r.output().contains(" inet " + vip.cidr() + " ");
    }

    private HostCommands.Result run(List<String> cmd) {
        try {
            return host.run(cmd);
        } catch (IOException e) {
            return new HostCommands.Result(-1, cmd.getFirst() + " cannot be run: " + e.getMessage());
        }
    }
}
