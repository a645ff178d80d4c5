package io.keel.iscsi.session;

import io.keel.iscsi.login.SessionParams;
import io.keel.iscsi.pdu.FrameWriter;
import io.keel.iscsi.pdu.Opcode;
import io.keel.iscsi.pdu.Pdu;
import io.keel.iscsi.pdu.Segment;
import io.keel.iscsi.scsi.ScsiResult;
import io.keel.iscsi.scsi.ScsiStatus;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Everything a connection sends, under one lock: commands finish on several threads, and each
 * task's Data-In sequence and status must leave together with StatSN assigned in sending order
 * (RFC 7143 allows responses in any order; it does not allow StatSN to go backwards on the wire).
 * The reader, the task threads and the keepalive timer all send through here.
 *
 * <p>Once a write fails the connection is lost: the stream is closed (which ends the reader) and
 * every later send fails at once, so tasks still running finish quietly instead of each hitting
 * the dead socket.
 */
final class Responder {
    /** Builds a PDU once the sequence numbers it carries are known. */
    interface Builder {
        Pdu build(int statSn, int expCmdSn, int maxCmdSn);
    }

    private final FrameWriter out;
    private final SessionParams params;
    private final CommandWindow window;
    /** Serializes sends: a ReentrantLock, not synchronized, so waiting virtual threads unmount. */
    private final ReentrantLock lock = new ReentrantLock();
    /** Senders that will take the lock or hold it now; the last one to write flushes for all. */
    private final AtomicInteger senders = new AtomicInteger();
    private int statSn; // guarded by lock
    private volatile boolean lost;

    Responder(FrameWriter out, SessionParams params, CommandWindow window, int statSn) {
        this.out = out;
        this.params = params;
        this.window = window;
        this.statSn = statSn;
    }

    /** Sends a PDU that carries StatSN without taking one (R2T, an unsolicited NOP-In). */
    void carry(Builder b) throws IOException {
        send(b, false);
    }

    /** Sends a response that takes the next StatSN. */
    void status(Builder b) throws IOException {
        send(b, true);
    }

    private void send(Builder b, boolean advance) throws IOException {
        transmit(() -> List.of(b.build(advance ? statSn++ : statSn, window.expCmdSn(), window.maxCmdSn())));
    }

    /** Builds PDUs under the lock (they take sequence numbers in sending order). */
    private interface Frames {
        List<Pdu> build();
    }

    /**
     * Builds and writes under the lock. A sender that sees others waiting for the lock behind it
     * leaves its bytes in the buffer for the last of them to flush, so responses that finish
     * together leave in one system call instead of one each; every sender counted in
     * {@link #senders} flushes or is followed by one that does, failures included.
     */
    private void transmit(Frames frames) throws IOException {
        senders.incrementAndGet();
        lock.lock();
        try {
            List<Pdu> pdus = null;
            boolean last;
            try {
                checkOpen();
                pdus = frames.build();
            } finally {
                last = senders.decrementAndGet() == 0;
                if (pdus == null && last && !lost) {
                    write(List.of(), true); // what earlier senders left for this one to flush
                }
            }
            write(pdus, last);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The response to a command with {@code result}: Data-In PDUs of at most the initiator's
     * MaxRecvDataSegmentLength with GOOD status in the last one, or a SCSI Response with sense data.
     */
    void result(Pdu.ScsiCommand c, ScsiResult result) throws IOException {
        try {
            send(c, result);
        } finally {
            // Every large Data-In segment has left by now (FrameWriter), the small ones were copied.
            result.release();
        }
    }

    private void send(Pdu.ScsiCommand c, ScsiResult result) throws IOException {
        long edtl = Integer.toUnsignedLong(c.expectedLength());
        int dataLength = result.dataLength();
        // Residuals compare what the CDB moves with what the initiator expected (RFC 7143 11.4.5).
        long wanted;
        if (dataLength > 0) {
            wanted = dataLength;
        } else if (result.dataOutLength() >= 0) {
            wanted = result.dataOutLength();
        } else {
            wanted = c.write() ? edtl : 0;
        }
        if (result.status() != ScsiStatus.GOOD) {
            wanted = edtl; // no residual on failed commands, whatever they would have moved
        }
        int sendable = (int) Math.min(dataLength, c.read() ? edtl : 0);
        if (sendable > 0 && result.status() == ScsiStatus.GOOD) {
            dataIn(c, result.dataIn(), sendable, result.status(), wanted, edtl);
            return;
        }
        respond(c, result, wanted, edtl);
    }

    private void dataIn(Pdu.ScsiCommand c, ByteBuffer data, int length, int status, long wanted, long edtl)
            throws IOException {
        boolean overflow = wanted > edtl;
        boolean underflow = wanted < edtl;
        int residual = (int) Math.abs(wanted - edtl);
        int chunk = params.initiatorMaxRecv();
        // Cut outside the lock; only the sequence numbers need it. The pieces share the buffer.
        List<Segment> pieces = new ArrayList<>();
        int base = data.position();
        for (int offset = 0; offset < length; offset += chunk) {
            pieces.add(Segment.of(data.slice(base + offset, Math.min(length, offset + chunk) - offset)));
        }
        transmit(() -> {
            int exp = window.expCmdSn();
            int max = window.maxCmdSn();
            List<Pdu> pdus = new ArrayList<>(pieces.size());
            for (int i = 0, offset = 0; i < pieces.size(); offset += pieces.get(i).length(), i++) {
                boolean last = i == pieces.size() - 1;
                pdus.add(new Pdu.DataIn(last, false, last && overflow, last && underflow, last, last ? status : 0, 0,
                        c.itt(), Opcode.NO_TAG, last ? statSn++ : 0, exp, max, i, offset, last ? residual : 0,
                        pieces.get(i)));
            }
            return pdus;
        });
    }

    /** A SCSI Response with sense data if any and the residual between {@code wanted} and {@code edtl}. */
    void respond(Pdu.ScsiCommand c, ScsiResult result, long wanted, long edtl) throws IOException {
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
        Segment payload = data;
        status((sn, exp, max) -> new Pdu.ScsiResponse(false, false, overflow, underflow, 0, result.status(), c.itt(),
                0, sn, exp, max, 0, 0, residual, payload));
    }

    /** The connection is closing: later sends fail at once, without touching the socket. */
    void abandon() {
        lost = true;
    }

    /** Gives the connection up after an internal error: closes it, which ends the reader. */
    void lose() {
        lost = true;
        try {
            out.close();
        } catch (IOException ignored) {
            // Closing only wakes the reader.
        }
    }

    /** Whether a send failed: the connection is gone and nothing more goes out. */
    boolean lost() {
        return lost;
    }

    private void checkOpen() throws IOException {
        if (lost) {
            throw new IOException("connection lost");
        }
    }

    private void write(List<Pdu> pdus, boolean flush) throws IOException {
        try {
            out.write(pdus, flush);
        } catch (IOException e) {
            lose();
            throw e;
        }
    }
}
