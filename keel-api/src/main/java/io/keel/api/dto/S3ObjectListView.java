package io.keel.api.dto;

import java.util.List;

/**
 * One page of a bucket's objects: the latest versions (no delete markers) and the common prefixes
 * the delimiter rolled keys up into; {@code next} is the token for the following page, null on the
 * last one.
 */
public record S3ObjectListView(List<S3ObjectView> objects, List<String> prefixes, String next) {
    public S3ObjectListView {
        objects = List.copyOf(objects);
        prefixes = List.copyOf(prefixes);
    }
}
