package io.keel.storage.volume;

/** A catalog change named a chunk version or source that has moved on. */
public final class CatalogConflictException extends VolumeException {
    public CatalogConflictException(String message) {
        super(message);
    }
}
