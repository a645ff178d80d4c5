package io.keel.api;

import java.util.Objects;

/**
 * What a node serves behind its API, one service per area. A node that does not serve an area
 * yet gets a stand-in whose every call answers 503 with the reason, so its routes still exist
 * and are documented.
 */
public record ApiServices(ClusterService cluster, VolumeService volumes, SnapshotService snapshots,
        ComputeService compute, ImageService images) {
    public ApiServices {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(volumes, "volumes");
        Objects.requireNonNull(snapshots, "snapshots");
        Objects.requireNonNull(compute, "compute");
        Objects.requireNonNull(images, "images");
    }

    /** Only the cluster service; every other area answers 503. */
    public static ApiServices of(ClusterService cluster) {
        return new ApiServices(cluster, new UnservedVolumeService(), new UnservedSnapshotService(),
                Unserved.service(ComputeService.class, "compute is not served by this node"),
                Unserved.service(ImageService.class, "images are not served by this node"));
    }

    public ApiServices withVolumes(VolumeService v) {
        return new ApiServices(cluster, v, snapshots, compute, images);
    }

    public ApiServices withSnapshots(SnapshotService s) {
        return new ApiServices(cluster, volumes, s, compute, images);
    }

    public ApiServices withCompute(ComputeService c) {
        return new ApiServices(cluster, volumes, snapshots, c, images);
    }

    public ApiServices withImages(ImageService i) {
        return new ApiServices(cluster, volumes, snapshots, compute, i);
    }
}
