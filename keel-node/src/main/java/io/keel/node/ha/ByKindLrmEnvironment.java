package io.keel.node.ha;

import io.keel.ha.HaEvent;
import io.keel.ha.LocalInstance;
import io.keel.ha.LrmEnvironment;
import io.keel.ha.LrmReport;
import io.keel.ha.ManagerStatus;
import io.keel.ha.ResourceSpec;
import io.keel.node.iscsi.LunPaths;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The local resource manager's world with one pair of hands per resource kind (ADR 0031): VMs
 * through the VM agent ({@link VmLrmEnvironment}), the management virtual IP through
 * {@link VipHands}, LUN active paths through {@link LunPaths} (ADR 0033). What is not about one
 * resource (majority, status, reports, events) is the VM environment's, which reads the state once
 * per step for all.
 */
final class ByKindLrmEnvironment implements LrmEnvironment {
    private final VmLrmEnvironment vms;
    private final VipHands vip;
    private final LunPaths luns;

    ByKindLrmEnvironment(VmLrmEnvironment vms, VipHands vip, LunPaths luns) {
        this.vms = Objects.requireNonNull(vms, "vms");
        this.vip = Objects.requireNonNull(vip, "vip");
        this.luns = Objects.requireNonNull(luns, "luns");
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
        all.putAll(luns.instances());
        return all;
    }

    @Override
    public void start(ResourceSpec resource) {
        Optional<String> lun = HaResources.iscsiVolumeId(resource.id());
        if (isVip(resource.id())) {
            vip.start();
        } else if (lun.isPresent()) {
            luns.start(lun.get());
        } else {
            vms.start(resource);
        }
    }

    @Override
    public void stop(String resource) {
        Optional<String> lun = HaResources.iscsiVolumeId(resource);
        if (isVip(resource)) {
            vip.remove("stopped by the HA manager");
        } else if (lun.isPresent()) {
            luns.stop(lun.get(), "stopped by the HA manager");
        } else {
            vms.stop(resource);
        }
    }

    @Override
    public void kill(String resource) {
        Optional<String> lun = HaResources.iscsiVolumeId(resource);
        if (isVip(resource)) {
            vip.remove("killed by the HA manager");
        } else if (lun.isPresent()) {
            luns.stop(lun.get(), "killed by the HA manager");
        } else {
            vms.kill(resource);
        }
    }

    /** A virtual IP or a LUN path does not live-migrate (their kinds say so): the engine relocates them. */
    @Override
    public void migrate(String resource, String target) {
        if (!isVip(resource) && HaResources.iscsiVolumeId(resource).isEmpty()) {
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
