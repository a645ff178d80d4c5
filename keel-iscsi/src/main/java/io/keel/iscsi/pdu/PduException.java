package io.keel.iscsi.pdu;

/**
 * A frame that breaks a wire rule. The connection that sent it is dropped with one log line
 * carrying {@link #getMessage()}, the reason; there is no way to resynchronise a TCP stream of
 * iSCSI PDUs without markers, which nobody negotiates.
 */
public final class PduException extends Exception {
    private static final long serialVersionUID = 1L;

    public PduException(String reason) {
        super(reason);
    }
}
