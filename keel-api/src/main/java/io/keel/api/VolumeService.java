package io.keel.api;

import io.keel.api.dto.CreateVolumeRequest;
import io.keel.api.dto.ExtendVolumeRequest;
import io.keel.api.dto.SetVolumePolicyRequest;
import io.keel.api.dto.VolumeView;
import java.util.List;

/**
 * What the REST API can ask about volumes. Kept apart from {@link ClusterService} because volumes
 * are served by the node's volume layer, which starts later than the metadata view and may be
 * absent. Volumes are named by id or by name. Every method either returns or throws
 * {@link ApiException} (400 invalid, 404 not_found, 409 conflict, 503 when the metadata quorum
 * or the volume layer is unavailable), and a method that throws has changed nothing. Sizes
 * arrive as text and are read with {@link Sizes#parse}.
 */
public interface VolumeService {
    /** 409 when the name is taken, 404 when the policy does not exist. */
    VolumeView create(CreateVolumeRequest request);

    List<VolumeView> list();

    VolumeView get(String idOrName);

    /** Volumes only grow: a size below the current one is refused (400) rather than losing data. */
    VolumeView extend(String idOrName, ExtendVolumeRequest request);

    /** Existing chunks move to the new policy's placement over time; the answer does not wait for that. */
    VolumeView setPolicy(String idOrName, SetVolumePolicyRequest request);

    /** Refused (409) while a writer holds the volume's lease. */
    void delete(String idOrName);

    /**
     * Takes the write lease away from its holder (like breaking an RBD lock): for a writer that
     * is stuck or on a node that is gone but not yet declared dead. The next writer gets a newer
     * epoch, and the chunk services refuse every write the old holder still sends. 409 when no
     * one holds the lease.
     */
    VolumeView breakLease(String idOrName);
}
