package io.keel.iscsi.session;

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
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The full feature phase of one connection (one session: we negotiate MaxConnections=1). The
 * connection's reader calls {@link #handle} for each PDU and does on its thread what must happen in
 * order: CmdSN checks, collecting Data-Out of writes (parked in {@link #writes}), task management,
 * NOP, text and logout. A command whose data is complete goes to the {@link TaskRunner}: plain
 * reads and writes run concurrently, anything else after the running ones finished. Responses go
 * out through the {@link Responder}, which assigns StatSN in sending order.
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
    private final SessionHost host;
    private final String peer;
    private final ScsiRequest.Nexus nexus;
    private final Map<Integer, WriteTask> writes = new HashMap<>();
    private final CommandWindow window;
    private final Responder responder;
    private final TaskRunner runner = new TaskRunner();
    private final TaskManagement tasks;
    private final TextExchange text;
    private int nextTtt = 1;
    private final AtomicInteger pingTags = new AtomicInteger();
    private volatile int pingTag = Opcode.NO_TAG;

    public FullFeaturePhase(LoginResult login, FrameWriter out, SessionHost host, String peer, String localAddress) {
        this.login = Objects.requireNonNull(login, "login");
        this.params = login.params();
        this.host = Objects.requireNonNull(host, "host");
        this.peer = Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(localAddress, "localAddress");
        this.window = new CommandWindow(login.expCmdSn(), peer);
        this.responder = new Responder(Objects.requireNonNull(out, "out"), params, window, login.statSn());
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
                if (window.admit(c.immediate(), c.cmdSn())) {
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
                if (window.admit(t.immediate(), t.cmdSn())) {
                    Optional<Pdu.TextResponse> r = text.handle(t, 0, 0, 0);
                    if (r.isPresent()) {
                        Pdu.TextResponse x = r.get();
                        responder.status((sn, exp, max) -> new Pdu.TextResponse(x.fin(), x.cont(), x.lun(), x.itt(),
                                x.ttt(), sn, exp, max, x.data()));
                    }
                }
                yield Next.CONTINUE;
            }
            case Pdu.TaskMgmtRequest t -> {
                if (login.discovery()) {
                    throw new ProtocolViolation("task management in a discovery session");
                }
                window.admit(t.immediate(), t.cmdSn());
                // Running commands finish and answer first, so a function finds only writes still
                // waiting for data; none of the tasks it aborts answers after its response.
                runner.drain();
                Optional<Luns> luns = host.luns(login.targetName());
                int response = tasks.handle(t, luns.orElse(null), window.expCmdSn());
                if (t.function() == TaskManagement.TARGET_WARM_RESET && response == TaskManagement.COMPLETE) {
                    host.targetReset(login.targetName());
                }
                responder.status((sn, exp, max) -> new Pdu.TaskMgmtResponse(response, t.itt(), sn, exp, max));
                yield Next.CONTINUE;
            }
            case Pdu.LogoutRequest l -> {
                window.admit(l.immediate(), l.cmdSn());
                // Every running command answers before the logout response (RFC 7143 11.14).
                runner.drain();
                // Reason 2 (remove the connection for recovery) needs ErrorRecoveryLevel 2.
                int response = l.reason() == 2 ? 2 : 0;
                responder.status((sn, exp, max) -> new Pdu.LogoutResponse(response, l.itt(), sn, exp, max, 0, 0));
                yield response == 0 ? Next.CLOSE : Next.CONTINUE;
            }
            case Pdu.SnackRequest s -> {
                // SNACK needs ErrorRecoveryLevel 1; we negotiated 0.
                responder.status((sn, exp, max) -> new Pdu.Reject(0x03, sn, exp, max, 0,
                        Segment.of(PduCodec.encodeBhs(s))));
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
        pingTag = tag;
        responder.carry((sn, exp, max) -> new Pdu.NopIn(0, Opcode.NO_TAG, tag, sn, exp, max, Segment.EMPTY));
        return true;
    }

    /**
     * The connection is going away (the caller has closed the socket): drops parked writes and waits
     * for running commands, whose responses are discarded, so none outlives its connection.
     */
    public void close() {
        responder.abandon();
        runner.drain();
        writes.clear();
    }

    private void command(Pdu.ScsiCommand c) throws IOException, ProtocolViolation {
        if (c.write()) {
            int edtl = c.expectedLength();
            if (edtl < 0 || edtl > MAX_TRANSFER) {
                // The initiator may still send unsolicited data; Data-Out for an unknown task is discarded.
                responder.respond(c, ScsiResult.check(Sense.invalidFieldInCdb(0)), 0, 0);
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
                responder.respond(c, ScsiResult.status(ScsiStatus.TASK_SET_FULL), 0, 0);
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
            responder.respond(task.command, ScsiResult.check(Sense.of(Sense.ABORTED_COMMAND, 0x4b, 0x00)), 0, 0);
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
            responder.carry((sn, exp, max) -> new Pdu.R2t(task.lun(), task.itt(), b.ttt(), sn, exp, max, b.r2tSn(),
                    b.offset(), b.length()));
        }
    }

    /** Runs a command whose data is complete: concurrently if it may overlap others, else as a barrier. */
    private void execute(Pdu.ScsiCommand c, byte[] dataOut) throws IOException {
        if (TaskRunner.concurrent(c)) {
            long bytes = Math.max(dataOut.length, c.read() ? Integer.toUnsignedLong(c.expectedLength()) : 0);
            runner.start(bytes, () -> runConcurrently(c, dataOut));
            return;
        }
        runner.drain();
        responder.result(c, run(c, dataOut));
    }

    private void runConcurrently(Pdu.ScsiCommand c, byte[] dataOut) {
        try {
            responder.result(c, run(c, dataOut));
        } catch (IOException e) {
            // The connection is gone; the reader reports how. Nothing more to do for this task.
            log.debug("iSCSI {}: response to task {} not sent: {}", peer, Integer.toHexString(c.itt()), e.toString());
        } catch (RuntimeException e) {
            // A bug must cost one connection, never the node, as it would on the reader.
            log.error("iSCSI {}: internal error in task {}, dropping the connection", peer,
                    Integer.toHexString(c.itt()), e);
            responder.lose();
        }
    }

    private ScsiResult run(Pdu.ScsiCommand c, byte[] dataOut) {
        Optional<Luns> luns = host.luns(login.targetName());
        return luns.isEmpty()
                ? ScsiResult.check(Sense.lunNotSupported())
                : luns.get().execute(c.lun(), new ScsiRequest(nexus, c.cdb().bytes(), dataOut, c.expectedLength()));
    }

    private void nopOut(Pdu.NopOut n) throws IOException {
        if (n.itt() == Opcode.NO_TAG) {
            // The answer to our ping (or a bare ExpStatSN update, which may not advance CmdSN).
            if (n.ttt() == pingTag) {
                pingTag = Opcode.NO_TAG;
            }
            return;
        }
        window.admit(n.immediate(), n.cmdSn());
        responder.status((sn, exp, max) -> new Pdu.NopIn(n.lun(), n.itt(), Opcode.NO_TAG, sn, exp, max, n.data()));
    }

    /** A PDU that breaks the sequencing rules of the full feature phase. */
    public static final class ProtocolViolation extends Exception {
        private static final long serialVersionUID = 1L;

        public ProtocolViolation(String reason) {
            super(reason);
        }
    }
}
