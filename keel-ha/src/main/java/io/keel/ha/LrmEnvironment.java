package io.keel.ha;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Everything one node's local resource manager reads or does. */
public interface LrmEnvironment {
    String node();

    Instant now();

    /** Whether this node reaches the metadata majority now (it renews its leases only then). */
    boolean hasMajority();

    /** When this node last reached the majority. */
    Instant lastMajorityContact();

    /** The manager status and resource configuration, read from the majority; empty without it. */
    Optional<ManagerStatus> readStatus();

    Map<String, ResourceSpec> resources();

    /** The instances of HA resources present on this node, by resource id. */
    Map<String, LocalInstance> instances();

    void start(ResourceSpec resource);

    /** A clean stop (guest shutdown, or unplumbing a virtual IP). */
    void stop(String resource);

    /** Immediate: kill -9 of the QEMU, removal of the address. */
    void kill(String resource);

    /** Live migration of the running instance to {@code target}. */
    void migrate(String resource, String target);

    void report(LrmReport report);

    void emit(HaEvent event);
}
