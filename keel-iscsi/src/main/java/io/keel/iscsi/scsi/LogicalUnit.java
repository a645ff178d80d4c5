package io.keel.iscsi.scsi;

import static io.keel.iscsi.scsi.Cdbs.*;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.StampedLock;

/**
 * One LUN: decodes a CDB and runs it against this node's path to the volume. Every failure becomes
 * CHECK CONDITION with sense data; nothing a CDB contains can throw out of {@link #execute}.
 *
 * <p>The node switches the path at run time: {@link #activate} attaches the open volume and makes
 * this path active/optimized, {@link #standby} detaches it (and returns it for closing), and
 * {@link #activeGroup} says which node's group holds the active path. Commands run under a read
 * lock that a path change takes exclusively, so once {@code standby()} returns no command is still
 * using the detached backend. Every change initiators can observe raises a unit attention on the
 * nexuses that used this LUN: ASYMMETRIC ACCESS STATE CHANGED (2Ah/06h) or CAPACITY DATA HAS
 * CHANGED (2Ah/09h).
 */
public final class LogicalUnit {
    static final Sense ALUA_CHANGED = Sense.of(Sense.UNIT_ATTENTION, 0x2a, 0x06);
    static final Sense CAPACITY_CHANGED = Sense.of(Sense.UNIT_ATTENTION, 0x2a, 0x09);

    private final TargetPorts ports;
    private final Reservations reservations;
    private final Identity identity;
    private final BlockLimits limits;
    private final UnitAttentions attentions = new UnitAttentions();
    /** Outlives path changes, so a LUN that turns active again reuses what it kept. */
    private final ReadBuffers buffers = new ReadBuffers();
    /**
     * Every command holds the read side, a path change the write side. A stamped lock, not a
     * ReentrantReadWriteLock: that one records each reader's hold count in a thread local, and
     * every command runs on a new virtual thread, so each read lock built and threw away a
     * thread-local map (a tenth of the target's CPU at 4 KiB random reads). Nothing here locks twice.
     */
    private final StampedLock gate = new StampedLock();
    private final Lock commands = gate.asReadLock();
    private final Lock pathChange = gate.asWriteLock();
    /** Replaced whole under the write side of {@link #gate}; read once per command. */
    private volatile View view;

    /** What one command sees: the configuration and the path, with the block commands when active. */
    private record View(LunSpec spec, PathState state, OptionalInt activeGroup, BlockCommands block) {}

    /** A LUN of a target group, created standby with no active path known. */
    public LogicalUnit(LunSpec spec, TargetPorts ports, Reservations reservations) {
        Objects.requireNonNull(spec, "spec");
        this.ports = Objects.requireNonNull(ports, "ports");
        this.reservations = Objects.requireNonNull(reservations, "reservations");
        this.identity = Identity.of(spec.volumeId());
        this.limits = BlockLimits.forBlockSize(spec.blockSize());
        this.view = new View(spec, new PathState.Standby(), OptionalInt.empty(), null);
    }

    /** A standalone LUN: one port, one group, active over {@code backend} from the start. */
    public LogicalUnit(LunBackend backend, Reservations reservations) {
        this(LunSpec.of(Objects.requireNonNull(backend, "backend")), TargetPorts.single(), reservations);
        activate(backend);
    }

    public LunSpec spec() {
        return view.spec();
    }

    public PathState state() {
        return view.state();
    }

    public TargetPorts ports() {
        return ports;
    }

    public Reservations reservations() {
        return reservations;
    }

    /** The ALUA states of every group as REPORT TARGET PORT GROUPS reports them now. */
    public PortGroups portGroups() {
        View v = view;
        return new PortGroups(ports, v.state().alua(), v.activeGroup());
    }

    /**
     * Makes this path active/optimized over {@code backend} (the volume, opened by the node that
     * holds its write lease) and records the local group as the one holding the active path.
     *
     * @return the backend that was attached before, if another one was (for the caller to close)
     * @throws IllegalArgumentException the backend's block size, id or size do not match the spec
     */
    public Optional<LunBackend> activate(LunBackend backend) {
        Objects.requireNonNull(backend, "backend");
        LunSpec spec = view.spec();
        if (backend.blockSize() != spec.blockSize()) {
            throw new IllegalArgumentException("backend block size " + backend.blockSize() + ", LUN " + spec.blockSize());
        }
        if (!backend.uniqueId().equals(spec.volumeId())) {
            throw new IllegalArgumentException("backend of volume " + backend.uniqueId() + ", LUN of " + spec.volumeId());
        }
        if (backend.size() < spec.size()) {
            throw new IllegalArgumentException("backend of " + backend.size() + " bytes behind a LUN of " + spec.size());
        }
        return change(new PathState.Active(backend), OptionalInt.of(ports.local().groupId()));
    }

    /**
     * Makes this path standby. Waits for the commands running on this LUN, so the returned backend
     * is no longer used by any of them when this returns.
     *
     * @return the detached backend, if the path was active
     */
    public Optional<LunBackend> standby() {
        return change(new PathState.Standby(), null);
    }

    /** The active path is moving (to or from here): commands get NOT READY, TRANSITIONING (04h/0Ah). */
    public Optional<LunBackend> transitioning() {
        return change(new PathState.Transitioning(), null);
    }

    /** This node cannot serve the LUN: commands get NOT READY, UNAVAILABLE (04h/0Ch). */
    public Optional<LunBackend> unavailable() {
        return change(new PathState.Unavailable(), null);
    }

    /**
     * Which group holds the active path, as the HA engine decided: that group is reported
     * active/optimized, the other remote groups standby; empty reports them unavailable. The local
     * group's state always follows this node's own path state.
     */
    public void activeGroup(OptionalInt group) {
        Objects.requireNonNull(group, "group");
        if (group.isPresent() && !ports.groupIds().contains(group.getAsInt())) {
            throw new IllegalArgumentException("group " + group.getAsInt() + " is not among " + ports.groupIds());
        }
        change(null, group);
    }

    /**
     * The volume's new size (after an extend, or a shrink the node allows). Active or not, initiators
     * see the new capacity at once and get CAPACITY DATA HAS CHANGED.
     */
    public void resize(long newSize) {
        pathChange.lock();
        try {
            View v = view;
            LunSpec spec = v.spec().withSize(newSize);
            if (spec.equals(v.spec())) {
                return;
            }
            if (v.state() instanceof PathState.Active a && a.backend().size() < newSize) {
                throw new IllegalArgumentException("the attached backend has only " + a.backend().size() + " bytes");
            }
            view = new View(spec, v.state(), v.activeGroup(), blockCommands(v.state(), spec));
            attentions.raiseAll(CAPACITY_CHANGED);
        } finally {
            pathChange.unlock();
        }
    }

    /** Swaps the path state and/or the active group; null keeps the current one. */
    private Optional<LunBackend> change(PathState next, OptionalInt activeGroup) {
        pathChange.lock();
        try {
            View v = view;
            PathState state = next == null ? v.state() : next;
            OptionalInt group = activeGroup == null ? v.activeGroup() : activeGroup;
            PortGroups before = portGroups();
            view = new View(v.spec(), state, group, blockCommands(state, v.spec()));
            if (!before.groups().equals(portGroups().groups())) {
                attentions.raiseAll(ALUA_CHANGED);
            }
            if (v.state() instanceof PathState.Active old && !(state instanceof PathState.Active now
                    && now.backend() == old.backend())) {
                return Optional.of(old.backend());
            }
            return Optional.empty();
        } finally {
            pathChange.unlock();
        }
    }

    private BlockCommands blockCommands(PathState state, LunSpec spec) {
        return state instanceof PathState.Active a ? new BlockCommands(a.backend(), limits, spec.blocks(), buffers) : null;
    }

    /**
     * A LOGICAL UNIT RESET or target reset happened: every I_T nexus that knows this LUN, the
     * resetting one included, is told so by a unit attention on its next command (SAM-5 5.14), since
     * its state there (reservations excepted) may be gone.
     */
    public void reset(boolean targetReset) {
        attentions.raiseAll(Sense.of(Sense.UNIT_ATTENTION, 0x29, targetReset ? 0x00 : 0x03));
    }

    public ScsiResult execute(ScsiRequest r) {
        commands.lock();
        try {
            return run(r, view);
        } catch (SenseException e) {
            return ScsiResult.check(e.sense());
        } finally {
            commands.unlock();
        }
    }

    private ScsiResult run(ScsiRequest r, View v) throws SenseException {
        int op = r.u8(0);
        String port = r.nexus().initiatorPort();
        attentions.seen(port);
        if (op != INQUIRY && op != REPORT_LUNS) {
            Optional<Sense> ua = attentions.take(port);
            if (ua.isEmpty()) {
                ua = reservations.takeUnitAttention(r.nexus());
            }
            if (ua.isPresent()) {
                // REQUEST SENSE reports the condition as its data; anything else fails with it.
                return op == REQUEST_SENSE ? ScsiResult.good(fit(ua.get().fixed(), r.u8(4))) : ScsiResult.check(ua.get());
            }
        }
        AluaState alua = v.state().alua();
        if (alua != AluaState.ACTIVE_OPTIMIZED && !allowedWhenInaccessible(alua, r)) {
            throw new SenseException(alua.notReady());
        }
        if (reservations.conflicts(r.nexus(), r.cdb())) {
            return ScsiResult.status(ScsiStatus.RESERVATION_CONFLICT);
        }
        return switch (op) {
            case REQUEST_SENSE -> requestSense(r, alua);
            case INQUIRY -> ScsiResult.good(fit(Inquiry.answer(r, limits, identity, ports.local()), r.u16(3)));
            case MODE_SENSE_6, MODE_SENSE_10 -> ScsiResult.good(ModePages.sense(r, v.spec(), readOnly(v)));
            case MAINTENANCE_IN -> maintenanceIn(r);
            case PERSISTENT_RESERVE_IN -> reservations.in(r);
            case PERSISTENT_RESERVE_OUT -> reservations.out(r);
            default -> media(r, v, op);
        };
    }

    /** The commands that need the volume; only an active path gets this far with them. */
    private ScsiResult media(ScsiRequest r, View v, int op) throws SenseException {
        BlockCommands block = v.block();
        return switch (op) {
            case TEST_UNIT_READY, START_STOP_UNIT, PREVENT_ALLOW -> ScsiResult.good();
            case READ_CAPACITY_10 -> ScsiResult.good(readCapacity10(v.spec()));
            case SERVICE_ACTION_IN_16 -> serviceActionIn(r, v.spec());
            case READ_6, READ_10, READ_12, READ_16 -> block.read(r);
            case WRITE_6, WRITE_10, WRITE_12, WRITE_16 -> block.write(r, false);
            case WRITE_AND_VERIFY_10, WRITE_AND_VERIFY_12, WRITE_AND_VERIFY_16 -> block.write(r, true);
            case VERIFY_10, VERIFY_12, VERIFY_16 -> block.verify(r);
            case WRITE_SAME_10, WRITE_SAME_16 -> block.writeSame(r);
            case UNMAP -> block.unmap(r);
            case COMPARE_AND_WRITE -> block.compareAndWrite(r);
            case SYNCHRONIZE_CACHE_10, SYNCHRONIZE_CACHE_16 -> block.synchronizeCache(r);
            case PRE_FETCH_10, PRE_FETCH_16 -> block.preFetch(r);
            default -> throw new SenseException(Sense.invalidOpcode());
        };
    }

    /**
     * What a path that is not active still answers (SPC-4 5.15.2.4.4-5.15.2.5): in standby, the
     * inquiry, mode and reservation commands, so initiators can probe the path and keep
     * reservations consistent through it; in unavailable and transitioning, only inquiry. REPORT
     * SUPPORTED OPERATION CODES is metadata too (SPC-5 adds it to the lists).
     */
    private static boolean allowedWhenInaccessible(AluaState state, ScsiRequest r) {
        int op = r.u8(0);
        boolean inquiry = op == INQUIRY || op == REPORT_LUNS || op == REQUEST_SENSE || (op == MAINTENANCE_IN
                && ((r.u8(1) & 0x1f) == SA_REPORT_TARGET_PORT_GROUPS
                        || (r.u8(1) & 0x1f) == SupportedOpcodes.SA_REPORT_SUPPORTED_OPCODES));
        if (state == AluaState.STANDBY) {
            return inquiry || op == MODE_SENSE_6 || op == MODE_SENSE_10 || op == PERSISTENT_RESERVE_IN
                    || op == PERSISTENT_RESERVE_OUT;
        }
        return inquiry;
    }

    private static boolean readOnly(View v) {
        return v.state() instanceof PathState.Active a && a.backend().readOnly();
    }

    private ScsiResult requestSense(ScsiRequest r, AluaState alua) {
        // We keep no deferred sense: every error was reported with its command (autosense). A path
        // that is not active reports why, as the command that failed on it did.
        boolean descriptor = (r.u8(1) & 0x01) != 0;
        Sense current = alua == AluaState.ACTIVE_OPTIMIZED ? Sense.noSense() : alua.notReady();
        byte[] data = descriptor
                ? new byte[] {0x72, (byte) current.key(), (byte) current.asc(), (byte) current.ascq(), 0, 0, 0, 0}
                : current.fixed();
        return ScsiResult.good(fit(data, r.u8(4)));
    }

    private static byte[] readCapacity10(LunSpec spec) {
        long last = spec.blocks() - 1;
        ByteBuffer b = ByteBuffer.allocate(8);
        b.putInt(0, last > 0xfffffffeL ? -1 : (int) last);
        b.putInt(4, spec.blockSize());
        return b.array();
    }

    private static ScsiResult serviceActionIn(ScsiRequest r, LunSpec spec) throws SenseException {
        int sa = r.u8(1) & 0x1f;
        long allocation = r.u32(10);
        long blocks = spec.blocks();
        if (sa == SA_READ_CAPACITY_16) {
            ByteBuffer b = ByteBuffer.allocate(32);
            b.putLong(0, blocks - 1);
            b.putInt(8, spec.blockSize());
            b.put(14, (byte) 0xc0); // LBPME: thin provisioned; LBPRZ: unmapped blocks read zero
            return ScsiResult.good(fit(b.array(), allocation));
        }
        if (sa == SA_GET_LBA_STATUS) {
            long lba = r.u64(2);
            if (lba < 0 || lba >= blocks) {
                throw new SenseException(Sense.lbaOutOfRange());
            }
            // We do not track allocation per block here: report the rest of the LUN as mapped.
            ByteBuffer b = ByteBuffer.allocate(24);
            b.putInt(0, 20);
            b.putLong(8, lba);
            b.putInt(16, (int) Math.min(blocks - lba, 0xffffffffL));
            return ScsiResult.good(fit(b.array(), allocation));
        }
        throw new SenseException(Sense.invalidFieldInCdb(1));
    }

    private ScsiResult maintenanceIn(ScsiRequest r) throws SenseException {
        int sa = r.u8(1) & 0x1f;
        if (sa == SupportedOpcodes.SA_REPORT_SUPPORTED_OPCODES) {
            return ScsiResult.good(fit(SupportedOpcodes.answer(r), r.u32(6)));
        }
        if (sa != SA_REPORT_TARGET_PORT_GROUPS) {
            throw new SenseException(Sense.invalidFieldInCdb(1));
        }
        int format = (r.u8(1) >> 5) & 0x7;
        if (format > 1) {
            throw new SenseException(Sense.invalidFieldInCdb(1));
        }
        return ScsiResult.good(fit(portGroups().report(format == 1), r.u32(6)));
    }
}
