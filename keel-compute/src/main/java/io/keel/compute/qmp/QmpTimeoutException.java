package io.keel.compute.qmp;

/** No greeting, reply or awaited event within the deadline; the connection itself may still be fine. */
public final class QmpTimeoutException extends QmpException {
    public QmpTimeoutException(String message) {
        super(message);
    }
}
