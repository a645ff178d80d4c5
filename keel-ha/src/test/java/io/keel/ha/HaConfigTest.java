package io.keel.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HaConfigTest {
    @Test
    void defaultsRecoverWithinTheBenchmarkGoal() {
        HaConfig c = HaConfig.defaults();
        // A killed node's VMs start elsewhere one lease time after its last contact; with a few
        // seconds of start-up this must stay well under the 15 s goal.
        assertThat(c.leaseTtl()).isLessThanOrEqualTo(Duration.ofSeconds(10));
        assertThat(c.selfFenceTimeout().plus(c.heartbeatInterval())).isLessThan(c.leaseTtl());
        assertThat(c.detectionTime()).isLessThan(c.leaseTtl());
    }

    @Test
    void aSelfFenceThatCouldLandAfterTheLeasesExpireIsRefused() {
        HaConfig d = HaConfig.defaults();
        assertThatThrownBy(() -> d.withTiming(Duration.ofSeconds(5), Duration.ofSeconds(9), Duration.ofSeconds(10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("before its leases expire");
        assertThatThrownBy(() -> d.withTiming(Duration.ofSeconds(5), Duration.ofSeconds(12), Duration.ofSeconds(10)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(d.withTiming(Duration.ofSeconds(5), Duration.ofSeconds(8), Duration.ofSeconds(10)).selfFenceTimeout())
                .isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void detectionMustSpanTwoHeartbeats() {
        assertThatThrownBy(() -> HaConfig.defaults().withTiming(Duration.ofMillis(1500), Duration.ofSeconds(6),
                Duration.ofSeconds(10))).hasMessageContaining("two heartbeat intervals");
    }

    @Test
    void limitsCannotBeNegative() {
        assertThatThrownBy(() -> HaConfig.defaults().withLimits(-1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void resourceSpecsCheckTheirKind() {
        assertThatThrownBy(() -> new ResourceSpec("vip:x", ResourceKind.VIP, new Capacity(1, 0), Strategy.AUTO, null,
                DesiredState.STARTED, 0)).hasMessageContaining("uses no capacity");
        assertThatThrownBy(() -> new ResourceSpec("vm:x", ResourceKind.VIP, Capacity.NONE, Strategy.AUTO, null,
                DesiredState.STARTED, 0)).hasMessageContaining("must be vip:NAME");
        assertThatThrownBy(() -> new ResourceSpec("vm:x", ResourceKind.VM, Capacity.NONE, Strategy.PINNED, null,
                DesiredState.STARTED, 0)).hasMessageContaining("needs its node");
    }

    @Test
    void newKindsRegisterWithoutTouchingTheEngine() {
        // iSCSI paths are built in now; NFS shares are the next kind to come.
        ResourceKind share = new ResourceKind("nfs", false, false);
        ResourceKinds kinds = ResourceKinds.builtIn().register(share);
        assertThat(kinds.ofId("nfs:home")).isEqualTo(share);
        assertThat(kinds.names()).containsExactly("iscsi", "nfs", "vip", "vm");
        assertThatThrownBy(() -> kinds.register(share)).hasMessageContaining("already registered");
        assertThatThrownBy(() -> kinds.ofId("s3:gateway")).hasMessageContaining("unknown resource kind");
    }
}
