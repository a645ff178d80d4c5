package io.keel.meta.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;

/** Read access to the replicated key-value state. Keys are UTF-8 strings, values opaque bytes. */
public interface KvReader {
    Optional<byte[]> get(String key);

    /** Every entry whose key starts with {@code prefix}, in the store's key order ({@link Utf8Keys#ORDER}). */
    SortedMap<String, byte[]> scan(String prefix);

    /**
     * Entries with {@code from <= key < toExclusive} in UTF-8 byte order ({@link Utf8Keys#ORDER}), at
     * most {@code limit} of them; {@code toExclusive} null means no upper bound. Stores override this
     * so that it costs only the entries returned; this default reads everything and exists so that
     * readers written before it (test doubles, wrappers) keep compiling and stay correct.
     */
    default List<Map.Entry<String, byte[]>> range(String from, String toExclusive, int limit) {
        checkRange(from, limit);
        List<Map.Entry<String, byte[]>> all = new ArrayList<>(scan("").entrySet());
        all.sort(Map.Entry.comparingByKey(Utf8Keys.ORDER));
        List<Map.Entry<String, byte[]>> out = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : all) {
            if (out.size() >= limit || toExclusive != null && Utf8Keys.compare(e.getKey(), toExclusive) >= 0) {
                break;
            }
            if (Utf8Keys.compare(e.getKey(), from) >= 0) {
                out.add(Map.entry(e.getKey(), e.getValue()));
            }
        }
        return List.copyOf(out);
    }

    /** The argument checks every {@link #range} implementation makes. */
    static void checkRange(String from, int limit) {
        Objects.requireNonNull(from, "from");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
    }
}
