package io.keel.compute.qmp;

import java.io.IOException;

/**
 * Anything that goes wrong talking QMP. An {@link IOException} because every case is, in the end, a
 * conversation with another process that did not go as planned.
 */
public sealed class QmpException extends IOException
        permits QmpProtocolException, QmpCommandException, QmpClosedException, QmpTimeoutException {

    public QmpException(String message) {
        super(message);
    }

    public QmpException(String message, Throwable cause) {
        super(message, cause);
    }
}
