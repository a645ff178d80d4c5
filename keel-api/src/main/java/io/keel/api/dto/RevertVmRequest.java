package io.keel.api.dto;

/**
 * Options of a VM revert, all optional: {@code start} the VM after reverting it (default false),
 * {@code waitSeconds} how long the call waits for it to run (default 120; 0 returns at once).
 */
public record RevertVmRequest(Boolean start, Integer waitSeconds) {
    public static final RevertVmRequest DEFAULTS = new RevertVmRequest(null, null);
}
