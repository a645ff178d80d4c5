package io.keel.meta.cluster;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.util.Objects;

/**
 * The one JSON encoding of commands, results and stored state. Every replica must produce the
 * same bytes for the same value, so the mapper is configured for that:
 * <ul>
 *   <li>map entries are written in key order: records copy maps with {@code Map.copyOf}, whose
 *       iteration order is randomised per JVM, so without sorting two replicas would store
 *       different bytes for equal state;</li>
 *   <li>only record components are properties: {@code isX()} helpers such as
 *       {@link DiskRole#isMetadata()} would otherwise be written as extra fields that the strict
 *       reader then refuses;</li>
 *   <li>times are ISO-8601 strings ({@code 2026-11-23T10:00:00Z}), readable in dumps;</li>
 *   <li>reading is strict (unknown fields, duplicate fields, trailing data are errors): silently
 *       dropping a field a newer writer meant to be applied would let replicas diverge. Schema
 *       changes must therefore only ever add nullable fields.</li>
 * </ul>
 * Thread-safe once constructed.
 */
public final class ClusterCodec {
    private final ObjectMapper mapper;
    private final DecodeMemo memo = new DecodeMemo();

    public ClusterCodec() {
        this.mapper = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .visibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    public byte[] encode(ClusterCommand command) {
        return write(Objects.requireNonNull(command, "command"));
    }

    public ClusterCommand decodeCommand(byte[] bytes) {
        return read(bytes, ClusterCommand.class);
    }

    public byte[] encodeResult(CommandResult result) {
        return write(Objects.requireNonNull(result, "result"));
    }

    public CommandResult decodeResult(byte[] bytes) {
        return read(bytes, CommandResult.class);
    }

    /** Encodes any value of the cluster model; fails only for values Jackson cannot represent. */
    public <T> byte[] write(T value) {
        Objects.requireNonNull(value, "value");
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode " + value.getClass().getSimpleName() + ": "
                    + e.getOriginalMessage(), e);
        }
    }

    /**
     * Decodes {@code bytes} as a {@code type}.
     *
     * @throws IllegalArgumentException when the bytes are not a well-formed {@code type}
     */
    public <T> T read(byte[] bytes, Class<T> type) {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(type, "type");
        String what = type.getSimpleName();
        T value;
        try {
            value = mapper.readValue(bytes, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed " + what + " (" + bytes.length + " bytes): "
                    + firstLine(e.getOriginalMessage()), e);
        } catch (IOException | RuntimeException e) {
            // Anything a deserialiser throws is still a verdict on the bytes, not on the caller.
            throw new IllegalArgumentException("malformed " + what + " (" + bytes.length + " bytes): " + e, e);
        }
        if (value == null) {
            throw new IllegalArgumentException("malformed " + what + ": the bytes hold JSON null");
        }
        return value;
    }

    /**
     * Like {@link #read}, for stored records read over and over: equal bytes decode to one shared
     * value. Only for immutable types (the cluster model's records); commands are read once and
     * go through {@link #read}.
     */
    public <T> T readRecord(byte[] bytes, Class<T> type) {
        Objects.requireNonNull(type, "type");
        return memo.decode(bytes, type, () -> read(bytes, type));
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
