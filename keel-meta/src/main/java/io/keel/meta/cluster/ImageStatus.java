package io.keel.meta.cluster;

/**
 * Where an image is in its life: created and waiting for its file (QUEUED), receiving it
 * (UPLOADING), being checked and written into its volume (CONVERTING), usable (ACTIVE), or failed
 * with a reason (ERROR; a new upload may be tried).
 */
public enum ImageStatus {
    QUEUED, UPLOADING, CONVERTING, ACTIVE, ERROR;

    /** Whether a node is working on the image's file right now (or was, if it stopped reporting). */
    public boolean inProgress() {
        return this == UPLOADING || this == CONVERTING;
    }
}
