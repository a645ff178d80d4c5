package io.keel.storage.volume;

/** Base of the volume layer's failures; messages say what happened in administrator's terms. */
public class VolumeException extends RuntimeException {
    public VolumeException(String message) {
        super(message);
    }

    public VolumeException(String message, Throwable cause) {
        super(message, cause);
    }
}
