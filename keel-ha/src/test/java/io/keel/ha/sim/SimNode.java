package io.keel.ha.sim;

import io.keel.ha.Capacity;
import io.keel.ha.NodeMode;
import io.keel.ha.lrm.LocalResourceManager;
import java.time.Instant;
import java.util.TreeMap;

/** A simulated server: power, metadata contact, the instances it runs and its LRM. */
final class SimNode {
    final String name;
    final boolean meta;
    Capacity capacity;
    boolean alive = true;
    /** Its LRM takes no step although the node is up and heard (see {@link Scenario.Action.Stall}). */
    boolean stalled;
    NodeMode mode = NodeMode.ACTIVE;
    /** Last time it reached the metadata majority: its heartbeats and lease renewals stop after. */
    Instant lastContact;
    final TreeMap<String, SimInstance> instances = new TreeMap<>();
    LocalResourceManager lrm;

    SimNode(String name, Capacity capacity, boolean meta, Instant start) {
        this.name = name;
        this.capacity = capacity;
        this.meta = meta;
        this.lastContact = start;
    }
}
