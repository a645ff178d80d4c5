package io.keel.node.ha;

import io.keel.ha.HaEvent;
import io.keel.ha.LocalInstance;
import io.keel.ha.LrmEnvironment;
import io.keel.ha.LrmReport;
import io.keel.ha.ManagerStatus;
import io.keel.ha.ResourceSpec;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The local resource manager's world with one pair of hands per resource kind (ADR 0031): VMs
 * through the VM agent ({@link VmLrmEnvironment}), the management virtual IP through
 * {@link VipHands}. What is not about one resource (majority, status, reports, events) is the VM
 * environment's, which reads the state once per step for both.
 */
final class ByKindLrmEnvironment implements LrmEnvironment {
    private final VmLrmEnvironment vms;
    private final VipHands vip;

    ByKindLrmEnvironment(VmLrmEnvironment vms, VipHands vip) {
        this.vms = Objects.requireNonNull(vms, "vms");
        this.vip = Objects.requireNonNull(vip, "vip");
    }

    /** Reads the state for the coming step (kept as it was while cut off) and passes the VIP setting on. */
    void begin() {
        vms.begin();
        if (vms.hasMajority()) {
            vip.configure(vms.current().vip());
        }
    }

    private static boolean isVip(String resource) {
        return HaResources.VIP_ID.equals(resource);
    }

    @Override
    public String node() {
        return vms.node();
    }

    @Override
    public Instant now() {
        return vms.now();
    }

    @Override
    public boolean hasMajority() {
        return vms.hasMajority();
    }

    @Override
    public Instant lastMajorityContact() {
        return vms.lastMajorityContact();
    }

    @Override
    public Optional<ManagerStatus> readStatus() {
        return vms.readStatus();
    }

    @Override
    public Map<String, ResourceSpec> resources() {
        return vms.resources();
    }

    @Override
    public Map<String, LocalInstance> instances() {
        Map<String, LocalInstance> all = new HashMap<>(vms.instances());
        all.putAll(vip.instances());
        return all;
    }

    @Override
    public void start(ResourceSpec resource) {
        if (isVip(resource.id())) {
            vip.start();
        } else {
            vms.start(resource);
        }
    }

    @Override
    public void stop(String resource) {
        if (isVip(resource)) {
            vip.remove("stopped by the HA manager");
        } else {
            vms.stop(resource);
        }
    }

    @Override
    public void kill(String resource) {
        if (isVip(resource)) {
            vip.remove("killed by the HA manager");
        } else {
            vms.kill(resource);
        }
    }

    /** A virtual IP does not live-migrate (its kind says so): the engine relocates it instead. */
    @Override
    public void migrate(String resource, String target) {
        if (!isVip(resource)) {
            vms.migrate(resource, target);
        }
    }

    @Override
    public void report(LrmReport report) {
        vms.report(report);
    }

    @Override
    public void emit(HaEvent event) {
        vms.emit(event);
    }
}
