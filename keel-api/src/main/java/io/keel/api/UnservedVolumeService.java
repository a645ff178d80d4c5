package io.keel.api;

import io.keel.api.dto.CreateVolumeRequest;
import io.keel.api.dto.ExtendVolumeRequest;
import io.keel.api.dto.SetVolumePolicyRequest;
import io.keel.api.dto.VolumeView;
import java.util.List;

/**
 * The volume service of a node that does not serve volumes (yet): every call is 503, so the
 * routes exist and are documented while the answer says plainly why nothing happened.
 */
final class UnservedVolumeService implements VolumeService {
    private static ApiException unavailable() {
        return new ApiException(503, "unavailable", "volumes are not served by this node yet");
    }

    @Override
    public VolumeView create(CreateVolumeRequest request) {
        throw unavailable();
    }

    @Override
    public List<VolumeView> list() {
        throw unavailable();
    }

    @Override
    public VolumeView get(String idOrName) {
        throw unavailable();
    }

    @Override
    public VolumeView extend(String idOrName, ExtendVolumeRequest request) {
        throw unavailable();
    }

    @Override
    public VolumeView setPolicy(String idOrName, SetVolumePolicyRequest request) {
        throw unavailable();
    }

    @Override
    public void delete(String idOrName) {
        throw unavailable();
    }

    @Override
    public VolumeView breakLease(String idOrName) {
        throw unavailable();
    }
}
