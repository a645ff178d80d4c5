package io.keel.iscsi.session;

import io.keel.iscsi.pdu.Pdu;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * A command collecting its Data-Out (RFC 7143 sections 10.7 and 10.8): immediate data, then
 * unsolicited Data-Out up to FirstBurstLength, then solicited bursts of at most MaxBurstLength,
 * with at most MaxOutstandingR2T bursts asked for at a time. Not thread-safe: owned by the
 * connection's reader.
 */
final class WriteTask {

    /** One R2T: the burst [offset, offset+length) asked for under target transfer tag {@code ttt}. */
    record Burst(int ttt, int r2tSn, int offset, int length) {}

    final Pdu.ScsiCommand command;
    final byte[] buffer;
    private final int maxBurst;
    private final int maxOutstanding;
    private final int unsolicitedEnd;
    private int received;
    private int nextSolicited;
    private int r2tSn;
    private boolean unsolicitedOpen;
    private int unsolicitedDataSn;
    private final Deque<Burst> outstanding = new ArrayDeque<>();
    private final java.util.Map<Integer, int[]> burstProgress = new java.util.HashMap<>();

    /**
     * @param unsolicitedEnd the offset where solicited data starts: the immediate data length if the
     *                       command's F bit is set, else min(FirstBurstLength, EDTL)
     */
    WriteTask(Pdu.ScsiCommand command, int maxBurst, int maxOutstanding, int unsolicitedEnd) {
        this.command = Objects.requireNonNull(command, "command");
        this.buffer = new byte[command.expectedLength()];
        this.maxBurst = maxBurst;
        this.maxOutstanding = maxOutstanding;
        this.unsolicitedEnd = unsolicitedEnd;
        this.nextSolicited = unsolicitedEnd;
        this.unsolicitedOpen = !command.fin();
        byte[] immediate = command.data().bytes();
        System.arraycopy(immediate, 0, buffer, 0, immediate.length);
        this.received = immediate.length;
    }

    int itt() {
        return command.itt();
    }

    long lun() {
        return command.lun();
    }

    boolean complete() {
        return received >= buffer.length && outstanding.isEmpty() && !unsolicitedOpen;
    }

    /** New R2Ts to send now, each given a fresh tag from {@code tags}. */
    java.util.List<Burst> nextBursts(java.util.function.IntSupplier tags) {
        java.util.List<Burst> out = new java.util.ArrayList<>();
        while (outstanding.size() < maxOutstanding && nextSolicited < buffer.length) {
            int len = Math.min(maxBurst, buffer.length - nextSolicited);
            Burst b = new Burst(tags.getAsInt(), r2tSn++, nextSolicited, len);
            outstanding.add(b);
            burstProgress.put(b.ttt(), new int[] {0, 0});
            nextSolicited += len;
            out.add(b);
        }
        return out;
    }

    /**
     * Why {@code d}'s DataSN is not the next of its sequence, or null if it is. DataSN counts from 0
     * in the unsolicited sequence and again in each R2T's sequence (RFC 7143 11.7.5).
     */
    String dataSnProblem(Pdu.DataOut d) {
        int expected;
        if (d.ttt() == io.keel.iscsi.pdu.Opcode.NO_TAG) {
            expected = unsolicitedDataSn;
        } else {
            int[] got = burstProgress.get(d.ttt());
            if (got == null) {
                return null; // accept() reports the unknown tag
            }
            expected = got[1];
        }
        return d.dataSn() == expected ? null
                : "DataSN " + Integer.toUnsignedString(d.dataSn()) + " where " + expected + " was due";
    }

    /**
     * Places one Data-Out; returns null if accepted, else why it breaks the sequence rules (the
     * connection is then dropped: with ErrorRecoveryLevel 0 there is no way to recover).
     */
    String accept(Pdu.DataOut d) {
        int off = d.bufferOffset();
        int len = d.data().length();
        if (off < 0 || len > buffer.length || off > buffer.length - len) {
            return "Data-Out [" + off + ", +" + len + ") outside the " + buffer.length + "-byte transfer";
        }
        if (d.ttt() == io.keel.iscsi.pdu.Opcode.NO_TAG) {
            if (!unsolicitedOpen || off + len > unsolicitedEnd) {
                return "unsolicited Data-Out beyond FirstBurstLength or after the unsolicited sequence ended";
            }
            unsolicitedDataSn++;
            if (d.fin()) {
                unsolicitedOpen = false;
            }
        } else {
            Burst burst = null;
            for (Burst b : outstanding) {
                if (b.ttt() == d.ttt()) {
                    burst = b;
                }
            }
            if (burst == null) {
                return "Data-Out with unknown target transfer tag " + Integer.toHexString(d.ttt());
            }
            if (off < burst.offset() || off + len > burst.offset() + burst.length()) {
                return "Data-Out [" + off + ", +" + len + ") outside its R2T";
            }
            int[] got = burstProgress.get(burst.ttt());
            got[1]++;
            got[0] += len;
            if (d.fin()) {
                if (got[0] != burst.length()) {
                    return "R2T burst ended with " + got[0] + " of " + burst.length() + " bytes";
                }
                outstanding.remove(burst);
                burstProgress.remove(burst.ttt());
            }
        }
        System.arraycopy(d.data().bytes(), 0, buffer, off, len);
        received += len;
        return null;
    }
}
