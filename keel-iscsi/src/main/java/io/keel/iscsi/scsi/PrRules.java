package io.keel.iscsi.scsi;

import io.keel.iscsi.scsi.PrState.Attention;
import io.keel.iscsi.scsi.PrState.ItNexus;
import io.keel.iscsi.scsi.PrState.Registration;
import io.keel.iscsi.scsi.PrState.Reservation;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PERSISTENT RESERVE OUT as a pure function of the current state (SPC-4 5.12.7-5.12.11, 6.16):
 * REGISTER, REGISTER AND IGNORE EXISTING KEY (with ALL_TG_PT), RESERVE, RELEASE, CLEAR, PREEMPT and
 * PREEMPT AND ABORT. The caller stores the outcome with a compare-and-set and recomputes on a lost
 * race, so nothing here may have side effects.
 */
final class PrRules {
    private PrRules() {}

    /** Registrations beyond this are refused (INSUFFICIENT REGISTRATION RESOURCES). */
    static final int MAX_REGISTRATIONS = 128;
    /** Owed unit attentions kept; the oldest go first. */
    static final int MAX_ATTENTIONS = 64;

    static final int REGISTER = 0;
    static final int RESERVE = 1;
    static final int RELEASE = 2;
    static final int CLEAR = 3;
    static final int PREEMPT = 4;
    static final int PREEMPT_AND_ABORT = 5;
    static final int REGISTER_AND_IGNORE = 6;

    private static final int RESERVATIONS_PREEMPTED = 0x03;
    private static final int RESERVATIONS_RELEASED = 0x04;
    private static final int REGISTRATIONS_PREEMPTED = 0x05;

    /** What a PR OUT command comes to. */
    sealed interface Outcome {}

    /** GOOD, and the state to store. */
    record Changed(PrState next) implements Outcome {}

    /** GOOD, nothing to store. */
    record Unchanged() implements Outcome {}

    /** RESERVATION CONFLICT, nothing changes. */
    record Conflict() implements Outcome {}

    static Sense insufficientResources() {
        return Sense.of(Sense.ILLEGAL_REQUEST, 0x55, 0x04);
    }

    /**
     * @param groupPorts the relative target ports of every target in the group, for ALL_TG_PT
     * @throws SenseException a malformed CDB or parameter list; nothing changes
     */
    static Outcome out(PrState s, ItNexus me, ScsiRequest r, List<Integer> groupPorts) throws SenseException {
        int action = r.u8(1) & 0x1f;
        if (action > REGISTER_AND_IGNORE) {
            throw new SenseException(Sense.invalidFieldInCdb(1)); // REGISTER AND MOVE and reserved codes
        }
        int scope = r.u8(2) >> 4;
        int type = r.u8(2) & 0x0f;
        if (r.u32(5) != 24 || r.dataOut().length < 24) {
            throw new SenseException(Sense.parameterListLength());
        }
        ByteBuffer p = ByteBuffer.wrap(r.dataOut());
        long key = p.getLong(0);
        long sark = p.getLong(8);
        int flags = p.get(20) & 0xff;
        if ((flags & 0x08) != 0) {
            throw new SenseException(Sense.invalidFieldInParameters(20)); // SPEC_I_PT: not supported
        }
        boolean register = action == REGISTER || action == REGISTER_AND_IGNORE;
        Draft d = new Draft(s);
        Registration mine = d.regs.get(me);
        if (register) {
            if (action == REGISTER && (mine == null ? key != 0 : key != mine.key())) {
                return new Conflict();
            }
            // ALL_TG_PT counts for the register actions only (SPC-4 6.16.3).
            return register(d, me, mine, sark, (flags & 0x04) != 0, (flags & 0x01) != 0, groupPorts);
        }
        if (mine == null || mine.key() != key) {
            return new Conflict();
        }
        return switch (action) {
            case RESERVE -> reserve(d, me, scope, type);
            case RELEASE -> release(d, me, scope, type);
            case CLEAR -> {
                for (Registration g : d.regs.values()) {
                    if (!g.nexus().equals(me)) {
                        d.attention(g.nexus(), RESERVATIONS_PREEMPTED);
                    }
                }
                d.regs.clear();
                d.reservation = null;
                yield d.changed(true);
            }
            default -> preempt(d, me, sark, scope, type); // PREEMPT, PREEMPT AND ABORT
        };
    }

    private static Outcome register(Draft d, ItNexus me, Registration mine, long sark, boolean allTgPt,
            boolean aptpl, List<Integer> groupPorts) throws SenseException {
        if (mine == null) {
            if (sark == 0) {
                return new Unchanged(); // registering key 0 is a no-op (SPC-4 5.12.7)
            }
            List<ItNexus> nexuses = new ArrayList<>();
            if (allTgPt) {
                for (int port : groupPorts) {
                    nexuses.add(new ItNexus(me.initiatorPort(), port));
                }
            }
            if (!nexuses.contains(me)) {
                nexuses.add(me);
            }
            for (ItNexus n : nexuses) {
                d.regs.put(n, new Registration(n, sark, allTgPt));
            }
            if (d.regs.size() > MAX_REGISTRATIONS) {
                throw new SenseException(insufficientResources());
            }
        } else {
            // A registration made with ALL_TG_PT changes on every port at once.
            List<ItNexus> nexuses = new ArrayList<>();
            for (Registration g : d.regs.values()) {
                if (g.nexus().equals(me) || (mine.allTargetPorts() && g.allTargetPorts()
                        && g.nexus().initiatorPort().equals(me.initiatorPort()))) {
                    nexuses.add(g.nexus());
                }
            }
            for (ItNexus n : nexuses) {
                if (sark == 0) {
                    d.unregister(n);
                } else {
                    d.regs.put(n, new Registration(n, sark, d.regs.get(n).allTargetPorts()));
                }
            }
        }
        if (sark != 0) {
            d.aptpl = aptpl;
        }
        return d.changed(true);
    }

    private static Outcome reserve(Draft d, ItNexus me, int scope, int type) throws SenseException {
        checkScopeAndType(scope, type);
        if (d.reservation != null) {
            boolean holds = d.reservation.holder().equals(me) || PrState.allRegistrants(d.reservation.type());
            return holds && d.reservation.type() == type ? new Unchanged() : new Conflict();
        }
        d.reservation = new Reservation(me, type);
        return d.changed(false); // RESERVE leaves the generation alone
    }

    private static Outcome release(Draft d, ItNexus me, int scope, int type) throws SenseException {
        Reservation r = d.reservation;
        if (r == null || !(r.holder().equals(me) || PrState.allRegistrants(r.type()))) {
            return new Unchanged(); // releasing what one does not hold is a no-op
        }
        if (scope != 0 || type != r.type()) {
            throw new SenseException(Sense.of(Sense.ILLEGAL_REQUEST, 0x26, 0x04)); // INVALID RELEASE
        }
        d.reservation = null;
        if (r.type() != PrState.WRITE_EXCLUSIVE && r.type() != PrState.EXCLUSIVE_ACCESS) {
            d.attentionToRegistrantsBut(me, RESERVATIONS_RELEASED);
        }
        return d.changed(false);
    }

    private static Outcome preempt(Draft d, ItNexus me, long sark, int scope, int type) throws SenseException {
        checkScopeAndType(scope, type);
        Reservation r = d.reservation;
        if (r != null && PrState.allRegistrants(r.type()) && sark == 0) {
            // Preempting an all-registrants reservation with key 0 removes everyone else and takes it.
            for (Registration g : List.copyOf(d.regs.values())) {
                if (!g.nexus().equals(me)) {
                    d.regs.remove(g.nexus());
                    d.attention(g.nexus(), REGISTRATIONS_PREEMPTED);
                }
            }
            d.reservation = new Reservation(me, type);
            return d.changed(true);
        }
        if (sark == 0) {
            throw new SenseException(Sense.invalidFieldInParameters(8));
        }
        if (d.regs.values().stream().noneMatch(g -> g.key() == sark)) {
            return new Conflict();
        }
        boolean takesOver = r != null && !PrState.allRegistrants(r.type()) && d.regs.get(r.holder()).key() == sark;
        for (Registration g : List.copyOf(d.regs.values())) {
            if (g.key() == sark && !g.nexus().equals(me)) {
                d.regs.remove(g.nexus());
                d.attention(g.nexus(), REGISTRATIONS_PREEMPTED);
            }
        }
        if (takesOver) {
            d.reservation = new Reservation(me, type);
            if (r.type() != type) {
                d.attentionToRegistrantsBut(me, RESERVATIONS_RELEASED);
            }
        } else if (r != null && !d.regs.containsKey(r.holder())) {
            d.reservation = PrState.allRegistrants(r.type()) && !d.regs.isEmpty()
                    ? new Reservation(d.regs.keySet().iterator().next(), r.type())
                    : null;
        }
        return d.changed(true);
    }

    private static void checkScopeAndType(int scope, int type) throws SenseException {
        if (scope != 0 || !PrState.validType(type)) {
            throw new SenseException(Sense.invalidFieldInCdb(2)); // LU_SCOPE only; the six types
        }
    }

    /** A mutable copy of a state, discarded unless the command succeeds. */
    private static final class Draft {
        final Map<ItNexus, Registration> regs = new LinkedHashMap<>();
        final List<Attention> attentions;
        Reservation reservation;
        long generation;
        boolean aptpl;

        Draft(PrState s) {
            for (Registration g : s.registrations()) {
                regs.put(g.nexus(), g);
            }
            attentions = new ArrayList<>(s.attentions());
            reservation = s.reservation().orElse(null);
            generation = s.generation();
            aptpl = s.aptpl();
        }

        void unregister(ItNexus n) {
            regs.remove(n);
            if (reservation == null) {
                return;
            }
            if (PrState.allRegistrants(reservation.type())) {
                // Held by all registrants: it lasts while anyone is registered; keep a registered holder.
                reservation = regs.isEmpty() ? null
                        : reservation.holder().equals(n) ? new Reservation(regs.keySet().iterator().next(),
                                reservation.type()) : reservation;
            } else if (reservation.holder().equals(n)) {
                int type = reservation.type();
                reservation = null;
                if (type == PrState.WRITE_EXCLUSIVE_REGISTRANTS_ONLY || type == PrState.EXCLUSIVE_ACCESS_REGISTRANTS_ONLY) {
                    attentionToRegistrantsBut(n, RESERVATIONS_RELEASED);
                }
            }
        }

        void attentionToRegistrantsBut(ItNexus me, int ascq) {
            for (ItNexus n : regs.keySet()) {
                if (!n.equals(me)) {
                    attention(n, ascq);
                }
            }
        }

        void attention(ItNexus n, int ascq) {
            Attention a = new Attention(n, 0x2a, ascq);
            if (attentions.contains(a)) {
                return;
            }
            if (attentions.size() == MAX_ATTENTIONS) {
                attentions.removeFirst();
            }
            attentions.add(a);
        }

        Changed changed(boolean bumpGeneration) {
            long g = bumpGeneration ? (generation + 1) & 0xffffffffL : generation;
            return new Changed(new PrState(g, aptpl, List.copyOf(regs.values()), java.util.Optional.ofNullable(reservation),
                    attentions));
        }
    }
}
