package io.keel.s3store.data;

import io.keel.storage.volume.VolumeHandle;
import java.io.IOException;

/**
 * The volumes object data lives in, as the node provides them: created under the S3 cluster's
 * storage policy in its metadata, opened through its {@code VolumeClient}. Volumes are thin: a
 * chunk is allocated only when first written, so a large logical size costs nothing up front.
 */
public interface DataVolumes {

    /** Creates a volume of {@code sizeBytes} for object data; returns its id. */
    String create(String name, long sizeBytes) throws IOException;

    /**
     * Opens a volume for writing under this gateway's lease, fencing any earlier writer off it
     * before returning.
     */
    VolumeHandle openWritable(String volumeId) throws IOException;

    /** Opens a volume for reading only (no lease; works on any node). */
    VolumeHandle openReadOnly(String volumeId) throws IOException;
}
