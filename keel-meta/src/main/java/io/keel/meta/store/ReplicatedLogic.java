package io.keel.meta.store;

/**
 * The deterministic logic the Raft state machine runs. The same bytes applied to the same state
 * must give the same writes and the same result on every replica: no clocks, no randomness, no
 * I/O inside {@link #apply}. Anything time- or random-dependent travels inside the command.
 */
public interface ReplicatedLogic {
    /**
     * Applies one committed command. A command that is rejected must make no writes; its result
     * bytes carry the reason back to the client.
     *
     * @param index the Raft log index of the command
     * @param command the command bytes as submitted
     * @param kv the buffered writes of this command, committed atomically with the applied index
     * @return the result bytes returned to the submitting client
     */
    byte[] apply(long index, byte[] command, KvWriter kv);
}
