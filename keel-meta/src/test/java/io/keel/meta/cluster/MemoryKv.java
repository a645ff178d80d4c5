package io.keel.meta.cluster;

import io.keel.meta.store.KvWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/** A TreeMap-backed store for tests. Counts writes, so a test can tell "wrote nothing" from "wrote the same". */
final class MemoryKv implements KvWriter {
    private final TreeMap<String, byte[]> map = new TreeMap<>();
    private int writes;

    @Override
    public Optional<byte[]> get(String key) {
        return Optional.ofNullable(map.get(key)).map(byte[]::clone);
    }

    @Override
    public SortedMap<String, byte[]> scan(String prefix) {
        SortedMap<String, byte[]> out = new TreeMap<>();
        for (Map.Entry<String, byte[]> e : map.tailMap(prefix, true).entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                break;
            }
            out.put(e.getKey(), e.getValue().clone());
        }
        return out;
    }

    @Override
    public void put(String key, byte[] value) {
        writes++;
        map.put(key, value.clone());
    }

    @Override
    public void delete(String key) {
        writes++;
        map.remove(key);
    }

    int writes() {
        return writes;
    }

    /** The exact bytes, one char per byte (ISO-8859-1 is a bijection), comparable with equals. */
    TreeMap<String, String> snapshot() {
        TreeMap<String, String> copy = new TreeMap<>();
        map.forEach((k, v) -> copy.put(k, new String(v, StandardCharsets.ISO_8859_1)));
        return copy;
    }

    /** For tests of corrupt state only. */
    void putRaw(String key, String value) {
        map.put(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
