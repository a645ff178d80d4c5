package io.keel.iscsi.target;

import io.keel.iscsi.login.AccessPolicy;
import io.keel.iscsi.scsi.LogicalUnit;
import io.keel.iscsi.scsi.LunSpec;
import io.keel.iscsi.scsi.Luns;
import io.keel.iscsi.scsi.ReservationStore;
import io.keel.iscsi.scsi.StoredReservations;
import io.keel.iscsi.scsi.TargetPorts;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One target of a running {@link IscsiServer}: its IQN, its port in the target group, who may log
 * in, and its LUNs, all changeable while sessions run. Thread-safe. A LUN added or removed raises
 * REPORTED LUNS DATA HAS CHANGED on the target's nexuses; a new access policy applies to the next
 * logins (sessions already in are left alone).
 */
public final class Target {
    private final String iqn;
    private final TargetPorts ports;
    private final Luns luns = new Luns();
    private volatile AccessPolicy access;
    private volatile List<Peer> peers = List.of();

    /**
     * A target of the same group on another node, named in SendTargets answers next to this one so
     * that discovery at any portal finds every path.
     *
     * @param portal {@code ADDRESS:PORT}, an IPv6 address in brackets
     */
    public record Peer(String iqn, String portal) {
        public Peer {
            Objects.requireNonNull(iqn, "iqn");
            Objects.requireNonNull(portal, "portal");
        }
    }

    Target(String iqn, TargetPorts ports, AccessPolicy access) {
        this.iqn = TargetConfig.checkName(iqn);
        this.ports = Objects.requireNonNull(ports, "ports");
        this.access = Objects.requireNonNull(access, "access");
    }

    public String iqn() {
        return iqn;
    }

    public TargetPorts ports() {
        return ports;
    }

    public AccessPolicy access() {
        return access;
    }

    public List<Peer> peers() {
        return peers;
    }

    /** Replaces the group's other targets this one's discovery answers name. */
    public void peers(List<Peer> next) {
        this.peers = List.copyOf(next);
    }

    /** Replaces the access policy; it governs logins from now on. */
    public void access(AccessPolicy policy) {
        this.access = Objects.requireNonNull(policy, "policy");
    }

    /**
     * Exports a volume as LUN {@code lun}, standby (no storage attached) until the node calls
     * {@link LogicalUnit#activate}. Its reservations live in {@code store}, which every target of
     * the group must share for this volume.
     *
     * @return the new unit, for the node to switch between standby and active
     * @throws IllegalArgumentException {@code lun} is outside 0-255 or already in use (remove it first)
     */
    public LogicalUnit export(int lun, LunSpec spec, ReservationStore store) {
        LogicalUnit unit = new LogicalUnit(spec, ports, new StoredReservations(store, ports));
        synchronized (this) {
            if (luns.units().containsKey(lun)) {
                throw new IllegalArgumentException("LUN " + lun + " of " + iqn + " is in use");
            }
            luns.put(lun, unit);
        }
        return unit;
    }

    /**
     * Adds or replaces LUN {@code lun} with a unit built by the caller.
     *
     * @return the unit replaced, if any: the caller puts it in standby and closes its storage
     * @throws IllegalArgumentException the unit was built for other target ports
     */
    public Optional<LogicalUnit> put(int lun, LogicalUnit unit) {
        Objects.requireNonNull(unit, "unit");
        if (!unit.ports().equals(ports)) {
            throw new IllegalArgumentException("LUN built for ports " + unit.ports() + ", target has " + ports);
        }
        return luns.put(lun, unit);
    }

    /**
     * Removes LUN {@code lun}. Commands already running on it finish; the caller then calls
     * {@link LogicalUnit#standby()} (which waits for them) and closes the returned backend.
     */
    public Optional<LogicalUnit> remove(int lun) {
        return luns.remove(lun);
    }

    public Optional<LogicalUnit> lun(int lun) {
        return Optional.ofNullable(luns.units().get(lun));
    }

    /** The LUNs now, by number (a live, unmodifiable view). */
    public Map<Integer, LogicalUnit> luns() {
        return luns.units();
    }

    Luns table() {
        return luns;
    }
}
