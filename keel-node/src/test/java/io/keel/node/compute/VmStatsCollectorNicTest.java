package io.keel.node.compute;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.meta.cluster.Vm;
import io.keel.meta.cluster.VmDiskRef;
import io.keel.meta.cluster.VmNic;
import io.keel.meta.cluster.VmPlacement;
import io.keel.meta.cluster.VmPower;
import io.keel.meta.cluster.VmStatus;
import io.keel.node.compute.stats.NicCounters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VmStatsCollectorNicTest {
    @TempDir
    Path dir;

    @Test
    void aTapsCountersAreTheGuestsTheOtherWayRoundAndNatNicsHaveNone() throws Exception {
        Instant t = Instant.parse("2026-12-02T20:00:00Z");
        Vm vm = new Vm("m1", "web", "tiny", 1, 512, List.of(new VmDiskRef("v1", true)), "n1", VmPlacement.AUTO,
                VmPower.RUNNING, null, 0, false, VmStatus.ACTIVE, "", null, t, t, null,
                List.of(new VmNic(0, "lan", "52:54:00:00:00:01", false), new VmNic(1, "out", "52:54:00:00:00:02", false)),
                null);
        HostTaps taps = new HostTaps(dir, "n1");
        Path st = Files.createDirectories(taps.statistics("m1", 0));
        Files.writeString(st.resolve("rx_bytes"), "100\n");
        Files.writeString(st.resolve("tx_bytes"), "200\n");
        Files.writeString(st.resolve("rx_packets"), "3\n");
        Files.writeString(st.resolve("tx_packets"), "4\n");
        VmStatsCollector c = new VmStatsCollector(dir, taps, new VmRuntimeDirs(dir, "n1"), id -> Optional.empty(),
                Clock.systemUTC());
        assertThat(c.nics(vm)).containsExactly(new NicCounters("nic0", "52:54:00:00:00:01", 200, 100, 4, 3));
        assertThat(taps.tapName("m1", 0)).hasSizeLessThanOrEqualTo(15).startsWith("kt").endsWith("n0");
        // Another node on the same host names the same VM's tap differently (a migration between them).
        assertThat(new HostTaps(dir, "n2").tapName("m1", 0)).isNotEqualTo(taps.tapName("m1", 0));
    }
}
