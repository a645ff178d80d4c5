package io.keel.api.dto;

/**
 * A new image, waiting for its file. {@code format} qcow2, raw or iso (null: learnt from the
 * file); {@code osType} a short lower-case tag (default "linux"); {@code shared} makes it usable
 * by every project (default false); {@code policy} the storage policy of its volume (default:
 * the only policy, when there is exactly one).
 */
public record CreateImageRequest(String name, String format, String osType, Boolean shared, String policy) {}
