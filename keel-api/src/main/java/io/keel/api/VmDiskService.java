package io.keel.api;

import io.keel.api.dto.AttachVolumeRequest;
import io.keel.api.dto.CdromRequest;
import io.keel.api.dto.VmView;

/**
 * Disks added to and taken off a VM after it was made, whether it runs or not: a running guest
 * gets the disk hot-plugged by its host and is asked to release it on detach. VMs and volumes are
 * named by id or name. Every method either returns the VM or throws {@link ApiException} (400, 404,
 * 409, 503), and a method that throws has changed nothing.
 */
public interface VmDiskService {
    /**
     * Attaches an existing volume, or a new one made for the VM (size and policy), as the VM's next
     * disk. Refused: a volume attached to a VM already, a snapshot or an image's volume, a VM that
     * is migrating or has 16 disks.
     */
    VmView attach(String vm, AttachVolumeRequest request);

    /**
     * Detaches a disk other than the boot disk; the volume is kept. A running guest is asked to
     * release the device first, and the call waits up to {@code waitSeconds} (default 120) for it;
     * until then the disk shows as detaching and the volume stays the VM's.
     */
    VmView detach(String vm, String volume, Integer waitSeconds);

    /** Puts an active ISO image in the VM's CD-ROM drive (a running guest sees the disc change). */
    VmView insertCdrom(String vm, CdromRequest request);

    /** Empties the VM's CD-ROM drive. */
    VmView ejectCdrom(String vm);
}
