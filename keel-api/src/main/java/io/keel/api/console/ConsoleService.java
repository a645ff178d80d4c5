package io.keel.api.console;

/**
 * Finds the console of a VM. Implemented by the compute side of a node, which knows the VM records
 * (which node hosts each VM) and, for VMs on this node, their runtime directories.
 */
public interface ConsoleService {
    /**
     * Where the {@code kind} console of {@code vm} (name or id) is.
     *
     * @throws io.keel.api.ApiException 404 {@code not_found} for an unknown VM; 409 {@code conflict}
     *         when the VM is not running, or has no display and VNC was asked for
     */
    ConsoleTarget locate(String vm, ConsoleKind kind);
}
