package io.keel.meta.cluster;

import static io.keel.meta.cluster.RejectionCodes.INVALID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.meta.cluster.ClusterCommand.SetClusterVip;
import org.junit.jupiter.api.Test;

class VipCommandsTest {
    @Test
    void theVirtualIpIsSetChangedAndCleared() {
        Harness h = Harness.withChunkServices();
        assertThat(h.state().vip()).isEmpty();
        h.applied(new SetClusterVip(ClusterVip.parse("192.168.1.50/24", "eth0")));
        assertThat(h.state().vip()).contains(new ClusterVip("192.168.1.50", 24, "eth0"));
        h.applied(new SetClusterVip(ClusterVip.parse("192.168.1.51/32", "bond0.12")));
        assertThat(h.state().vip().orElseThrow().cidr()).isEqualTo("192.168.1.51/32");
        h.applied(new SetClusterVip(null));
        assertThat(h.state().vip()).isEmpty();
    }

    @Test
    void everySetIsAStartRequestThatOutlivesAClear() {
        Harness h = Harness.withChunkServices();
        assertThat(h.state().vipStartRequests()).isZero();
        h.applied(new SetClusterVip(ClusterVip.parse("192.168.1.50/24", "eth0")));
        h.applied(new SetClusterVip(ClusterVip.parse("192.168.1.50/24", "eth0")));
        assertThat(h.state().vipStartRequests()).isEqualTo(2);
        // Kept across a clear: the engine compares it with the count it last consumed.
        h.applied(new SetClusterVip(null));
        h.applied(new SetClusterVip(ClusterVip.parse("192.168.1.50/24", "eth1")));
        assertThat(h.state().vipStartRequests()).isEqualTo(3);
    }

    @Test
    void anInvalidSettingIsRefusedAndChangesNothing() {
        Harness h = Harness.withChunkServices();
        h.applied(new SetClusterVip(ClusterVip.parse("192.168.1.50/24", "eth0")));
        // As an older writer might send it: the record's own checks bypassed through JSON.
        byte[] bad = "{\"type\":\"SetClusterVip\",\"vip\":{\"address\":\"192.168.1.300\",\"prefix\":24,\"iface\":\"eth0\"}}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(h.rejectedBytes(bad, INVALID)).contains("not an IPv4 address");
        assertThat(h.state().vip().orElseThrow().address()).isEqualTo("192.168.1.50");
        assertThat(h.state().vipStartRequests()).isEqualTo(1);
    }

    @Test
    void addressesPrefixesAndInterfaceNamesAreChecked() {
        assertThatThrownBy(() -> ClusterVip.parse("192.168.1.50", "eth0")).hasMessageContaining("ADDRESS/PREFIX");
        assertThatThrownBy(() -> ClusterVip.parse("192.168.1.50/33", "eth0")).hasMessageContaining("1 to 32");
        assertThatThrownBy(() -> ClusterVip.parse("192.168.1.50/0", "eth0")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> ClusterVip.parse("192.168.1.50/x", "eth0")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> ClusterVip.parse("fe80::1/64", "eth0")).hasMessageContaining("not an IPv4 address");
        assertThatThrownBy(() -> ClusterVip.parse("127.0.0.9/8", "eth0")).hasMessageContaining("loopback");
        assertThatThrownBy(() -> ClusterVip.parse("10.0.0.1/24", "eth 0")).hasMessageContaining("interface name");
        assertThatThrownBy(() -> ClusterVip.parse("10.0.0.1/24", "a-very-long-interface")).hasMessageContaining(
                "interface name");
        assertThatThrownBy(() -> ClusterVip.parse("10.0.0.01/24", "eth0")).hasMessageContaining("not an IPv4");
        assertThat(ClusterVip.parse("10.231.5.100/24", "eth0").cidr()).isEqualTo("10.231.5.100/24");
    }
}
