package io.keel.s3.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The prefix/delimiter/marker rules of S3 listings over any sorted key source, so every backend
 * pages the same way. A rolled-up common prefix is skipped with one seek past all its keys, so a
 * directory with a million objects costs one step, not a million.
 *
 * <p>Keys compare as Java strings (UTF-16 order); S3 orders by UTF-8 bytes. The two differ only
 * for keys mixing supplementary characters with U+E000..U+FFFF.
 */
public final class KeyLister {
    /** A sorted map view: the first entry at or after (or strictly after) {@code key}. */
    @FunctionalInterface
    public interface Source<T> {
        Optional<Map.Entry<String, T>> seek(String key, boolean inclusive);
    }

    private KeyLister() {
    }

    public static <T> ListPage<T> page(Source<T> source, ListQuery q) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(q, "q");
        String marker = q.startAfter().orElse("");
        String cursor = marker;
        boolean inclusive = marker.isEmpty();
        if (q.prefix().compareTo(cursor) > 0) {
            cursor = q.prefix();
            inclusive = true;
        }
        List<ListEntry<T>> entries = new ArrayList<>();
        if (q.maxKeys() == 0) {
            // Not "truncated": a client paging on IsTruncated with max-keys=0 would never advance.
            return new ListPage<>(entries, false);
        }
        while (true) {
            Optional<Map.Entry<String, T>> next = source.seek(cursor, inclusive);
            if (next.isEmpty() || !next.get().getKey().startsWith(q.prefix())) {
                return new ListPage<>(entries, false);
            }
            String key = next.get().getKey();
            String common = commonPrefix(key, q);
            if (common != null && common.compareTo(marker) <= 0 && !marker.isEmpty()) {
                // The marker was this prefix (the previous page ended on it): skip the whole group.
                cursor = pastPrefix(common);
                inclusive = true;
                continue;
            }
            if (entries.size() >= q.maxKeys()) {
                return new ListPage<>(entries, true);
            }
            if (common != null) {
                entries.add(new ListEntry.Prefix<>(common));
                cursor = pastPrefix(common);
                inclusive = true;
            } else {
                entries.add(new ListEntry.Item<>(key, next.get().getValue()));
                cursor = key;
                inclusive = false;
            }
        }
    }

    private static String commonPrefix(String key, ListQuery q) {
        if (q.delimiter().isEmpty()) {
            return null;
        }
        String d = q.delimiter().get();
        int at = key.indexOf(d, q.prefix().length());
        return at < 0 ? null : key.substring(0, at + d.length());
    }

    /** The least string greater than every string that starts with {@code prefix}. */
    static String pastPrefix(String prefix) {
        StringBuilder b = new StringBuilder(prefix);
        while (!b.isEmpty()) {
            char last = b.charAt(b.length() - 1);
            if (last != Character.MAX_VALUE) {
                b.setCharAt(b.length() - 1, (char) (last + 1));
                return b.toString();
            }
            b.setLength(b.length() - 1);
        }
        // Only reachable for a prefix of U+FFFF characters: nothing sorts after its group.
        return prefix + Character.MAX_VALUE;
    }
}
