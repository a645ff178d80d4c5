package io.keel.ha.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.ha.ResourceKinds;
import io.keel.ha.ResourceState;
import io.keel.ha.ResourceStatus;
import org.junit.jupiter.api.Test;

/**
 * A node that is heard but whose local manager does not act (ADR 0031, amendment): nothing new is
 * placed on it, what it has stays its own, and it takes work again once it acts.
 */
class IdleLocalManagerSimTest {
    private static Simulator runUntil(String cmds, long seconds) {
        Simulator sim = new Simulator(new ScenarioParser(ResourceKinds.builtIn()).parse(cmds + "run " + seconds + "s\n"));
        sim.run();
        return sim;
    }

    private static ResourceStatus status(Simulator sim, String id) {
        return sim.persisted.resources().get(id);
    }

    @Test
    void aPinnedResourceWaitsForItsIdleNodeSayingWhyAndStartsOnceItActs() {
        String cmds = """
                node node1
                node node2
                resource vm:lic node=node1 strategy=pinned state=stopped
                at 5s stall node1
                at 6s start vm:lic
                at 20s resume node1
                """;
        Simulator waiting = runUntil(cmds, 19);
        assertThat(status(waiting, "vm:lic").state()).isEqualTo(ResourceState.STOPPED);
        assertThat(status(waiting, "vm:lic").waiting())
                .isEqualTo("pinned to node1, which is not acting yet (its local manager is catching up)");

        Simulator started = runUntil(cmds, 25);
        assertThat(status(started, "vm:lic").state()).isEqualTo(ResourceState.STARTED);
        assertThat(status(started, "vm:lic").confirmed()).isTrue();
        assertThat(started.nodes.get("node1").instances).containsKey("vm:lic");
    }

    @Test
    void whatAnIdleNodeRunsStaysThereAndNewWorkGoesElsewhere() {
        String cmds = """
                node node1
                node node2
                resource vm:a node=node1 strategy=auto
                resource vm:c node=node2 strategy=auto
                at 5s stall node1
                at 6s resource vm:b strategy=auto
                at 7s start vm:b
                """;
        Simulator sim = runUntil(cmds, 15);
        assertThat(status(sim, "vm:a").state()).isEqualTo(ResourceState.STARTED);
        assertThat(status(sim, "vm:a").node()).isEqualTo("node1");
        assertThat(sim.nodes.get("node1").instances).containsKey("vm:a");
        // Equally loaded, drs would take node1, the first by name, were it acting.
        assertThat(status(sim, "vm:b").node()).isEqualTo("node2");
        assertThat(status(sim, "vm:b").confirmed()).isTrue();
        assertThat(sim.nodes.get("node2").instances).containsKey("vm:b");
    }
}
