package io.keel.storage.volume;

public final class VolumeNotFoundException extends VolumeException {
    public VolumeNotFoundException(String volumeId) {
        super("no volume " + volumeId);
    }
}
