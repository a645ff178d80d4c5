package io.keel.s3store.index;

import java.util.Objects;

/**
 * The head of one object key ({@code h/<bucketId>/<key>}): its current version (a copy of the
 * newest version record, so GET and ListObjects read one record) and the stamp of its null
 * version, if it has one, so a suspended-versioning write finds the version it replaces without
 * scanning. Every batch that changes the key's versions carries an {@code Equals} condition on
 * this record's bytes: that is the compare-and-set that makes concurrent writers of one key
 * linearizable.
 *
 * @param nullStamp stamp of the null version, or null when the key has none
 */
public record KeyHead(VersionRecord current, Long nullStamp) {
    public KeyHead {
        Objects.requireNonNull(current, "current");
    }
}
