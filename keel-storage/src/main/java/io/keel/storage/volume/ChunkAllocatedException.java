package io.keel.storage.volume;

/** Another allocation of the same chunk was recorded first. */
public final class ChunkAllocatedException extends VolumeException {
    public ChunkAllocatedException(String volumeId, long index) {
        super("chunk " + index + " of volume " + volumeId + " is already allocated");
    }
}
