package io.keel.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/** Request bodies in, JSON out, and parser failures turned into short 400 answers. */
final class Json {
    private static final int MAX_REASON_CHARS = 200;
    private static final Pattern HINT = Pattern.compile("\\s*\\((set|but might|through reference)[^)]*\\)");
    private static final Pattern QUALIFIED_NAME = Pattern.compile("`([a-z][a-z0-9_]*\\.)+([A-Za-z0-9_$]+)`");

    private final ObjectMapper mapper;

    Json(ObjectMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /**
     * The API's mapper: ISO-8601 dates, and strict reading so that a typo in a field name or a
     * quoted number is refused instead of silently ignored or coerced.
     */
    static ObjectMapper newMapper() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                // Parser messages go back to the client; never quote the document (it may be a password).
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .build();
    }

    ObjectMapper mapper() {
        return mapper;
    }

    /** The body as {@code type}; a missing, empty or {@code null} body is a 400. */
    <T> T body(Context ctx, Class<T> type) {
        return required(read(ctx, type, true));
    }

    /** Like {@link #body} for bodies holding secrets: parse errors do not quote the input. */
    <T> T secretBody(Context ctx, Class<T> type) {
        return required(read(ctx, type, false));
    }

    /** The body as {@code type}, or null when there is none. */
    <T> T optionalBody(Context ctx, Class<T> type) {
        return read(ctx, type, true);
    }

    private static <T> T required(T value) {
        if (value == null) {
            throw ApiException.invalid("request body is required");
        }
        return value;
    }

    private <T> T read(Context ctx, Class<T> type, boolean quoteInput) {
        byte[] bytes = ctx.bodyAsBytes();
        if (isBlank(bytes)) {
            return null;
        }
        try {
            return mapper.readValue(bytes, type);
        } catch (JsonProcessingException e) {
            throw invalid(e, quoteInput);
        } catch (IOException e) {
            throw ApiException.invalid("cannot read request body");
        }
    }

    void write(Context ctx, int status, Object body) {
        Objects.requireNonNull(body, "response body");
        try {
            ctx.status(status).contentType("application/json").result(mapper.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + body.getClass().getName(), e);
        }
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    /**
     * A 400 naming the field and the parser's reason, without class names or stack. With
     * {@code quoteInput} false the reason leaves out anything copied from the document, for bodies
     * that carry secrets (a stray password must not come back in an error that proxies may log).
     */
    static ApiException invalid(JsonProcessingException e, boolean quoteInput) {
        Map<String, Object> details = new LinkedHashMap<>();
        String reason;
        if (e instanceof UnrecognizedPropertyException u) {
            reason = "unknown field \"" + u.getPropertyName() + "\""; // a name the client chose, not a value
        } else if (e instanceof JsonParseException) {
            reason = quoteInput ? "malformed JSON: " + clean(e.getOriginalMessage()) : "malformed JSON";
        } else if (e instanceof MismatchedInputException
                && String.valueOf(e.getOriginalMessage()).startsWith("Cannot map `null`")) {
            reason = "missing or null value";
        } else {
            reason = quoteInput ? "invalid value: " + clean(e.getOriginalMessage()) : "invalid value";
        }
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            String field = fieldPath(m);
            details.put("field", field);
            reason += " at " + field;
        }
        JsonLocation location = e.getLocation();
        if (location != null && location.getLineNr() > 0) {
            details.put("line", location.getLineNr());
            details.put("column", location.getColumnNr());
        }
        return new ApiException(400, "invalid", truncate(reason), details);
    }

    /** Jackson's reason, minus its hints about mapper settings and our package names. */
    private static String clean(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        line = HINT.matcher(line).replaceAll("");
        return QUALIFIED_NAME.matcher(line).replaceAll("`$2`");
    }

    private static String fieldPath(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? "$" : sb.toString();
    }

    private static String truncate(String s) {
        return s.length() <= MAX_REASON_CHARS ? s : s.substring(0, MAX_REASON_CHARS) + "...";
    }
}
