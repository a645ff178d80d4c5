package io.keel.s3store.index;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * JSON for index records (readable in a shard dump, tolerant of fields added later) and the
 * 8-byte big-endian longs that {@code ShardBatch.Add} keeps counters in. One mapper per backend:
 * building one per record is what made the node's metadata reads slow once.
 */
public final class IndexCodec {
    private final ObjectMapper json = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public byte[] encode(Object record) {
        try {
            return json.writeValueAsBytes(record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public <T> T decode(byte[] bytes, Class<T> type) {
        try {
            return json.readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt index record of type " + type.getSimpleName(), e);
        }
    }

    public static byte[] encodeLong(long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    public static long decodeLong(byte[] bytes) {
        if (bytes.length != Long.BYTES) {
            throw new IllegalStateException("a counter is 8 bytes, not " + bytes.length);
        }
        return ByteBuffer.wrap(bytes).getLong();
    }
}
