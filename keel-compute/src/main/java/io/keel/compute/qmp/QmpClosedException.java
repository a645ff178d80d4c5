package io.keel.compute.qmp;

/**
 * The QMP connection is gone (QEMU exited, the socket broke, or this side closed it). Commands that
 * were waiting for a reply fail with it at once rather than at their timeout; the cause says why the
 * connection ended.
 */
public final class QmpClosedException extends QmpException {
    public QmpClosedException(String message) {
        super(message);
    }

    public QmpClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
