package io.keel.s3.backend;

/** A bucket's versioning state. A bucket never returns to UNVERSIONED once versioning was enabled. */
public enum VersioningState {
    UNVERSIONED,
    ENABLED,
    SUSPENDED
}
