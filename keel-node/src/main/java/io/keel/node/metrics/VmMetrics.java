package io.keel.node.metrics;

import io.keel.node.compute.stats.DiskCounters;
import io.keel.node.compute.stats.NicCounters;
import io.keel.node.compute.stats.VmStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Per-VM meters of the VMs running on this node (ADR 0020), tagged {@code vm} (name) and
 * {@code vm_id}, disk meters also {@code disk}: {@code keel_vm_cpu_seconds_total},
 * {@code keel_vm_memory_rss_bytes}, {@code keel_vm_memory_configured_bytes},
 * {@code keel_vm_disk_{read,write}_{bytes,ops}_total}. Meters are added when a VM starts running
 * here and removed when it stops or leaves, so a scrape never shows a VM this node does not run.
 * NICs with a tap on this host: {@code keel_vm_nic_{rx,tx}_{bytes,packets}_total}, tagged {@code nic}
 * and {@code mac}, from the guest's side. Meters read the collector's latest figures at scrape time.
 */
public final class VmMetrics {
    private final MeterRegistry registry;
    private final Supplier<Map<String, VmStats>> stats;
    /** What is registered per VM id: the tag values and disks it was registered with, and its meters. */
    private final Map<String, Registered> registered = new HashMap<>();

    private record Registered(String name, List<String> disks, List<String> nics, List<Meter> meters) {}

    public VmMetrics(MeterRegistry registry, Supplier<Map<String, VmStats>> stats) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.stats = Objects.requireNonNull(stats, "stats");
    }

    /** Adds meters for VMs that appeared, removes those of VMs that went (or were renamed, or changed disks). */
    public synchronized void refresh() {
        Map<String, VmStats> now = stats.get();
        for (String id : List.copyOf(registered.keySet())) {
            VmStats s = now.get(id);
            Registered r = registered.get(id);
            if (s == null || !s.vmName().equals(r.name()) || !diskNames(s).equals(r.disks())
                    || !nicNames(s).equals(r.nics())) {
                r.meters().forEach(registry::remove);
                registered.remove(id);
            }
        }
        now.forEach((id, s) -> registered.computeIfAbsent(id, x -> register(s)));
    }

    /** VM ids with meters now. */
    public synchronized List<String> vms() {
        return List.copyOf(registered.keySet());
    }

    private Registered register(VmStats s) {
        String id = s.vmId();
        Tags tags = Tags.of("vm", s.vmName(), "vm_id", id);
        List<Meter> meters = new ArrayList<>();
        meters.add(FunctionCounter.builder("keel.vm.cpu.seconds", this, m -> m.value(id, VmStats::cpuSeconds))
                .description("CPU time (user + system) of the VM's QEMU since it started").tags(tags)
                .register(registry));
        meters.add(Gauge.builder("keel.vm.memory.rss.bytes", this, m -> m.value(id, x -> x.rssBytes()))
                .description("resident memory of the VM's QEMU").tags(tags).strongReference(true).register(registry));
        meters.add(Gauge.builder("keel.vm.memory.configured.bytes", this, m -> m.value(id, x -> x.ramBytes()))
                .description("RAM configured for the guest").tags(tags).strongReference(true).register(registry));
        for (String disk : diskNames(s)) {
            Tags t = tags.and("disk", disk);
            meters.add(diskCounter("keel.vm.disk.read.bytes", "bytes the guest read from the disk", t, id, disk,
                    DiskCounters::readBytes));
            meters.add(diskCounter("keel.vm.disk.write.bytes", "bytes the guest wrote to the disk", t, id, disk,
                    DiskCounters::writeBytes));
            meters.add(diskCounter("keel.vm.disk.read.ops", "read requests of the guest to the disk", t, id, disk,
                    DiskCounters::readOps));
            meters.add(diskCounter("keel.vm.disk.write.ops", "write requests of the guest to the disk", t, id, disk,
                    DiskCounters::writeOps));
        }
        for (NicCounters n : s.nics()) {
            Tags t = tags.and("nic", n.nic(), "mac", n.mac());
            meters.add(nicCounter("keel.vm.nic.rx.bytes", "bytes the guest received on the NIC", t, id, n.nic(),
                    NicCounters::rxBytes));
            meters.add(nicCounter("keel.vm.nic.tx.bytes", "bytes the guest sent on the NIC", t, id, n.nic(),
                    NicCounters::txBytes));
            meters.add(nicCounter("keel.vm.nic.rx.packets", "packets the guest received on the NIC", t, id, n.nic(),
                    NicCounters::rxPackets));
            meters.add(nicCounter("keel.vm.nic.tx.packets", "packets the guest sent on the NIC", t, id, n.nic(),
                    NicCounters::txPackets));
        }
        return new Registered(s.vmName(), diskNames(s), nicNames(s), List.copyOf(meters));
    }

    private Meter diskCounter(String name, String help, Tags tags, String vmId, String disk,
            ToDoubleFunction<DiskCounters> f) {
        return FunctionCounter.builder(name, this, m -> m.disk(vmId, disk).map(f::applyAsDouble).orElse(Double.NaN))
                .description(help).tags(tags).register(registry);
    }

    private Meter nicCounter(String name, String help, Tags tags, String vmId, String nic,
            ToDoubleFunction<NicCounters> f) {
        return FunctionCounter.builder(name, this, m -> Optional.ofNullable(m.stats.get().get(vmId))
                .flatMap(s -> s.nics().stream().filter(n -> n.nic().equals(nic)).findFirst())
                .map(f::applyAsDouble).orElse(Double.NaN)).description(help).tags(tags).register(registry);
    }

    private static List<String> nicNames(VmStats s) {
        return s.nics().stream().map(n -> n.nic() + "/" + n.mac()).sorted().toList();
    }

    private double value(String vmId, ToDoubleFunction<VmStats> f) {
        VmStats s = stats.get().get(vmId);
        return s == null ? Double.NaN : f.applyAsDouble(s);
    }

    private Optional<DiskCounters> disk(String vmId, String disk) {
        return Optional.ofNullable(stats.get().get(vmId))
                .flatMap(s -> s.disks().stream().filter(d -> d.disk().equals(disk)).findFirst());
    }

    private static List<String> diskNames(VmStats s) {
        return s.disks().stream().map(DiskCounters::disk).sorted().toList();
    }
}
