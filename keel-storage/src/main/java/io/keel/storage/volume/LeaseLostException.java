package io.keel.storage.volume;

/** The lease a change or write was made under is no longer the volume's current one: this writer is fenced. */
public final class LeaseLostException extends VolumeException {
    public LeaseLostException(String volumeId, long epoch, String reason) {
        super("write lease epoch " + epoch + " of volume " + volumeId + " was lost: " + reason);
    }
}
