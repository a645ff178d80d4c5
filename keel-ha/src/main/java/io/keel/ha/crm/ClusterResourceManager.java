package io.keel.ha.crm;

import io.keel.ha.CrmEnvironment;
import io.keel.ha.HaConfig;
import io.keel.ha.HaEvent;
import io.keel.ha.ManagerStatus;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster resource manager: runs on the metadata leader only, one {@link #step} per heartbeat
 * interval. It keeps nothing between steps but whether it has announced itself, so a CRM started
 * on a new leader resumes exactly where the persisted status says the old one was.
 */
public final class ClusterResourceManager {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterResourceManager.class);

    private final CrmEnvironment env;
    private final Supplier<HaConfig> config;
    private boolean announced;

    public ClusterResourceManager(CrmEnvironment env, HaConfig config) {
        this(env, constant(Objects.requireNonNull(config, "config")));
    }

    /**
     * A manager whose configuration is read at every step: the cluster's HA settings (relocation
     * mode, migrate-back) can change while it runs, and the step is a pure function of them.
     */
    public ClusterResourceManager(CrmEnvironment env, Supplier<HaConfig> config) {
        this.env = Objects.requireNonNull(env, "env");
        this.config = Objects.requireNonNull(config, "config");
    }

    private static Supplier<HaConfig> constant(HaConfig config) {
        return () -> config;
    }

    public void step() {
        Optional<ManagerStatus> persisted = env.loadStatus();
        if (!announced) {
            announced = true;
            env.emit(new HaEvent.ManagerActive(env.now(), env.node(), persisted.isPresent()));
        }
        CrmStep.Result result = new CrmStep(env.now(), Objects.requireNonNull(config.get(), "config"), env.snapshot(), persisted.orElseGet(ManagerStatus::empty))
                .run();
        // Saved before the events go out: an event must never announce a decision that a crash
        // right after it would undo.
        env.saveStatus(result.status());
        for (HaEvent e : result.events()) {
            LOG.debug("{}", e);
            env.emit(e);
        }
    }
}
