package io.keel.s3.backend;

import java.util.Objects;
import java.util.Optional;

/**
 * One page of a key listing: keys after {@code startAfter} (exclusive) that begin with
 * {@code prefix}, with keys sharing {@code prefix + ... + delimiter} rolled up into one common
 * prefix, at most {@code maxKeys} entries (objects and prefixes together).
 */
public record ListQuery(String prefix, Optional<String> delimiter, Optional<String> startAfter, int maxKeys) {
    public ListQuery {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(delimiter, "delimiter");
        Objects.requireNonNull(startAfter, "startAfter");
        delimiter = delimiter.filter(d -> !d.isEmpty());
        if (maxKeys < 0) {
            throw new IllegalArgumentException("negative maxKeys");
        }
    }
}
