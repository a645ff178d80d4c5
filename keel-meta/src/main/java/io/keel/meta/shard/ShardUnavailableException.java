package io.keel.meta.shard;

/** The shard could not answer in time (no leader, no majority); the request may be retried. */
public class ShardUnavailableException extends Exception {
    public ShardUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public ShardUnavailableException(String message) {
        super(message);
    }
}
