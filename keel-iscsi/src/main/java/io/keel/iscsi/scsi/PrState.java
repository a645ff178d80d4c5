package io.keel.iscsi.scsi;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The persistent reservation state of one LUN (SPC-4 5.12), as shared by every target port of its
 * target group. Immutable; {@link PrRules} computes the next state, {@link PrStateCodec} stores it.
 *
 * @param generation    the PRgeneration (32 bits on the wire)
 * @param aptpl         the last registration asked for persistence through power loss; the state
 *                      is always persistent here, the flag is only reported back
 * @param registrations one per registered I_T nexus, in registration order
 * @param reservation   the reservation, if any; its holder is registered
 * @param attentions    unit attentions owed to I_T nexuses (preempted, released, cleared), oldest
 *                      first, delivered on whichever node the nexus lives
 */
public record PrState(long generation, boolean aptpl, List<Registration> registrations,
        Optional<Reservation> reservation, List<Attention> attentions) {

    public static final int WRITE_EXCLUSIVE = 1;
    public static final int EXCLUSIVE_ACCESS = 3;
    public static final int WRITE_EXCLUSIVE_REGISTRANTS_ONLY = 5;
    public static final int EXCLUSIVE_ACCESS_REGISTRANTS_ONLY = 6;
    public static final int WRITE_EXCLUSIVE_ALL_REGISTRANTS = 7;
    public static final int EXCLUSIVE_ACCESS_ALL_REGISTRANTS = 8;

    public static final PrState EMPTY = new PrState(0, false, List.of(), Optional.empty(), List.of());

    /**
     * An I_T nexus as the whole target group knows it: the initiator port ("iqn,i,0x" + ISID) and
     * the relative target port, which the node makes unique across the group's targets.
     */
    public record ItNexus(String initiatorPort, int relativeTargetPort) {
        public ItNexus {
            Objects.requireNonNull(initiatorPort, "initiatorPort");
            if (initiatorPort.isEmpty() || relativeTargetPort < 0 || relativeTargetPort > 0xffff) {
                throw new IllegalArgumentException("bad I_T nexus " + initiatorPort + " / " + relativeTargetPort);
            }
        }

        public static ItNexus of(ScsiRequest.Nexus n) {
            return new ItNexus(n.initiatorPort(), n.relativeTargetPort());
        }
    }

    /** @param allTargetPorts registered with ALL_TG_PT: re-keyed and unregistered as one, on every port */
    public record Registration(ItNexus nexus, long key, boolean allTargetPorts) {
        public Registration {
            Objects.requireNonNull(nexus, "nexus");
            if (key == 0) {
                throw new IllegalArgumentException("a registration key is never 0");
            }
        }
    }

    public record Reservation(ItNexus holder, int type) {
        public Reservation {
            Objects.requireNonNull(holder, "holder");
            if (!validType(type)) {
                throw new IllegalArgumentException("reservation type " + type);
            }
        }
    }

    public record Attention(ItNexus nexus, int asc, int ascq) {
        public Attention {
            Objects.requireNonNull(nexus, "nexus");
            if (asc < 0 || asc > 0xff || ascq < 0 || ascq > 0xff) {
                throw new IllegalArgumentException("ASC/ASCQ " + asc + "/" + ascq);
            }
        }

        public Sense sense() {
            return Sense.of(Sense.UNIT_ATTENTION, asc, ascq);
        }
    }

    public PrState {
        registrations = List.copyOf(Objects.requireNonNull(registrations, "registrations"));
        Objects.requireNonNull(reservation, "reservation");
        attentions = List.copyOf(Objects.requireNonNull(attentions, "attentions"));
        if (generation < 0 || generation > 0xffffffffL) {
            throw new IllegalArgumentException("generation " + generation);
        }
        if (registrations.stream().map(Registration::nexus).distinct().count() != registrations.size()) {
            throw new IllegalArgumentException("an I_T nexus registered twice");
        }
        if (reservation.isPresent()) {
            ItNexus holder = reservation.get().holder();
            if (registrations.stream().noneMatch(g -> g.nexus().equals(holder))) {
                throw new IllegalArgumentException("reservation holder " + holder + " is not registered");
            }
        }
    }

    public static boolean validType(int type) {
        return type == WRITE_EXCLUSIVE || type == EXCLUSIVE_ACCESS || type == WRITE_EXCLUSIVE_REGISTRANTS_ONLY
                || type == EXCLUSIVE_ACCESS_REGISTRANTS_ONLY || type == WRITE_EXCLUSIVE_ALL_REGISTRANTS
                || type == EXCLUSIVE_ACCESS_ALL_REGISTRANTS;
    }

    public static boolean allRegistrants(int type) {
        return type == WRITE_EXCLUSIVE_ALL_REGISTRANTS || type == EXCLUSIVE_ACCESS_ALL_REGISTRANTS;
    }

    public Optional<Registration> registration(ItNexus n) {
        for (Registration g : registrations) {
            if (g.nexus().equals(n)) {
                return Optional.of(g);
            }
        }
        return Optional.empty();
    }

    /** Whether {@code n} holds the reservation: its holder, or any registrant for the all-registrants types. */
    public boolean holds(ItNexus n) {
        if (reservation.isEmpty()) {
            return false;
        }
        Reservation r = reservation.get();
        return allRegistrants(r.type()) ? registration(n).isPresent() : r.holder().equals(n);
    }

    public Optional<Attention> attentionFor(ItNexus n) {
        for (Attention a : attentions) {
            if (a.nexus().equals(n)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** This state without {@code a} (delivered). */
    public PrState without(Attention a) {
        List<Attention> rest = new java.util.ArrayList<>(attentions);
        rest.remove(a);
        return new PrState(generation, aptpl, registrations, reservation, rest);
    }
}
