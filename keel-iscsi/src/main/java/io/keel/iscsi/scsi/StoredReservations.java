package io.keel.iscsi.scsi;

import io.keel.iscsi.scsi.PrState.Attention;
import io.keel.iscsi.scsi.PrState.ItNexus;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persistent reservations kept in a {@link ReservationStore}, so that every target of a target
 * group (one per node) enforces and changes the same state. Each PR OUT reads the latest state,
 * computes the next one ({@link PrRules}) and compare-and-sets it, recomputing when another node
 * won the race. The conflict check on every command reuses the parsed state until the stored
 * version changes. Unit attentions owed to a nexus travel in the state, so the nexus gets them on
 * whichever node it is logged in to.
 */
public final class StoredReservations implements Reservations {
    private static final Logger log = LoggerFactory.getLogger(StoredReservations.class);
    /** Lost compare-and-set races before the command gives up (ABORTED COMMAND: initiators retry). */
    static final int MAX_ATTEMPTS = 32;
    /** The stored state's limit; beyond it registrations are refused. */
    static final int MAX_STATE_CHARS = 64 * 1024;

    private final ReservationStore store;
    private final List<Integer> groupPorts;
    /** The last state parsed, by stored version; replaced whole, possibly by an older one (then re-read). */
    private volatile Snapshot cached = new Snapshot(0, PrState.EMPTY);
    /** Whether {@link #cached} came from the store (not just the initial empty state) and was readable. */
    private volatile boolean trusted;

    private record Snapshot(long version, PrState state) {}

    /**
     * @param ports the target group's ports: ALL_TG_PT registers an initiator on each of them
     */
    public StoredReservations(ReservationStore store, TargetPorts ports) {
        this.store = Objects.requireNonNull(store, "store");
        this.groupPorts = Objects.requireNonNull(ports, "ports").relativePortIds();
    }

    /** Reservations of a standalone LUN (one port), in memory. */
    public static StoredReservations inMemory() {
        return new StoredReservations(new InMemoryReservationStore(), TargetPorts.single());
    }

    /** The current state, for tests and diagnostics. */
    public PrState state() {
        try {
            return current().state();
        } catch (SenseException e) {
            throw new IllegalStateException("reservation state unreadable: " + e.getMessage(), e);
        }
    }

    /** @throws SenseException the store failed or holds something unreadable */
    private Snapshot current() throws SenseException {
        Optional<ReservationStore.Stored> stored;
        try {
            stored = store.load();
        } catch (RuntimeException e) {
            log.warn("persistent reservation store unavailable: {}", e.toString());
            throw new SenseException(storeFailure());
        }
        Snapshot c = cached;
        long version = stored.map(ReservationStore.Stored::version).orElse(0L);
        if (version == c.version()) {
            trusted = true;
            return c;
        }
        if (stored.isEmpty()) {
            c = new Snapshot(0, PrState.EMPTY);
        } else {
            try {
                c = new Snapshot(version, PrStateCodec.decode(stored.get().state()));
            } catch (IllegalArgumentException e) {
                log.error("persistent reservation state version {} unreadable: {}", version, e.getMessage());
                trusted = false;
                throw new SenseException(storeFailure());
            }
        }
        cached = c;
        trusted = true;
        return c;
    }

    private static Sense storeFailure() {
        return Sense.of(Sense.ABORTED_COMMAND, 0x44, 0x00); // INTERNAL TARGET FAILURE, retryable
    }

    @Override
    public boolean conflicts(ScsiRequest.Nexus nexus, byte[] cdb) {
        PrState s;
        try {
            s = current().state();
        } catch (SenseException e) {
            if (!trusted) {
                // Nothing readable yet, or the state is corrupt: fail closed, as if someone else
                // held an exclusive-access reservation.
                return PrIn.guarded(cdb, true);
            }
            s = cached.state(); // the store is down: the last state read still applies
        }
        return PrIn.conflicts(s, ItNexus.of(nexus), cdb);
    }

    @Override
    public ScsiResult in(ScsiRequest r) throws SenseException {
        return PrIn.answer(current().state(), r);
    }

    @Override
    public ScsiResult out(ScsiRequest r) throws SenseException {
        ItNexus me = ItNexus.of(r.nexus());
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Snapshot c = current();
            switch (PrRules.out(c.state(), me, r, groupPorts)) {
                case PrRules.Conflict x -> {
                    return ScsiResult.status(ScsiStatus.RESERVATION_CONFLICT);
                }
                case PrRules.Unchanged x -> {
                    return ScsiResult.good();
                }
                case PrRules.Changed ch -> {
                    String text = PrStateCodec.encode(ch.next());
                    if (text.length() > MAX_STATE_CHARS) {
                        throw new SenseException(PrRules.insufficientResources());
                    }
                    if (replace(c.version(), text)) {
                        return ScsiResult.good();
                    }
                }
            }
        }
        log.warn("persistent reservation update lost {} races in a row", MAX_ATTEMPTS);
        throw new SenseException(storeFailure());
    }

    @Override
    public Optional<Sense> takeUnitAttention(ScsiRequest.Nexus nexus) {
        ItNexus me = ItNexus.of(nexus);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Snapshot c;
            try {
                c = current();
            } catch (SenseException e) {
                return Optional.empty(); // delivered once the store answers again
            }
            Optional<Attention> a = c.state().attentionFor(me);
            if (a.isEmpty()) {
                return Optional.empty();
            }
            try {
                // Removed before it is reported, so two nodes never both report it.
                if (replace(c.version(), PrStateCodec.encode(c.state().without(a.get())))) {
                    return Optional.of(a.get().sense());
                }
            } catch (SenseException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private boolean replace(long version, String text) throws SenseException {
        try {
            return store.replace(version, text);
        } catch (RuntimeException e) {
            log.warn("persistent reservation store refused an update: {}", e.toString());
            throw new SenseException(storeFailure());
        }
    }
}
