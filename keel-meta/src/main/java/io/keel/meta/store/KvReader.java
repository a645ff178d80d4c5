package io.keel.meta.store;

import java.util.Optional;
import java.util.SortedMap;

/** Read access to the replicated key-value state. Keys are UTF-8 strings, values opaque bytes. */
public interface KvReader {
    Optional<byte[]> get(String key);

    /** Every entry whose key starts with {@code prefix}, in key order. */
    SortedMap<String, byte[]> scan(String prefix);
}
