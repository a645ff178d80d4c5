package io.keel.cli;

/** A failure to report as {@code error: <message>} with exit code 1. */
final class CliException extends RuntimeException {
    CliException(String message) {
        super(message);
    }

    CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
