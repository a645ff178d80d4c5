package io.keel.api;

import java.util.Map;
import java.util.Objects;

/**
 * An error the API answers as JSON {@code {code, message, details}} with {@code status}.
 * Thrown by services; the HTTP layer renders it.
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final Map<String, Object> details;

    public ApiException(int status, String code, String message, Map<String, Object> details) {
        super(Objects.requireNonNull(message, "message"));
        this.status = status;
        this.code = Objects.requireNonNull(code, "code");
        this.details = Map.copyOf(details);
    }

    public ApiException(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    public static ApiException invalid(String message) {
        return new ApiException(400, "invalid", message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message);
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, "conflict", message);
    }

    /** 503: the metadata majority is not reachable, so no change was made. */
    public static ApiException quorumLost(int up, int total) {
        return new ApiException(503, "quorum_lost",
                "metadata quorum lost (" + up + " of " + total + " up)",
                Map.of("up", up, "total", total));
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, Object> details() {
        return details;
    }
}
