package io.keel.meta.raft;

/**
 * Unchecked form of {@link MetaUnavailableException}, thrown by the {@link io.keel.meta.store.KvReader}
 * of {@link MetaClient#remoteReader()} because that interface declares no checked exceptions.
 * The cause is always the corresponding {@link MetaUnavailableException}.
 */
public final class MetaUnavailableRuntimeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MetaUnavailableRuntimeException(MetaUnavailableException cause) {
        super(cause.getMessage(), cause);
    }

    @Override
    public synchronized MetaUnavailableException getCause() {
        return (MetaUnavailableException) super.getCause();
    }
}
