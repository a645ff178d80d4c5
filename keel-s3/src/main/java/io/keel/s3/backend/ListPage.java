package io.keel.s3.backend;

import java.util.List;
import java.util.Objects;

/** A page of entries in key order; {@code truncated} when more follow the last one. */
public record ListPage<T>(List<ListEntry<T>> entries, boolean truncated) {
    public ListPage {
        entries = List.copyOf(Objects.requireNonNull(entries, "entries"));
    }

    public List<T> items() {
        return entries.stream().<T>mapMulti((e, sink) -> {
            if (e instanceof ListEntry.Item<T> item) {
                sink.accept(item.value());
            }
        }).toList();
    }

    public List<String> prefixes() {
        return entries.stream().filter(e -> e instanceof ListEntry.Prefix<T>).map(ListEntry::name).toList();
    }

    /** The name of the last entry, where the next page starts (exclusive). */
    public String lastName() {
        return entries.isEmpty() ? "" : entries.getLast().name();
    }
}
