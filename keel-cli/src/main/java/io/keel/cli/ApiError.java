package io.keel.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** An error answer of the API: JSON {@code {code, message, details}} with an HTTP status. */
final class ApiError extends RuntimeException {
    private final int status;
    private final String code;
    private final transient JsonNode details;

    ApiError(int status, String code, String message, JsonNode details) {
        super(message);
        this.status = status;
        this.code = code;
        this.details = details;
    }

    int status() {
        return status;
    }

    /** The API's error code (invalid, unauthorized, not_found, conflict, quorum_lost...), or null. */
    String code() {
        return code;
    }

    JsonNode details() {
        return details;
    }

    /** {@code <message> (<code>, HTTP <status>)}. */
    String describe() {
        return getMessage() + " (" + (code == null || code.isBlank() ? "" : code + ", ") + "HTTP " + status + ")";
    }
}
