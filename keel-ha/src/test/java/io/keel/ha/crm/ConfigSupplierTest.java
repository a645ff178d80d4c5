package io.keel.ha.crm;

import static io.keel.ha.crm.Fixtures.at;
import static io.keel.ha.crm.Fixtures.node;
import static io.keel.ha.crm.Fixtures.running;
import static io.keel.ha.crm.Fixtures.vm;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.ha.HaConfig;
import io.keel.ha.ResourceSpec;
import io.keel.ha.Strategy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A manager built over a configuration supplier reads it at every step (the cluster's HA settings can change). */
class ConfigSupplierTest {
    @Test
    void everyStepReadsTheConfigurationAnew() {
        Fixtures.Env env = new Fixtures.Env();
        List<ResourceSpec> specs = List.of(vm("vm:a", "node1", Strategy.AUTO, 1024));
        env.specs = specs;
        env.nodes = List.of(node("node1", 0, 10), node("node2", 0, 10));
        env.status = running(env.nodes, specs);
        List<HaConfig> handedOut = new ArrayList<>();
        HaConfig[] current = {HaConfig.defaults()};
        ClusterResourceManager crm = new ClusterResourceManager(env, () -> {
            handedOut.add(current[0]);
            return current[0];
        });
        env.now = at(1);
        crm.step();
        current[0] = HaConfig.defaults().withMigrateBack(false);
        env.now = at(2);
        crm.step();
        assertThat(handedOut).containsExactly(HaConfig.defaults(), HaConfig.defaults().withMigrateBack(false));
    }
}
