package io.keel.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.node.compute.stats.DiskCounters;
import io.keel.node.compute.stats.VmStats;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class VmMetricsTest {
    private static final Instant AT = Instant.parse("2026-12-02T20:00:00Z");

    private static VmStats web(double cpu, long written) {
        return new VmStats("m1", "web", 42, cpu, 200L << 20, 128L << 20,
                List.of(new DiskCounters("disk0", 4096, 0, 1, 0), new DiskCounters("disk1", 0, written, 0, 7)), AT);
    }

    @Test
    void nicsWithATapHaveTrafficMeters() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        VmStats s = new VmStats("m1", "web", 42, 1, 1, 1, List.of(), AT,
                List.of(new io.keel.node.compute.stats.NicCounters("nic0", "52:54:00:00:00:01", 1000, 2000, 10, 20)));
        VmMetrics metrics = new VmMetrics(registry, () -> Map.of("m1", s));
        metrics.refresh();
        assertThat(registry.scrape())
                .contains("keel_vm_nic_rx_bytes_total{mac=\"52:54:00:00:00:01\",nic=\"nic0\",vm=\"web\",vm_id=\"m1\"} 1000.0")
                .contains("keel_vm_nic_tx_packets_total{mac=\"52:54:00:00:00:01\",nic=\"nic0\",vm=\"web\",vm_id=\"m1\"} 20.0");
    }

    @Test
    void metersFollowTheVmsRunningHereAndReadTheLatestFigures() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AtomicReference<Map<String, VmStats>> stats = new AtomicReference<>(Map.of());
        VmMetrics metrics = new VmMetrics(registry, stats::get);
        metrics.refresh();
        assertThat(registry.scrape()).doesNotContain("keel_vm_");

        stats.set(Map.of("m1", web(1.5, 1024)));
        metrics.refresh();
        String scrape = registry.scrape();
        assertThat(scrape).contains("keel_vm_cpu_seconds_total{vm=\"web\",vm_id=\"m1\"} 1.5")
                .contains("keel_vm_memory_rss_bytes{vm=\"web\",vm_id=\"m1\"} 2.097152E8")
                .contains("keel_vm_memory_configured_bytes{vm=\"web\",vm_id=\"m1\"} 1.34217728E8")
                .contains("keel_vm_disk_write_bytes_total{disk=\"disk1\",vm=\"web\",vm_id=\"m1\"} 1024.0")
                .contains("keel_vm_disk_write_ops_total{disk=\"disk1\",vm=\"web\",vm_id=\"m1\"} 7.0")
                .contains("keel_vm_disk_read_bytes_total{disk=\"disk0\",vm=\"web\",vm_id=\"m1\"} 4096.0")
                .doesNotContain("keel_vm_net");

        // Counters are read at scrape time: a refresh of the figures shows without re-registering.
        stats.set(Map.of("m1", web(2.5, 4096)));
        assertThat(registry.scrape()).contains("keel_vm_disk_write_bytes_total{disk=\"disk1\",vm=\"web\",vm_id=\"m1\"}"
                + " 4096.0");

        stats.set(Map.of());
        metrics.refresh();
        assertThat(registry.scrape()).doesNotContain("keel_vm_");
        assertThat(metrics.vms()).isEmpty();
    }

    @Test
    void aRenamedVmIsReRegisteredUnderItsNewName() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AtomicReference<Map<String, VmStats>> stats = new AtomicReference<>(Map.of("m1", web(1, 0)));
        VmMetrics metrics = new VmMetrics(registry, stats::get);
        metrics.refresh();
        VmStats w = web(1, 0);
        stats.set(Map.of("m1", new VmStats("m1", "www", w.pid(), w.cpuSeconds(), w.rssBytes(), w.ramBytes(), w.disks(),
                w.collectedAt())));
        metrics.refresh();
        assertThat(registry.scrape()).contains("vm=\"www\"").doesNotContain("vm=\"web\"");
    }
}
