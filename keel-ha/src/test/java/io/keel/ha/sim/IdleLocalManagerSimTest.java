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

    private static final String BACK_BUT_IDLE = """
            node node1
            node node2
            node node3
            resource vm:web node=node2 strategy=failover state=stopped
            at 2s kill node2
            at 20s restart node2
            at 20s stall node2
            at 21s start vm:web
            """;

    @Test
    void aResourceWaitsForItsNodeThatCameBackAndIsStillCatchingUp() {
        Simulator waiting = runUntil(BACK_BUT_IDLE + "at 22s resume node2\n", 21);
        assertThat(status(waiting, "vm:web").state()).isEqualTo(ResourceState.STOPPED);
        assertThat(status(waiting, "vm:web").waiting())
                .isEqualTo("waiting for node2, which is not acting yet (its local manager is catching up)");

        Simulator started = runUntil(BACK_BUT_IDLE + "at 22s resume node2\n", 30);
        assertThat(status(started, "vm:web").state()).isEqualTo(ResourceState.STARTED);
        assertThat(status(started, "vm:web").node()).isEqualTo("node2");
        assertThat(status(started, "vm:web").home()).isNull();
        assertThat(started.nodes.get("node1").instances).doesNotContainKey("vm:web");
    }

    @Test
    void aNodeStillIdleAfterADetectionTimeNoLongerHoldsItsResourcesBack() {
        Simulator sim = runUntil(BACK_BUT_IDLE, 40);
        assertThat(status(sim, "vm:web").state()).isEqualTo(ResourceState.STARTED);
        assertThat(status(sim, "vm:web").node()).isEqualTo("node1");
        assertThat(status(sim, "vm:web").home()).isEqualTo("node2");
    }
}
