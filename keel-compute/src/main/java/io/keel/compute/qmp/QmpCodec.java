package io.keel.compute.qmp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * QMP's wire format: one JSON object per line (QEMU ends lines with CRLF). Decodes a line into a
 * {@link QmpMessage} and encodes commands (and, for test peers, messages) into lines.
 *
 * <p>Strict on purpose: anything that is not exactly one well-formed QMP message becomes a
 * {@link QmpProtocolException} that names what is wrong. Numbers with a fraction are kept as
 * decimals, so a message survives decode → encode → decode unchanged and no float is rounded.
 */
public final class QmpCodec {
    /** QEMU's largest replies (query-qmp-schema, deep query-block chains) stay well below this. */
    public static final int DEFAULT_MAX_LINE_BYTES = 16 << 20;
    // Backing chains nest one level per snapshot in query-block; 1000 leaves room and bounds recursion.
    private static final int MAX_NESTING = 1000;
    private static final int EXCERPT = 80;
    private static final List<String> KINDS = List.of("QMP", "return", "error", "event");

    private final int maxLineBytes;
    private final ObjectMapper mapper;

    public QmpCodec() {
        this(DEFAULT_MAX_LINE_BYTES);
    }

    public QmpCodec(int maxLineBytes) {
        if (maxLineBytes < 64) {
            throw new IllegalArgumentException("maxLineBytes must be at least 64: " + maxLineBytes);
        }
        this.maxLineBytes = maxLineBytes;
        JsonFactory factory = new JsonFactoryBuilder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING)
                        .maxDocumentLength(maxLineBytes)
                        .maxStringLength(maxLineBytes)
                        .build())
                // The spec calls repeated keys unpredictable; we refuse to guess which one QEMU meant.
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.mapper = JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                .build();
    }

    public int maxLineBytes() {
        return maxLineBytes;
    }

    /** The JSON tree factory the codec's trees come from, for building command arguments. */
    public ObjectNode objectNode() {
        return mapper.createObjectNode();
    }

    /** Decodes one line, without its line terminator (a trailing CR is tolerated). */
    public QmpMessage decode(byte[] line) throws QmpProtocolException {
        return decode(line, 0, line.length);
    }

    public QmpMessage decode(byte[] buf, int offset, int length) throws QmpProtocolException {
        if (length > maxLineBytes) {
            throw new QmpProtocolException("line of " + length + " bytes exceeds the limit of " + maxLineBytes);
        }
        if (length > 0 && buf[offset + length - 1] == '\r') {
            length--;
        }
        JsonNode tree;
        try {
            tree = mapper.readTree(buf, offset, length);
        } catch (IOException | RuntimeException e) {
            // The parser is the first thing to touch bytes from the peer; whatever it cannot make
            // sense of is the peer's malformed input, never a reason to take the caller down.
            throw new QmpProtocolException("not valid JSON (" + firstLine(e.getMessage()) + "): " + excerpt(buf, offset, length), e);
        }
        if (tree == null || tree.isMissingNode()) {
            throw new QmpProtocolException("empty line where a QMP message was expected");
        }
        if (!(tree instanceof ObjectNode obj)) {
            throw new QmpProtocolException("a QMP message must be a JSON object, got " + kindOf(tree) + ": " + excerpt(buf, offset, length));
        }
        return decodeObject(obj);
    }

    private QmpMessage decodeObject(ObjectNode obj) throws QmpProtocolException {
        List<String> present = new ArrayList<>();
        for (String k : KINDS) {
            if (obj.has(k)) {
                present.add(k);
            }
        }
        if (present.isEmpty()) {
            List<String> keys = new ArrayList<>();
            obj.fieldNames().forEachRemaining(keys::add);
            throw new QmpProtocolException("unknown QMP message kind: none of " + KINDS + " among its keys " + keys);
        }
        if (present.size() > 1) {
            throw new QmpProtocolException("ambiguous QMP message: it has both " + present.get(0) + " and " + present.get(1));
        }
        return switch (present.getFirst()) {
            case "QMP" -> greeting(obj.get("QMP"));
            case "return" -> new QmpMessage.Return(id(obj), obj.get("return"));
            case "error" -> error(obj);
            default -> event(obj);
        };
    }

    private static QmpMessage.Greeting greeting(JsonNode qmp) throws QmpProtocolException {
        if (!(qmp instanceof ObjectNode body)) {
            throw new QmpProtocolException("greeting's QMP member must be an object, got " + kindOf(qmp));
        }
        if (!(body.get("version") instanceof ObjectNode version)) {
            throw new QmpProtocolException("greeting without a version object");
        }
        if (!(body.get("capabilities") instanceof ArrayNode caps)) {
            throw new QmpProtocolException("greeting without a capabilities array");
        }
        List<String> capabilities = new ArrayList<>(caps.size());
        for (JsonNode c : caps) {
            if (!c.isTextual()) {
                throw new QmpProtocolException("greeting capability is not a string: " + kindOf(c));
            }
            capabilities.add(c.textValue());
        }
        return new QmpMessage.Greeting(version, capabilities);
    }

    private static QmpMessage.Error error(ObjectNode obj) throws QmpProtocolException {
        if (!(obj.get("error") instanceof ObjectNode err)) {
            throw new QmpProtocolException("error member must be an object, got " + kindOf(obj.get("error")));
        }
        JsonNode cls = err.get("class");
        if (cls == null || !cls.isTextual()) {
            throw new QmpProtocolException("error without a class string" + (cls == null ? "" : ", got " + kindOf(cls)));
        }
        JsonNode desc = err.get("desc");
        if (desc == null || !desc.isTextual()) {
            throw new QmpProtocolException("error without a desc string" + (desc == null ? "" : ", got " + kindOf(desc)));
        }
        return new QmpMessage.Error(id(obj), cls.textValue(), desc.textValue());
    }

    private QmpEvent event(ObjectNode obj) throws QmpProtocolException {
        JsonNode name = obj.get("event");
        if (!name.isTextual() || name.textValue().isEmpty()) {
            throw new QmpProtocolException("event name must be a non-empty string, got " + kindOf(name));
        }
        JsonNode data = obj.get("data");
        if (data != null && !data.isObject()) {
            throw new QmpProtocolException("event " + name.textValue() + " has data that is not an object: " + kindOf(data));
        }
        if (!(obj.get("timestamp") instanceof ObjectNode ts)) {
            throw new QmpProtocolException("event " + name.textValue() + " without a timestamp object");
        }
        return new QmpEvent(name.textValue(), data == null ? mapper.createObjectNode() : (ObjectNode) data,
                new QmpEvent.Timestamp(integer(ts, "seconds"), integer(ts, "microseconds")));
    }

    private static long integer(ObjectNode ts, String field) throws QmpProtocolException {
        JsonNode n = ts.get(field);
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
            throw new QmpProtocolException("event timestamp's " + field + " must be a 64-bit integer, got "
                    + (n == null ? "nothing" : kindOf(n)));
        }
        return n.longValue();
    }

    private static Optional<JsonNode> id(ObjectNode obj) {
        return Optional.ofNullable(obj.get("id"));
    }

    /** One command as a line, newline included. */
    public byte[] encode(QmpCommand command) {
        ObjectNode obj = mapper.createObjectNode();
        obj.put("execute", command.name());
        ObjectNode args = command.arguments();
        if (!args.isEmpty()) {
            obj.set("arguments", args);
        }
        obj.put("id", command.id());
        return line(obj);
    }

    /** One message as QEMU would send it, newline included: for test peers and round-trip checks. */
    public byte[] encode(QmpMessage message) {
        ObjectNode obj = mapper.createObjectNode();
        switch (message) {
            case QmpMessage.Greeting g -> {
                ObjectNode body = obj.putObject("QMP");
                body.set("version", g.version());
                ArrayNode caps = body.putArray("capabilities");
                g.capabilities().forEach(caps::add);
            }
            case QmpMessage.Return r -> {
                obj.set("return", r.value());
                r.id().ifPresent(id -> obj.set("id", id));
            }
            case QmpMessage.Error e -> {
                ObjectNode err = obj.putObject("error");
                err.put("class", e.errorClass());
                err.put("desc", e.description());
                e.id().ifPresent(id -> obj.set("id", id));
            }
            case QmpEvent ev -> {
                obj.put("event", ev.name());
                if (!ev.data().isEmpty()) {
                    obj.set("data", ev.data());
                }
                ObjectNode ts = obj.putObject("timestamp");
                ts.put("seconds", ev.timestamp().seconds());
                ts.put("microseconds", ev.timestamp().microseconds());
            }
        }
        return line(obj);
    }

    private byte[] line(JsonNode node) {
        byte[] json;
        try {
            json = mapper.writeValueAsBytes(node);
        } catch (IOException e) {
            // Writing a tree we built to a byte array has no I/O that could fail.
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
        byte[] out = new byte[json.length + 1];
        System.arraycopy(json, 0, out, 0, json.length);
        out[json.length] = '\n';
        return out;
    }

    private static String kindOf(JsonNode n) {
        return switch (n.getNodeType()) {
            case OBJECT, POJO -> "an object";
            case ARRAY -> "an array";
            case STRING, BINARY -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL, MISSING -> "null";
        };
    }

    private static String excerpt(byte[] buf, int offset, int length) {
        String s = new String(buf, offset, Math.min(length, EXCERPT), StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(s.length() + 8);
        s.codePoints().forEach(c -> out.append(Character.isISOControl(c) ? "\\x" + Integer.toHexString(c) : Character.toString(c)));
        return "'" + out + (length > EXCERPT ? "...'" : "'");
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
