package io.keel.node.ha;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.ha.DesiredState;
import io.keel.ha.ResourceKind;
import io.keel.ha.ResourceSpec;
import io.keel.ha.Strategy;
import io.keel.meta.cluster.ClusterCodec;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.ComputeCluster;
import io.keel.meta.cluster.IscsiState;
import io.keel.meta.cluster.IscsiTargetGroup;
import io.keel.meta.store.KvReader;
import io.keel.meta.cluster.Vm;
import io.keel.meta.cluster.VmPlacement;
import io.keel.meta.cluster.VmPower;
import io.keel.meta.cluster.VmStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
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

    @Test
    void lunPathsMayRunOnlyOnTheirGroupsNodesAndVmsOnlyOnComputeNodes() {
        ClusterCodec codec = new ClusterCodec();
        TreeMap<String, byte[]> kv = new TreeMap<>();
        kv.put(ClusterState.COMPUTE_KEY, codec.write(new ComputeCluster(Instant.EPOCH, List.of("n1", "n2"))));
        kv.put(ClusterState.VM_PREFIX + "m1", codec.write(vm(VmPlacement.AUTO, VmPower.RUNNING)));
        IscsiTargetGroup g = new IscsiTargetGroup("g1", "san", List.of(
                new IscsiTargetGroup.Target("n2", "iqn.2026-11.io.keel:c:san.n2", null, 1),
                new IscsiTargetGroup.Target("n3", "iqn.2026-11.io.keel:c:san.n3", null, 2)),
                List.of(new IscsiTargetGroup.Lun(0, "v1")), IscsiTargetGroup.Access.OPEN, Instant.EPOCH);
        kv.put(IscsiState.GROUP_PREFIX + "g1", codec.write(g));
        ClusterState s = new ClusterState(reader(kv), codec);

        assertThat(HaResources.pool(s)).containsExactly("n1", "n2", "n3");
        Map<String, ResourceSpec> specs = HaResources.specs(s);
        ResourceSpec lun = specs.get("iscsi:v1");
        assertThat(lun.kind()).isEqualTo(ResourceKind.ISCSI);
        assertThat(lun.allowedNodes()).containsExactlyInAnyOrder("n2", "n3");
        assertThat(lun.desired()).isEqualTo(DesiredState.STARTED);
        assertThat(specs.get("vm:m1").allowedNodes()).containsExactlyInAnyOrder("n1", "n2");
        assertThat(HaResources.iscsiVolumeId("iscsi:v1")).contains("v1");
        assertThat(HaResources.iscsiVolumeId("vm:m1")).isEmpty();
    }

    private static KvReader reader(SortedMap<String, byte[]> kv) {
        return new KvReader() {
            @Override
            public Optional<byte[]> get(String key) {
                return Optional.ofNullable(kv.get(key));
            }

            @Override
            public SortedMap<String, byte[]> scan(String prefix) {
                return kv.subMap(prefix, prefix + Character.MAX_VALUE);
            }
        };
    }
}
