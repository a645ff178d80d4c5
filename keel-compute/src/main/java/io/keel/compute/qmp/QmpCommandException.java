package io.keel.compute.qmp;

import java.util.Objects;

/**
 * QEMU answered a command with an error. {@link #errorClass()} is QEMU's machine-readable class
 * (for example {@code CommandNotFound}, {@code GenericError}, {@code DeviceNotFound}); the message
 * carries QEMU's description, which is meant for people.
 */
public final class QmpCommandException extends QmpException {
    private final String command;
    private final String errorClass;
    private final String description;

    public QmpCommandException(String command, String errorClass, String description) {
        super(Objects.requireNonNull(command, "command") + " failed: " + Objects.requireNonNull(errorClass, "errorClass")
                + ": " + Objects.requireNonNull(description, "description"));
        this.command = command;
        this.errorClass = errorClass;
        this.description = description;
    }

    public String command() {
        return command;
    }

    public String errorClass() {
        return errorClass;
    }

    public String description() {
        return description;
    }
}
