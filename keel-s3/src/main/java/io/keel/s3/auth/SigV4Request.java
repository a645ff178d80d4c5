package io.keel.s3.auth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The parts of an HTTP request that SigV4 covers, exactly as received: the raw (still
 * percent-encoded) path and query, and the headers with lower-cased names. Nothing of the HTTP
 * server's own object model leaks in, so the verifier stays a pure function.
 */
public record SigV4Request(String method, String rawPath, String rawQuery, Map<String, List<String>> headers) {
    public SigV4Request {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(rawPath, "rawPath");
        rawQuery = rawQuery == null ? "" : rawQuery;
        Objects.requireNonNull(headers, "headers");
        TreeMap<String, List<String>> lower = new TreeMap<>();
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            String name = Objects.requireNonNull(e.getKey(), "header name").toLowerCase(Locale.ROOT);
            lower.computeIfAbsent(name, k -> new ArrayList<>()).addAll(e.getValue());
        }
        lower.replaceAll((k, v) -> List.copyOf(v));
        headers = Collections.unmodifiableMap(lower);
    }

    /** The first value of a header, by case-insensitive name. */
    public Optional<String> header(String name) {
        List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.getFirst());
    }

    public List<String> headerValues(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    /** The same request with one header's values replaced by {@code value}. */
    public SigV4Request withHeader(String name, String value) {
        Map<String, List<String>> h = new TreeMap<>(headers);
        h.put(name.toLowerCase(Locale.ROOT), List.of(value));
        return new SigV4Request(method, rawPath, rawQuery, h);
    }
}
