package io.keel.api.http;

import java.util.Map;
import java.util.Objects;

/** The body of every error answer; {@code code} is stable for programs, {@code message} is for people. */
public record ErrorResponse(String code, String message, Map<String, Object> details) {
    public ErrorResponse {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        details = details == null ? Map.of() : Map.copyOf(details);
    }
}
