package io.keel.node.compute;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.compute.qmp.QmpClient;
import io.keel.compute.qmp.QmpException;
import io.keel.meta.cluster.Vm;
import io.keel.meta.cluster.VmNic;
import io.keel.node.compute.stats.NicCounters;
import io.keel.node.compute.stats.BlockStats;
import io.keel.node.compute.stats.ProcStats;
import io.keel.node.compute.stats.VmStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the counters of the VMs running on this node (ADR 0020): CPU time and resident memory
 * of each QEMU from /proc (by the pid in its runtime directory), disk I/O over the VM's own QMP
 * connection ({@code query-blockstats}). Kept in memory for the metrics and the API; a VM that is
 * not running here has no entry.
 */
public final class VmStatsCollector {
    private static final Logger log = LoggerFactory.getLogger(VmStatsCollector.class);
    /** Short: a QEMU too busy to answer within it is skipped this round rather than holding up the rest. */
    private static final Duration QMP_TIMEOUT = Duration.ofSeconds(2);

    private final Path proc;
    private final VmRuntimeDirs dirs;
    private final Function<String, Optional<QmpClient>> qmp;
    private final Clock clock;
    private final HostTaps taps;
    private final AtomicReference<Map<String, VmStats>> latest = new AtomicReference<>(Map.of());

    /**
     * @param proc the proc filesystem ({@code /proc})
     * @param qmp  a running VM's QMP connection by VM id (the agent's: QEMU serves one client)
     */
    public VmStatsCollector(Path proc, HostTaps taps, VmRuntimeDirs dirs, Function<String, Optional<QmpClient>> qmp,
            Clock clock) {
        this.taps = Objects.requireNonNull(taps, "taps");
        this.proc = Objects.requireNonNull(proc, "proc");
        this.dirs = Objects.requireNonNull(dirs, "dirs");
        this.qmp = Objects.requireNonNull(qmp, "qmp");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Collects the counters of {@code here}, the VMs placed on this node. */
    public void refresh(List<Vm> here) {
        Map<String, VmStats> next = new HashMap<>();
        for (Vm vm : here) {
            Optional<QmpClient> q = qmp.apply(vm.id());
            OptionalLong pid = dirs.of(vm.id()).recordedPid();
            if (q.isEmpty() || pid.isEmpty()) {
                continue;
            }
            try {
                next.put(vm.id(), collect(vm, pid.getAsLong(), q.get()));
            } catch (IOException | IllegalArgumentException e) {
                log.debug("VM {}: no counters this round: {}", vm.name(), e.getMessage());
                Optional.ofNullable(latest.get().get(vm.id())).ifPresent(old -> next.put(vm.id(), old));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        latest.set(Map.copyOf(next));
    }

    private VmStats collect(Vm vm, long pid, QmpClient q) throws IOException, QmpException, InterruptedException {
        Path dir = proc.resolve(Long.toString(pid));
        long ticks = ProcStats.cpuTicks(Files.readString(dir.resolve("stat")));
        long rss = ProcStats.rssBytes(Files.readString(dir.resolve("status"))).orElse(0);
        JsonNode blocks = q.execute("query-blockstats", q.arguments(), QMP_TIMEOUT);
        return new VmStats(vm.id(), vm.name(), pid, (double) ticks / ProcStats.TICKS_PER_SECOND, rss, vm.ramBytes(),
                BlockStats.parse(blocks), clock.instant(), nics(vm));
    }

    /** The counters of the VM's NICs that have a tap here, from the guest's side (the tap's rx is its tx). */
    List<NicCounters> nics(Vm vm) throws IOException {
        List<NicCounters> out = new java.util.ArrayList<>();
        for (VmNic n : vm.nics()) {
            Path st = taps.statistics(vm.id(), n.slot());
            if (Files.isDirectory(st)) {
                out.add(new NicCounters("nic" + n.slot(), n.mac(), counter(st, "tx_bytes"), counter(st, "rx_bytes"),
                        counter(st, "tx_packets"), counter(st, "rx_packets")));
            }
        }
        return out;
    }

    private static long counter(Path statistics, String name) throws IOException {
        try {
            return Long.parseLong(Files.readString(statistics.resolve(name)).strip());
        } catch (NumberFormatException e) {
            throw new IOException(statistics.resolve(name) + " holds no number", e);
        }
    }

    /** The counters of every VM running here, by VM id, as last collected. */
    public Map<String, VmStats> all() {
        return latest.get();
    }

    public Optional<VmStats> of(String vmId) {
        return Optional.ofNullable(latest.get().get(vmId));
    }
}
