package io.keel.node.ha;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.ha.HaEvent;
import io.keel.meta.cluster.ClusterCommand;
import io.keel.meta.cluster.HaEventRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterEventsTest {
    private static final Instant T0 = Instant.parse("2026-12-03T08:00:00Z");

    private final List<ClusterCommand> written = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    // Names cannot be resolved here: the texts keep the engine's ids.
    private final ClusterEvents events = new ClusterEvents(() -> {
        throw new IllegalStateException("no state in this test");
    }, written::add, registry);

    private List<HaEventRecord> flushed() {
        events.flush();
        return written.stream().map(c -> ((ClusterCommand.AppendHaEvents) c).events()).flatMap(List::stream).toList();
    }

    @Test
    void aStrandedPinnedVmIsSaidToBeHeldStoppedUntilStartedByHand() {
        events.emit(new HaEvent.ResourceStranded(T0, "vm:db", "n2"));
        assertThat(flushed().getFirst().text())
                .isEqualTo("vm:db pinned to lost node n2: not recovered elsewhere; held stopped on n2, waiting to be"
                        + " started by hand");
    }

    @Test
    void aMoveCarriesItsSecondsAndEveryEventCountsInTheMetric() {
        events.emit(new HaEvent.ResourceMoved(T0, "vm:web", "n1", "n2", Duration.ofMillis(3400)));
        events.emit(new HaEvent.MaintenanceComplete(T0, "n1"));
        List<HaEventRecord> out = flushed();
        assertThat(out.getFirst().seconds()).isEqualTo(3.4);
        assertThat(out.get(1).text()).isEqualTo("node n1 evacuated");
        assertThat(registry.get("keel_ha_events_total").tag("type", "ResourceMoved").counter().count()).isEqualTo(1);
        assertThat(registry.get("keel_ha_events_total").tag("type", "MaintenanceComplete").counter().count())
                .isEqualTo(1);
    }
}
