package io.keel.ha.lrm;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.ha.Capacity;
import io.keel.ha.DesiredState;
import io.keel.ha.HaConfig;
import io.keel.ha.HaEvent;
import io.keel.ha.LocalInstance;
import io.keel.ha.LrmEnvironment;
import io.keel.ha.LrmReport;
import io.keel.ha.ManagerStatus;
import io.keel.ha.ResourceKind;
import io.keel.ha.ResourceSpec;
import io.keel.ha.ResourceState;
import io.keel.ha.ResourceStatus;
import io.keel.ha.Strategy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class LocalResourceManagerTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final ResourceSpec WEB = new ResourceSpec("vm:web", ResourceKind.VM, new Capacity(1024, 1),
            Strategy.AUTO, "node1", DesiredState.STARTED, 0);

    /** Records every command; instances and status are set by the test. */
    private static class Env implements LrmEnvironment {
        Instant now = T0;
        boolean majority = true;
        Instant contact = T0;
        ManagerStatus status = ManagerStatus.empty();
        final Map<String, LocalInstance> instances = new TreeMap<>();
        final List<String> commands = new ArrayList<>();
        final List<LrmReport> reports = new ArrayList<>();
        final List<HaEvent> events = new ArrayList<>();

        public String node() {
            return "node1";
        }

        public Instant now() {
            return now;
        }

        public boolean hasMajority() {
            return majority;
        }

        public Instant lastMajorityContact() {
            return contact;
        }

        public Optional<ManagerStatus> readStatus() {
            return majority ? Optional.of(status) : Optional.empty();
        }

        public Map<String, ResourceSpec> resources() {
            return Map.of(WEB.id(), WEB);
        }

        public Map<String, LocalInstance> instances() {
            return Map.copyOf(instances);
        }

        public void start(ResourceSpec r) {
            commands.add("start " + r.id());
            instances.put(r.id(), new LocalInstance(r.id(), LocalInstance.State.STARTING, null));
        }

        public void stop(String r) {
            commands.add("stop " + r);
        }

        public void kill(String r) {
            commands.add("kill " + r);
            instances.remove(r);
        }

        public void migrate(String r, String target) {
            commands.add("migrate " + r + " " + target);
        }

        public void report(LrmReport report) {
            reports.add(report);
        }

        public void emit(HaEvent event) {
            events.add(event);
        }
    }

    private static ManagerStatus assign(ResourceState state, String node, String target, long uid) {
        ResourceStatus st = new ResourceStatus(state, node, target, uid, T0, null, 0, null, null, null, false, 0, false);
        return ManagerStatus.of(Map.of(), Map.of(WEB.id(), st), uid, null);
    }

    @Test
    void aSelfFenceIsAnnouncedOncePerCutOffWhileItsDeadInstancesStayListed() {
        Env env = new Env() {
            @Override
            public void kill(String r) {
                commands.add("kill " + r);
                // The VM agent lists a killed QEMU as failed until the status says otherwise.
                instances.put(r, new LocalInstance(r, LocalInstance.State.FAILED, "killed by the HA manager"));
            }
        };
        env.status = assign(ResourceState.STARTED, "node1", null, 1);
        env.instances.put("vm:web", new LocalInstance("vm:web", LocalInstance.State.RUNNING, null));
        LocalResourceManager lrm = new LocalResourceManager(env, HaConfig.defaults());
        env.majority = false;
        for (int s = 6; s < 30; s++) {
            env.now = T0.plusSeconds(s);
            lrm.step();
        }
        assertThat(env.commands).hasSize(24).containsOnly("kill vm:web");
        assertThat(env.events).singleElement().isInstanceOf(HaEvent.SelfFenced.class);

        // Back in contact, then cut off again: a new self-fence, announced again.
        env.majority = true;
        env.now = T0.plusSeconds(30);
        lrm.step();
        env.majority = false;
        env.contact = T0.plusSeconds(30);
        env.now = T0.plusSeconds(36);
        lrm.step();
        assertThat(env.events).filteredOn(e -> e instanceof HaEvent.SelfFenced).hasSize(2);
    }

    @Test
    void selfFencesExactlyAtTheTimeoutAndNeverStartsWhileCutOff() {
        Env env = new Env();
        env.status = assign(ResourceState.STARTED, "node1", null, 1);
        env.instances.put("vm:web", new LocalInstance("vm:web", LocalInstance.State.RUNNING, null));
        env.instances.put("vm:db", new LocalInstance("vm:db", LocalInstance.State.FAILED, "paused on an I/O error"));
        LocalResourceManager lrm = new LocalResourceManager(env, HaConfig.defaults());
        env.majority = false;
        for (int s = 1; s < 6; s++) {
            env.now = T0.plusSeconds(s);
            lrm.step();
        }
        assertThat(env.commands).isEmpty();
        env.now = T0.plusSeconds(6);
        lrm.step();
        assertThat(env.commands).containsExactly("kill vm:db", "kill vm:web");
        assertThat(env.events).singleElement().isInstanceOf(HaEvent.SelfFenced.class);
        env.now = T0.plusSeconds(7);
        lrm.step();
        assertThat(env.commands).hasSize(2);
        assertThat(env.reports).isEmpty();
    }

    @Test
    void restartsUpToTheLimitThenReportsTheFailureAndStaysDown() {
        Env env = new Env();
        env.status = assign(ResourceState.STARTED, "node1", null, 7);
        LocalResourceManager lrm = new LocalResourceManager(env, HaConfig.defaults().withLimits(2, 1));
        env.instances.put("vm:web", new LocalInstance("vm:web", LocalInstance.State.FAILED, "QEMU exited"));
        lrm.step();
        env.instances.put("vm:web", new LocalInstance("vm:web", LocalInstance.State.FAILED, "QEMU exited"));
        lrm.step();
        assertThat(env.commands).containsExactly("kill vm:web", "start vm:web", "kill vm:web", "start vm:web");
        env.instances.put("vm:web", new LocalInstance("vm:web", LocalInstance.State.FAILED, "QEMU exited"));
        lrm.step();
        lrm.step();
        assertThat(env.commands).hasSize(5).endsWith("kill vm:web");
        assertThat(env.reports).extracting(LrmReport::outcome).containsExactly(LrmReport.Outcome.FAILED,
                LrmReport.Outcome.FAILED);
        assertThat(env.events).extracting(e -> e.getClass().getSimpleName()).containsExactly("RestartAttempt",
                "RestartAttempt", "LocalGaveUp");
    }

    @Test
    void aCopyAssignedElsewhereIsKilledButAnIncomingMigrationIsLeftAlone() {
        Env env = new Env();
        env.instances.put("vm:web", new LocalInstance("vm:web", LocalInstance.State.RUNNING, null));
        LocalResourceManager lrm = new LocalResourceManager(env, HaConfig.defaults());
        env.status = assign(ResourceState.MIGRATE, "node2", "node1", 3);
        lrm.step();
        assertThat(env.commands).isEmpty();
        env.status = assign(ResourceState.FENCE, "node2", null, 4);
        lrm.step();
        assertThat(env.commands).containsExactly("kill vm:web");
    }

    @Test
    void aMigrationItBeganIsReportedDoneWhenTheInstanceIsGone() {
        Env env = new Env();
        env.instances.put("vm:web", new LocalInstance("vm:web", LocalInstance.State.RUNNING, null));
        env.status = assign(ResourceState.MIGRATE, "node1", "node2", 5);
        LocalResourceManager lrm = new LocalResourceManager(env, HaConfig.defaults());
        lrm.step();
        assertThat(env.commands).containsExactly("migrate vm:web node2");
        env.instances.clear();
        lrm.step();
        assertThat(env.reports).extracting(LrmReport::outcome).containsExactly(LrmReport.Outcome.MIGRATED);
        // A new LRM (the node process restarted) cannot tell a finished migration from a vanished
        // VM: it says only that the VM is not here, and the CRM asks the target.
        new LocalResourceManager(env, HaConfig.defaults()).step();
        assertThat(env.reports).extracting(LrmReport::outcome).endsWith(LrmReport.Outcome.STOPPED);
    }

    @Test
    void theTargetOfAMigrationReportsWhetherItHasTheInstance() {
        Env env = new Env();
        env.status = assign(ResourceState.MIGRATE, "node2", "node1", 5);
        LocalResourceManager lrm = new LocalResourceManager(env, HaConfig.defaults());
        lrm.step();
        env.instances.put("vm:web", new LocalInstance("vm:web", LocalInstance.State.RUNNING, null));
        lrm.step();
        assertThat(env.reports).extracting(LrmReport::outcome).containsExactly(LrmReport.Outcome.STOPPED,
                LrmReport.Outcome.MIGRATED);
        assertThat(env.commands).isEmpty();
    }
}
