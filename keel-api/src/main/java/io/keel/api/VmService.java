package io.keel.api;

import io.keel.api.dto.CreateVmRequest;
import io.keel.api.dto.MigrateVmRequest;
import io.keel.api.dto.RenameVmRequest;
import io.keel.api.dto.ResizeVmRequest;
import io.keel.api.dto.VmActionRequest;
import io.keel.api.dto.VmView;
import java.util.List;

/**
 * Virtual machines. VMs are named by id or name. An action records the desired state and waits
 * (up to the request's {@code waitSeconds}) for the VM's host node to reach it; the answer is the
 * VM as it is then, so a caller that does not want to wait passes 0 and polls. Every method either
 * returns or throws {@link ApiException} (400 invalid, 404 not_found, 409 conflict, 503 when the
 * metadata quorum is unavailable), and a method that throws has changed nothing.
 */
public interface VmService {
    List<VmView> list();

    VmView get(String vm);

    /**
     * Creates the VM and the volumes made for it in one step, and starts it unless asked not to.
     * Refused before anything is created: unknown flavor, image or volume, a volume attached
     * elsewhere, no compute node with room, a name clash.
     */
    VmView create(CreateVmRequest request);

    VmView start(String vm, VmActionRequest request);

    /** Graceful (ACPI, then forced after the timeout) unless {@code request.force()}. */
    VmView stop(String vm, VmActionRequest request);

    VmView reboot(String vm, VmActionRequest request);

    VmView pause(String vm, VmActionRequest request);

    VmView unpause(String vm, VmActionRequest request);

    /**
     * Saves a running or paused VM's memory and device state into a volume of its own and stops it
     * (SUSPENDED), waiting up to {@code request.waitSeconds()}. Refused (409) unless it runs or is paused.
     */
    VmView suspend(String vm, VmActionRequest request);

    /** Runs a suspended VM again from its saved state, where it left off; refused (409) unless suspended. */
    VmView resume(String vm, VmActionRequest request);

    VmView rename(String vm, RenameVmRequest request);

    /** Offline: refused (409) unless the VM is shut off, or when its node has no room for the new size. */
    VmView resize(String vm, ResizeVmRequest request);

    /**
     * Moves a running VM to another compute node while it runs (live migration), waiting up to the
     * request's {@code waitSeconds} for it to end. Refused: VM not running or already migrating,
     * unknown, unhealthy or same node, no room there.
     */
    VmView migrate(String vm, MigrateVmRequest request);

    /** Cancels a running migration (before its switch-over); the VM stays where it was. */
    VmView cancelMigration(String vm, VmActionRequest request);

    /** Stops the VM at once if it runs; deletes the volumes made for it when {@code deleteVolumes}. */
    void delete(String vm, boolean deleteVolumes);

    /** The "Manage placement" action: the VM's placement strategy for the HA engine. */
    VmView setPlacement(String vm, io.keel.api.dto.VmPlacementRequest request);
}
