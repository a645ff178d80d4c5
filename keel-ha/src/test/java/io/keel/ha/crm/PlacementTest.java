package io.keel.ha.crm;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.ha.Capacity;
import io.keel.ha.RelocationMode;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlacementTest {
    private static final Capacity BIG = new Capacity(16384, 16);
    private static final Capacity SMALL = new Capacity(8192, 8);
    private static final Capacity VM = new Capacity(4096, 4);

    private static Map<String, Capacity> pool() {
        return Map.of("a", SMALL, "b", BIG, "c", SMALL);
    }

    @Test
    void drsPicksTheLargestFreeShareAfterPlacing() {
        Placement p = new Placement(RelocationMode.DRS, pool(), null);
        Map<String, Capacity> used = new HashMap<>(Map.of("b", new Capacity(12288, 12)));
        // b has 4096 MiB free (25 %) and would be full; a and c are empty: the first by name wins the tie.
        assertThat(p.choose(VM, Set.of(), used)).contains("a");
        used.put("a", VM);
        assertThat(p.choose(VM, Set.of(), used)).contains("c");
    }

    @Test
    void drsComparesSharesSoABigNodeWinsOverAnEmptySmallOne() {
        Placement p = new Placement(RelocationMode.DRS, pool(), null);
        assertThat(p.choose(VM, Set.of(), Map.of("a", VM, "c", VM))).contains("b");
        assertThat(p.choose(VM, Set.of(), Map.of())).contains("b");
    }

    @Test
    void nothingFitsGivesEmptyAndAReason() {
        Placement p = new Placement(RelocationMode.DRS, pool(), null);
        Capacity huge = new Capacity(20000, 1);
        assertThat(p.choose(huge, Set.of(), Map.of())).isEmpty();
        assertThat(p.noRoomReason(huge, Set.of())).isEqualTo("no node has 20000 MiB/1 vCPU free");
        assertThat(p.noRoomReason(VM, Set.of("a", "b", "c"))).contains("no online node");
    }

    @Test
    void vcpusCountAsMuchAsMemory() {
        Placement p = new Placement(RelocationMode.DRS, pool(), null);
        assertThat(p.fits("a", new Capacity(1024, 9), Map.of())).isFalse();
        assertThat(p.fits("a", new Capacity(8192, 8), Map.of())).isTrue();
        assertThat(p.fits("zz", Capacity.NONE, Map.of())).isFalse();
    }

    @Test
    void excludedNodesAreNeverChosen() {
        Placement p = new Placement(RelocationMode.DRS, pool(), null);
        assertThat(p.choose(VM, Set.of("b"), Map.of())).contains("a");
    }

    @Test
    void roundRobinTakesTurnsWrapsAndSkipsFullNodes() {
        Placement p = new Placement(RelocationMode.ROUND_ROBIN, pool(), null);
        Map<String, Capacity> used = new HashMap<>();
        assertThat(p.choose(VM, Set.of(), used)).contains("a");
        assertThat(p.choose(VM, Set.of(), used)).contains("b");
        used.put("c", SMALL);
        assertThat(p.choose(VM, Set.of(), used)).contains("a");
        assertThat(p.cursor()).isEqualTo("a");
        // The cursor is the only state; a copy carries on from it independently.
        Placement copy = p.copy();
        assertThat(copy.choose(VM, Set.of(), used)).contains("b");
        assertThat(p.cursor()).isEqualTo("a");
    }

    @Test
    void roundRobinDoesNotAdvanceWhenNothingFits() {
        Placement p = new Placement(RelocationMode.ROUND_ROBIN, pool(), "b");
        assertThat(p.choose(new Capacity(1, 100), Set.of(), Map.of())).isEmpty();
        assertThat(p.cursor()).isEqualTo("b");
    }

    @Test
    void drsChoosesOnlyAmongTheAllowedNodesHoweverEmptyTheOthersAre() {
        Placement p = new Placement(RelocationMode.DRS, pool(), null);
        Map<String, Capacity> used = Map.of("c", VM);
        // b is the emptiest by far, a is empty too: c is the only allowed node with room.
        assertThat(p.choose(VM, Set.of("c", "z"), Set.of(), used)).contains("c");
        assertThat(p.choose(VM, Set.of("a", "c"), Set.of(), used)).contains("a");
        assertThat(p.choose(VM, Set.of("c"), Set.of("c"), used)).isEmpty();
        assertThat(p.choose(VM, Set.of(), Set.of(), used)).contains("b");
    }

    @Test
    void roundRobinTakesItsTurnAmongTheAllowedNodes() {
        Placement p = new Placement(RelocationMode.ROUND_ROBIN, pool(), null);
        assertThat(p.choose(VM, Set.of("b", "c"), Set.of(), Map.of())).contains("b");
        assertThat(p.choose(VM, Set.of("a", "b"), Set.of(), Map.of())).contains("a");
        assertThat(p.cursor()).isEqualTo("a");
        assertThat(p.choose(VM, Set.of("c"), Set.of(), Map.of("c", SMALL))).isEmpty();
        assertThat(p.cursor()).isEqualTo("a");
    }

    @Test
    void aRestrictedResourcesReasonNamesItsNodes() {
        Placement p = new Placement(RelocationMode.DRS, pool(), null);
        // x is not in the pool (down or in maintenance), a is the node being evacuated.
        assertThat(p.noRoomReason(VM, Set.of("x", "a"), Set.of("a")))
                .isEqualTo("may run only on a, x and none of the others is available");
        assertThat(p.noRoomReason(VM, Set.of("x", "y"), Set.of()))
                .isEqualTo("may run only on x, y and none of them is online outside maintenance");
        assertThat(p.noRoomReason(VM, Set.of("x"), Set.of()))
                .isEqualTo("may run only on x, which is not online outside maintenance");
        assertThat(p.noRoomReason(VM, Set.of("a"), Set.of("a"))).isEqualTo("may run only on a and no other node is allowed");
        Capacity huge = new Capacity(20000, 1);
        assertThat(p.noRoomReason(huge, Set.of("a", "c"), Set.of()))
                .isEqualTo("may run only on a, c and none of them has 20000 MiB/1 vCPU free");
        assertThat(p.noRoomReason(huge, Set.of("a"), Set.of()))
                .isEqualTo("may run only on a, which does not have 20000 MiB/1 vCPU free");
    }
}
