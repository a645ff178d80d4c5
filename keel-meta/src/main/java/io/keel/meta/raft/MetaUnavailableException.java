package io.keel.meta.raft;

/**
 * No leader with a working quorum answered within the request timeout: the command may or may not
 * have been committed. Retrying the same command later is the caller's decision.
 */
public final class MetaUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    public MetaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
