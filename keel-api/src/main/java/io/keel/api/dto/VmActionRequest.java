package io.keel.api.dto;

/**
 * Options of a VM action, all optional. {@code force}: stop or reboot at once instead of asking
 * the guest; {@code timeoutSeconds}: how long a graceful stop waits for the guest (default 60);
 * {@code waitSeconds}: how long the call waits for the VM to get there (default 120; 0 returns at once).
 */
public record VmActionRequest(Boolean force, Integer timeoutSeconds, Integer waitSeconds) {
    public static final VmActionRequest DEFAULTS = new VmActionRequest(null, null, null);
}
