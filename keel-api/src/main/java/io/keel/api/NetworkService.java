package io.keel.api;

import io.keel.api.dto.AttachNicRequest;
import io.keel.api.dto.CreateNetworkRequest;
import io.keel.api.dto.NetworkView;
import io.keel.api.dto.VmView;
import java.util.List;

/**
 * Virtual networks and the NICs VMs have on them (ADR 0023). Every method either returns or throws
 * {@link ApiException} (400, 404, 409, 503), and a method that throws has changed nothing.
 */
public interface NetworkService {
    List<NetworkView> list();

    NetworkView get(String network);

    /** Refused: a bad name or bridge name, a bridge for a NAT network, a name in use. */
    NetworkView create(CreateNetworkRequest request);

    /** Refused while a NIC is on it. */
    void delete(String network);

    /** Adds a NIC to a VM, hot-plugged into a running guest. Refused: unknown network, MAC in use, 8 NICs. */
    VmView attachNic(String vm, AttachNicRequest request);

    /** Removes a NIC, waiting up to {@code waitSeconds} (default 120) for a running guest to release it. */
    VmView detachNic(String vm, String mac, Integer waitSeconds);
}
