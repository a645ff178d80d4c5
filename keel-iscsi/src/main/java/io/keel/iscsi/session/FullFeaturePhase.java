package io.keel.iscsi.session;

import io.keel.iscsi.login.LoginMachine;
import io.keel.iscsi.login.LoginResult;
import io.keel.iscsi.login.SessionParams;
import io.keel.iscsi.pdu.FrameWriter;
import io.keel.iscsi.pdu.Opcode;
import io.keel.iscsi.pdu.Pdu;
import io.keel.iscsi.pdu.PduCodec;
import io.keel.iscsi.pdu.Segment;
import io.keel.iscsi.scsi.Luns;
import io.keel.iscsi.scsi.ScsiRequest;
import io.keel.iscsi.scsi.ScsiResult;
import io.keel.iscsi.scsi.ScsiStatus;
import io.keel.iscsi.scsi.Sense;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The full feature phase of one connection (one session: we negotiate MaxConnections=1). The
 * connection's reader calls {@link #handle} for each PDU; commands run on that thread in CmdSN
 * order, so a response never overtakes an earlier one and StatSN needs no reordering. Writes
 * waiting for Data-Out are parked in {@link #writes} while later PDUs are read.
 */
public final class FullFeaturePhase {
    private static final Logger log = LoggerFactory.getLogger(FullFeaturePhase.class);
    /** Transfers above this are refused with CHECK CONDITION before any buffer is allocated. */
    static final int MAX_TRANSFER = 16 << 20;
    /** Write buffers one connection may hold while their data arrives; beyond it: TASK SET FULL. */
    static final long MAX_PARKED_BYTES = 64L << 20;

    /** What the connection does after a PDU. */
    public enum Next { CONTINUE, CLOSE }

    private final LoginResult login;
    private final SessionParams params;
    private final FrameWriter out;
    private final SessionHost host;
    private final String peer;
    private final String localAddress;
    private final ScsiRequest.Nexus nexus;
    private final Map<Integer, WriteTask> writes = new HashMap<>();
    private final TaskManagement tasks;
    private final TextExchange text;
    // Written only by the reader thread; volatile because the keepalive timer reads them for NOP-In.
    private volatile int expCmdSn;
    private volatile int statSn;
    private int nextTtt = 1;
    private final java.util.concurrent.atomic.AtomicInteger pingTags = new java.util.concurrent.atomic.AtomicInteger();
    private volatile int pingTag = Opcode.NO_TAG;

    public FullFeaturePhase(LoginResult login, FrameWriter out, SessionHost host, String peer, String localAddress) {
        this.login = Objects.requireNonNull(login, "login");
        this.params = login.params();
        this.out = Objects.requireNonNull(out, "out");
        this.host = Objects.requireNonNull(host, "host");
        this.peer = Objects.requireNonNull(peer, "peer");
        this.localAddress = Objects.requireNonNull(localAddress, "localAddress");
        this.expCmdSn = login.expCmdSn();
        this.statSn = login.statSn();
        // The initiator port name (RFC 7143 4.2.7.2) and our port: together they name the I_T nexus
        // across every target of a group, which the stored reservations rely on.
        this.nexus = new ScsiRequest.Nexus(login.initiatorName() + ",i,0x" + String.format("%012x", login.isid()),
                login.discovery() ? 1 : host.relativeTargetPort(login.targetName()));
        this.tasks = new TaskManagement(writes);
        this.text = new TextExchange(host, login, localAddress);
    }

    public ScsiRequest.Nexus nexus() {
        return nexus;
    }

    /**
     * Handles one PDU from the initiator.
     *
     * @throws ProtocolViolation the PDU breaks a sequencing rule; the caller drops the connection
     */
    public Next handle(Pdu pdu) throws IOException, ProtocolViolation {
        return switch (pdu) {
            case Pdu.ScsiCommand c -> {
                if (login.discovery()) {
                    throw new ProtocolViolation("SCSI command in a discovery session");
                }
                if (admit(c.immediate(), c.cmdSn())) {
                    command(c);
                }
                yield Next.CONTINUE;
            }
            case Pdu.DataOut d -> {
                dataOut(d);
                yield Next.CONTINUE;
            }
            case Pdu.NopOut n -> {
                nopOut(n);
                yield Next.CONTINUE;
            }
            case Pdu.TextRequest t -> {
                if (admit(t.immediate(), t.cmdSn())) {
                    Optional<Pdu.TextResponse> r = text.handle(t, statSn, expCmdSn, maxCmdSn());
                    if (r.isPresent()) {
                        statSn++;
                        send(r.get());
                    }
                }
                yield Next.CONTINUE;
            }
            case Pdu.TaskMgmtRequest t -> {
                if (login.discovery()) {
                    throw new ProtocolViolation("task management in a discovery session");
                }
                admit(t.immediate(), t.cmdSn());
                Optional<Luns> luns = host.luns(login.targetName());
                int response = tasks.handle(t, luns.orElse(null), expCmdSn);
                if (t.function() == TaskManagement.TARGET_WARM_RESET && response == TaskManagement.COMPLETE) {
                    host.targetReset(login.targetName());
                }
                send(new Pdu.TaskMgmtResponse(response, t.itt(), statSn++, expCmdSn, maxCmdSn()));
                yield Next.CONTINUE;
            }
            case Pdu.LogoutRequest l -> {
                admit(l.immediate(), l.cmdSn());
                // Reason 2 (remove the connection for recovery) needs ErrorRecoveryLevel 2.
                int response = l.reason() == 2 ? 2 : 0;
                send(new Pdu.LogoutResponse(response, l.itt(), statSn++, expCmdSn, maxCmdSn(), 0, 0));
                yield response == 0 ? Next.CLOSE : Next.CONTINUE;
            }
            case Pdu.SnackRequest s -> {
                // SNACK needs ErrorRecoveryLevel 1; we negotiated 0.
                send(new Pdu.Reject(0x03, statSn++, expCmdSn, maxCmdSn(), 0, Segment.of(PduCodec.encodeBhs(s))));
                yield Next.CONTINUE;
            }
            case Pdu.LoginRequest l -> throw new ProtocolViolation("Login Request in the full feature phase");
            default -> throw new ProtocolViolation("target-to-initiator opcode 0x" + Integer.toHexString(pdu.opcode())
                    + " sent by the initiator");
        };
    }

    /** Sends an unsolicited NOP-In; a second ping while one is unanswered means the initiator is gone. */
    public boolean ping() throws IOException {
        if (pingTag != Opcode.NO_TAG) {
            return false;
        }
        // Ping tags (0x7fxxxxxx) never collide with R2T tags (0x00xxxxxx).
        int tag = 0x7f000000 | (pingTags.incrementAndGet() & 0xffffff);
        int sn = statSn;
        pingTag = tag;
        out.write(new Pdu.NopIn(0, Opcode.NO_TAG, tag, sn, expCmdSn, maxCmdSn(), Segment.EMPTY));
        return true;
    }

    /** Drops every parked task: the connection is going away. */
    public void close() {
        writes.clear();
    }

    /** Applies CmdSN rules; false means the PDU is dropped (RFC 7143 4.2.2.1). */
    private boolean admit(boolean immediate, int cmdSn) {
        if (immediate) {
            return true;
        }
        if (cmdSn == expCmdSn) {
            expCmdSn++;
            return true;
        }
        if (Sequence.lessThan(cmdSn, expCmdSn) || Sequence.lessThan(maxCmdSn(), cmdSn)) {
            log.warn("iSCSI {}: dropping command with CmdSN {} outside the window [{}, {}]", peer,
                    Integer.toUnsignedString(cmdSn), Integer.toUnsignedString(expCmdSn),
                    Integer.toUnsignedString(maxCmdSn()));
            return false;
        }
        // One connection per session: a gap can never be filled, so take the command as the next.
        expCmdSn = cmdSn + 1;
        return true;
    }

    private int maxCmdSn() {
        return expCmdSn + LoginMachine.COMMAND_WINDOW - 1;
    }

    private void command(Pdu.ScsiCommand c) throws IOException, ProtocolViolation {
        if (c.write()) {
            int edtl = c.expectedLength();
            if (edtl < 0 || edtl > MAX_TRANSFER) {
                // The initiator may still send unsolicited data; Data-Out for an unknown task is discarded.
                respond(c, ScsiResult.check(Sense.invalidFieldInCdb(0)), 0, 0);
                return;
            }
            if (c.data().length() > 0 && !params.immediateData()) {
                throw new ProtocolViolation("immediate data although ImmediateData=No");
            }
            int unsolicitedLimit = params.initialR2T() ? c.data().length() : Math.min(params.firstBurstLength(), edtl);
            if (c.data().length() > Math.min(params.firstBurstLength(), edtl)) {
                throw new ProtocolViolation("immediate data beyond FirstBurstLength or the transfer length");
            }
            if (!c.fin() && params.initialR2T()) {
                throw new ProtocolViolation("unsolicited Data-Out announced although InitialR2T=Yes");
            }
            long parked = writes.values().stream().mapToLong(w -> w.buffer.length).sum();
            if (parked + edtl > MAX_PARKED_BYTES) {
                respond(c, ScsiResult.status(ScsiStatus.TASK_SET_FULL), 0, 0);
                return;
            }
            int unsolicitedEnd = c.fin() ? c.data().length() : unsolicitedLimit;
            WriteTask task = new WriteTask(c, params.maxBurstLength(), params.maxOutstandingR2T(), unsolicitedEnd);
            if (writes.putIfAbsent(c.itt(), task) != null) {
                throw new ProtocolViolation("Initiator Task Tag " + Integer.toHexString(c.itt()) + " already in use");
            }
            advance(task);
            return;
        }
        execute(c, new byte[0]);
    }

    private void dataOut(Pdu.DataOut d) throws IOException, ProtocolViolation {
        WriteTask task = writes.get(d.itt());
        if (task == null) {
            // A task aborted or refused while its data was on the wire.
            log.debug("iSCSI {}: discarding Data-Out for unknown task {}", peer, Integer.toHexString(d.itt()));
            return;
        }
        String lost = task.dataSnProblem(d);
        if (lost != null) {
            // A Data-Out went missing or came out of order: fail the command, keep the connection;
            // the rest of this task's Data-Out is then discarded as belonging to no task.
            log.info("iSCSI {}: task {} failed: {}", peer, Integer.toHexString(d.itt()), lost);
            writes.remove(d.itt());
            respond(task.command, ScsiResult.check(Sense.of(Sense.ABORTED_COMMAND, 0x4b, 0x00)), 0, 0);
            return;
        }
        String problem = task.accept(d);
        if (problem != null) {
            throw new ProtocolViolation(problem);
        }
        advance(task);
    }

    private void advance(WriteTask task) throws IOException {
        if (task.complete()) {
            writes.remove(task.itt());
            execute(task.command, task.buffer);
            return;
        }
        for (WriteTask.Burst b : task.nextBursts(() -> nextTtt++ & 0x00ffffff)) {
            send(new Pdu.R2t(task.lun(), task.itt(), b.ttt(), statSn, expCmdSn, maxCmdSn(), b.r2tSn(), b.offset(),
                    b.length()));
        }
    }

    private void execute(Pdu.ScsiCommand c, byte[] dataOut) throws IOException {
        Optional<Luns> luns = host.luns(login.targetName());
        ScsiResult result = luns.isEmpty()
                ? ScsiResult.check(Sense.lunNotSupported())
                : luns.get().execute(c.lun(), new ScsiRequest(nexus, c.cdb().bytes(), dataOut, c.expectedLength()));
        long edtl = Integer.toUnsignedLong(c.expectedLength());
        // Residuals compare what the CDB moves with what the initiator expected (RFC 7143 11.4.5).
        long wanted;
        if (result.dataIn().length > 0) {
            wanted = result.dataIn().length;
        } else if (result.dataOutLength() >= 0) {
            wanted = result.dataOutLength();
        } else {
            wanted = c.write() ? edtl : 0;
        }
        if (result.status() != ScsiStatus.GOOD) {
            wanted = edtl; // no residual on failed commands, whatever they would have moved
        }
        int sendable = (int) Math.min(result.dataIn().length, c.read() ? edtl : 0);
        if (sendable > 0 && result.status() == ScsiStatus.GOOD) {
            dataIn(c, result.dataIn(), sendable, result.status(), wanted, edtl);
            return;
        }
        respond(c, result, wanted, edtl);
    }

    /** Data-In PDUs of at most the initiator's MaxRecvDataSegmentLength; GOOD status rides on the last. */
    private void dataIn(Pdu.ScsiCommand c, byte[] data, int length, int status, long wanted, long edtl)
            throws IOException {
        boolean overflow = wanted > edtl;
        boolean underflow = wanted < edtl;
        int residual = (int) Math.abs(wanted - edtl);
        int dataSn = 0;
        int offset = 0;
        while (offset < length) {
            int n = Math.min(params.initiatorMaxRecv(), length - offset);
            byte[] chunk = new byte[n];
            System.arraycopy(data, offset, chunk, 0, n);
            boolean last = offset + n == length;
            int sn = last ? statSn++ : 0;
            send(new Pdu.DataIn(last, false, last && overflow, last && underflow, last, last ? status : 0, 0,
                    c.itt(), Opcode.NO_TAG, sn, expCmdSn, maxCmdSn(), dataSn++, offset, last ? residual : 0,
                    Segment.of(chunk)));
            offset += n;
        }
    }

    /** A SCSI Response with sense data if any and the residual between {@code wanted} and {@code edtl}. */
    private void respond(Pdu.ScsiCommand c, ScsiResult result, long wanted, long edtl) throws IOException {
        byte[] sense = result.sense();
        Segment data = Segment.EMPTY;
        if (sense.length > 0) {
            byte[] d = new byte[2 + sense.length];
            d[0] = (byte) (sense.length >> 8);
            d[1] = (byte) sense.length;
            System.arraycopy(sense, 0, d, 2, sense.length);
            data = Segment.of(d);
        }
        boolean overflow = wanted > edtl;
        boolean underflow = wanted < edtl;
        int residual = (int) Math.min(Math.abs(wanted - edtl), 0xffffffffL);
        send(new Pdu.ScsiResponse(false, false, overflow, underflow, 0, result.status(), c.itt(), 0, statSn++,
                expCmdSn, maxCmdSn(), 0, 0, residual, data));
    }

    private void nopOut(Pdu.NopOut n) throws IOException {
        if (n.itt() == Opcode.NO_TAG) {
            // The answer to our ping (or a bare ExpStatSN update, which may not advance CmdSN).
            if (n.ttt() == pingTag) {
                pingTag = Opcode.NO_TAG;
            }
            return;
        }
        admit(n.immediate(), n.cmdSn());
        send(new Pdu.NopIn(n.lun(), n.itt(), Opcode.NO_TAG, statSn++, expCmdSn, maxCmdSn(), n.data()));
    }

    private void send(Pdu pdu) throws IOException {
        out.write(pdu);
    }

    /** A PDU that breaks the sequencing rules of the full feature phase. */
    public static final class ProtocolViolation extends Exception {
        private static final long serialVersionUID = 1L;

        public ProtocolViolation(String reason) {
            super(reason);
        }
    }
}
