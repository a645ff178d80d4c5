package io.keel.compute.qmp;

/**
 * The peer sent something that is not QMP: not JSON, not an object, a message of no known kind, a
 * line over the length limit, a reply to a command never sent. The connection cannot be trusted
 * after it and is closed.
 */
public final class QmpProtocolException extends QmpException {
    public QmpProtocolException(String message) {
        super(message);
    }

    public QmpProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
