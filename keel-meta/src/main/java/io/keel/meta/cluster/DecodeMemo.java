package io.keel.meta.cluster;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Decoded records by their exact bytes. Readers of the local replica decode the same few records
 * on every request (an S3 request reads its access key, user and bucket: three JSON parses that
 * were the gateway's largest CPU cost). The model's records are immutable, so one decoded value
 * can serve every reader of the same bytes; a changed record has different bytes and misses.
 * Bounded by starting over when full: the working set is small and re-decoding is only a cost.
 */
final class DecodeMemo {
    static final int MAX_ENTRIES = 4096;
    static final int MAX_BYTES = 8192;

    private record Key(Class<?> type, byte[] bytes, int hash) {
        static Key of(Class<?> type, byte[] bytes) {
            return new Key(type, bytes, 31 * type.hashCode() + Arrays.hashCode(bytes));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && k.type == type && Arrays.equals(k.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private final Map<Key, Object> values = new ConcurrentHashMap<>();

    <T> T decode(byte[] bytes, Class<T> type, Supplier<T> decoder) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length > MAX_BYTES) {
            return decoder.get();
        }
        Key key = Key.of(type, bytes);
        Object known = values.get(key);
        if (known != null) {
            return type.cast(known);
        }
        T value = decoder.get();
        if (values.size() >= MAX_ENTRIES) {
            values.clear();
        }
        // The key keeps its own copy: the caller's array is theirs to reuse.
        values.put(Key.of(type, bytes.clone()), value);
        return value;
    }
}
