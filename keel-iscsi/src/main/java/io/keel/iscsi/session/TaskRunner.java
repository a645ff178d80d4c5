package io.keel.iscsi.session;

import io.keel.iscsi.login.LoginMachine;
import io.keel.iscsi.pdu.Pdu;
import io.keel.iscsi.scsi.OverlapRules;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs the SCSI commands of one connection. Plain data commands ({@link OverlapRules}) with the
 * SIMPLE task attribute run concurrently, each on a virtual thread, because storage over the network gains from parallel
 * requests. Everything else is a barrier: the reader waits until every running command has
 * finished, then runs it inline, and reads no further PDU until it is done. That gives ORDERED and
 * HEAD OF QUEUE their meaning, lets SYNCHRONIZE CACHE cover every write acknowledged before it, and
 * keeps reservation, mode and sense commands from overlapping I/O.
 *
 * <p>At most {@link #MAX_RUNNING} commands (the size of the CmdSN window; the window itself slides
 * on receipt, so it bounds nothing here) and {@link #MAX_RUNNING_BYTES} of transfer run at once;
 * beyond either the reader waits, which stops reading and so pushes back on the initiator through
 * TCP.
 */
final class TaskRunner {
    static final int MAX_RUNNING = LoginMachine.COMMAND_WINDOW;
    /** Transfer buffers of running commands; one command alone may exceed it (up to the transfer limit). */
    static final long MAX_RUNNING_BYTES = 64L << 20;

    /** SAM task attributes in the SCSI Command PDU's ATTR field (RFC 7143 11.3.1). */
    static final int UNTAGGED = 0;
    static final int SIMPLE = 1;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition finished = lock.newCondition();
    private int running; // guarded by lock
    private long runningBytes; // guarded by lock

    /**
     * Whether {@code c} may overlap other commands. Untagged counts as SIMPLE, as initiators without
     * task attributes expect (and as Linux targets treat it).
     */
    static boolean concurrent(Pdu.ScsiCommand c) {
        int attr = c.attributes() & 0x7;
        if (attr != SIMPLE && attr != UNTAGGED) {
            return false;
        }
        return OverlapRules.mayOverlap(c.cdb().bytes());
    }

    /**
     * Starts {@code task} on a virtual thread once fewer than {@link #MAX_RUNNING} commands and less
     * than {@link #MAX_RUNNING_BYTES} run. Reader thread only.
     *
     * @param bytes the transfer the task holds (its Data-Out buffer or expected Data-In)
     */
    void start(long bytes, Runnable task) {
        lock.lock();
        try {
            while (running >= MAX_RUNNING || (running > 0 && runningBytes + bytes > MAX_RUNNING_BYTES)) {
                finished.awaitUninterruptibly();
            }
            running++;
            runningBytes += bytes;
        } finally {
            lock.unlock();
        }
        try {
            Thread.ofVirtual().name("iscsi-task").start(() -> {
                try {
                    task.run();
                } finally {
                    done(bytes);
                }
            });
        } catch (RuntimeException | Error e) {
            done(bytes);
            throw e;
        }
    }

    private void done(long bytes) {
        lock.lock();
        try {
            running--;
            runningBytes -= bytes;
            finished.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until no command runs: before a barrier command, task management, logout and close. */
    void drain() {
        lock.lock();
        try {
            while (running > 0) {
                finished.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Commands running now, for tests and diagnostics. */
    int running() {
        lock.lock();
        try {
            return running;
        } finally {
            lock.unlock();
        }
    }
}
