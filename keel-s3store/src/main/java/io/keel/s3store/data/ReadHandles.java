package io.keel.s3store.data;

import io.keel.storage.volume.VolumeException;
import io.keel.storage.volume.VolumeHandle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Handles to read object data with: this instance's own writable handle when it writes the volume,
 * otherwise a read-only handle opened once and cached.
 *
 * <p>A read-only handle keeps the layout it loaded, and reads a chunk missing from it as zeros. A
 * segment the index names was written, so its chunks were allocated, before the caller could see
 * it; a layout loaded after that moment has them. So the first read of each chunk of a volume
 * reloads the layout once, and remembers the chunk as known: chunks are never unallocated
 * (release only trims), and chunks the writer moves are followed by the read path itself.
 */
final class ReadHandles implements AutoCloseable {
    private final DataVolumes volumes;
    private final Map<String, VolumeHandle> writable;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    /** A read-only handle and the chunks its layout is known to hold (guarded by the set itself). */
    private record Cached(VolumeHandle handle, BitSet known) {}

    ReadHandles(DataVolumes volumes, Map<String, VolumeHandle> writable) {
        this.volumes = Objects.requireNonNull(volumes, "volumes");
        this.writable = Objects.requireNonNull(writable, "writable");
    }

    /** A handle whose layout has every chunk of {@code length} bytes at {@code offset} of the volume. */
    VolumeHandle forRange(String volumeId, long offset, long length) throws IOException {
        VolumeHandle own = writable.get(volumeId);
        if (own != null && !own.isClosed() && !own.fenced()) {
            // Its layout gains each chunk as this very handle allocates it.
            return own;
        }
        Cached c;
        try {
            c = cache.computeIfAbsent(volumeId, id -> {
                try {
                    return new Cached(volumes.openReadOnly(id), new BitSet());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        long first = offset / c.handle().chunkSize();
        long last = (offset + length - 1) / c.handle().chunkSize();
        if (last >= Integer.MAX_VALUE) {
            c.handle().refresh();
            return c.handle();
        }
        synchronized (c.known()) {
            if (c.known().nextClearBit((int) first) > last) {
                return c.handle();
            }
        }
        try {
            c.handle().refresh();
        } catch (VolumeException e) {
            throw new IOException("reloading the layout of volume " + volumeId + " failed: " + e.getMessage(), e);
        }
        synchronized (c.known()) {
            c.known().set((int) first, (int) last + 1);
        }
        return c.handle();
    }

    @Override
    public void close() {
        for (Cached c : List.copyOf(cache.values())) {
            c.handle().close();
        }
        cache.clear();
    }
}
