package io.keel.s3.backend;

/**
 * The per-bucket configuration documents the gateway serves. Each is stored as one document in
 * the canonical form its parser renders (XML for CORS, tagging and lifecycle, JSON for the
 * policy), validated by the gateway before it is stored, so a stored document always parses.
 */
public enum BucketSetting {
    CORS,
    TAGGING,
    POLICY,
    LIFECYCLE
}
