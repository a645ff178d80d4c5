package io.keel.s3store;

import io.keel.s3store.data.DataLocation;
import io.keel.s3store.data.ObjectData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Object bytes in memory, one segment per write. Released segments stay readable, as the real
 * store keeps them for a grace period longer than a GET (ADR 0040 §6); the test checks what is
 * live against what the index names, and that nothing is released twice.
 */
final class InMemoryObjectData implements ObjectData {
    private final Map<String, byte[]> segments = new ConcurrentHashMap<>();
    final Set<String> live = ConcurrentHashMap.newKeySet();
    final List<String> doubleReleases = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong next = new AtomicLong();

    @Override
    public DataLocation write(InputStream body, long sizeHint) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        body.transferTo(out);
        if (out.size() == 0) {
            return DataLocation.EMPTY;
        }
        String id = "seg-" + next.incrementAndGet();
        segments.put(id, out.toByteArray());
        live.add(id);
        return new DataLocation(List.of(new DataLocation.Segment(id, 0, out.size())));
    }

    @Override
    public InputStream open(DataLocation location, long offset, long length) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (DataLocation.Segment s : location.segments()) {
            byte[] b = segments.get(s.volumeId());
            if (b == null) {
                throw new IOException("no such segment " + s.volumeId());
            }
            all.write(b, (int) s.offset(), (int) s.length());
        }
        return new ByteArrayInputStream(all.toByteArray(), (int) offset, (int) length);
    }

    @Override
    public void release(DataLocation location) {
        for (DataLocation.Segment s : location.segments()) {
            if (!live.remove(s.volumeId())) {
                doubleReleases.add(s.volumeId());
            }
        }
    }
}
