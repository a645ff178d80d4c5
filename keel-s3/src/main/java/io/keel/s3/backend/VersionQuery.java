package io.keel.s3.backend;

import java.util.Objects;
import java.util.Optional;

/**
 * A ListObjectVersions page: versions of keys beginning with {@code prefix}, starting after
 * ({@code keyMarker}, {@code versionIdMarker}) — after all versions of {@code keyMarker} when no
 * version marker is given — newest version of each key first.
 */
public record VersionQuery(String prefix, Optional<String> delimiter, Optional<String> keyMarker,
        Optional<String> versionIdMarker, int maxKeys) {
    public VersionQuery {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(delimiter, "delimiter");
        Objects.requireNonNull(keyMarker, "keyMarker");
        Objects.requireNonNull(versionIdMarker, "versionIdMarker");
        delimiter = delimiter.filter(d -> !d.isEmpty());
    }
}
