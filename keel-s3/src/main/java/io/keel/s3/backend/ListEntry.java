package io.keel.s3.backend;

import java.util.Objects;

/** One row of a listing page: an object (or object version) or a rolled-up common prefix. */
public sealed interface ListEntry<T> {
    /** The sort key of the row: the object key or the prefix. */
    String name();

    record Item<T>(String name, T value) implements ListEntry<T> {
        public Item {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    record Prefix<T>(String name) implements ListEntry<T> {
        public Prefix {
            Objects.requireNonNull(name, "name");
        }
    }
}
