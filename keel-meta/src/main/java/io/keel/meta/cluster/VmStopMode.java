package io.keel.meta.cluster;

/**
 * How a VM is stopped: an ACPI power-button press and up to {@code timeoutSeconds} for the guest
 * to power off, then a forced stop; or a forced stop at once ({@code timeoutSeconds} 0, the
 * "hard stop" of the API).
 */
public record VmStopMode(int timeoutSeconds) {
    public static final int DEFAULT_TIMEOUT_SECONDS = 60;
    public static final int MAX_TIMEOUT_SECONDS = 3600;

    public VmStopMode {
        if (timeoutSeconds < 0 || timeoutSeconds > MAX_TIMEOUT_SECONDS) {
            throw new IllegalArgumentException("stop timeout must be 0-" + MAX_TIMEOUT_SECONDS + " s, got "
                    + timeoutSeconds);
        }
    }

    public static VmStopMode graceful(int timeoutSeconds) {
        return new VmStopMode(timeoutSeconds);
    }

    public static VmStopMode hard() {
        return new VmStopMode(0);
    }

    public boolean isHard() {
        return timeoutSeconds == 0;
    }
}
