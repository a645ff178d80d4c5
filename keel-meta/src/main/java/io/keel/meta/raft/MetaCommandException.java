package io.keel.meta.raft;

/**
 * The command was committed to the log but the {@link io.keel.meta.store.ReplicatedLogic} threw while
 * applying it, so it made no writes (every replica did the same). This is a bug in the logic or an
 * unanticipated input, not an availability problem; rejections should travel in the result bytes.
 */
public final class MetaCommandException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MetaCommandException(String message, Throwable cause) {
        super(message, cause);
    }
}
