package io.keel.node.ha;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.ha.DesiredState;
import io.keel.ha.ResourceSpec;
import io.keel.ha.Strategy;
import io.keel.meta.cluster.Vm;
import io.keel.meta.cluster.VmPlacement;
import io.keel.meta.cluster.VmPower;
import io.keel.meta.cluster.VmStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HaResourcesTest {
    private static Vm vm(VmPlacement placement, VmPower power) {
        return new Vm("m1", "web", "small", 2, 512, List.of(), "n2", placement, power, null, 0, false,
                VmStatus.ACTIVE, "", null, Instant.EPOCH, Instant.EPOCH, null);
    }

    @Test
    void aVmIsAResourceOfItsSizeStrategyNodeAndDesiredPower() {
        ResourceSpec spec = HaResources.spec(vm(VmPlacement.PINNED, VmPower.PAUSED), 4);
        assertThat(spec.id()).isEqualTo("vm:m1");
        assertThat(spec.demand().memMiB()).isEqualTo(512);
        assertThat(spec.demand().vcpus()).isEqualTo(2);
        assertThat(spec.strategy()).isEqualTo(Strategy.PINNED);
        assertThat(spec.node()).isEqualTo("n2");
        assertThat(spec.desired()).isEqualTo(DesiredState.STARTED);
        assertThat(spec.startRequest()).isEqualTo(4);
        assertThat(HaResources.spec(vm(VmPlacement.AUTO, VmPower.SUSPENDED), 0).desired())
                .isEqualTo(DesiredState.STOPPED);
        assertThat(HaResources.vmId("vm:m1")).contains("m1");
        assertThat(HaResources.vmId("vip:admin")).isEmpty();
    }
}
