package io.keel.s3store;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.s3store.data.DataLocation;
import io.keel.s3store.index.IndexCodec;
import io.keel.s3store.index.IndexKeys;
import io.keel.s3store.index.KeyHead;
import io.keel.s3store.index.PartRecord;
import io.keel.s3store.index.VersionRecord;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Recomputes from the raw shard what the backend keeps incrementally and checks they agree:
 * each head is its key's newest version and points at its null version, the counters equal
 * what the records add up to, and the live data segments are exactly those records name.
 */
final class IndexAudit {
    private static final IndexCodec CODEC = new IndexCodec();

    private IndexAudit() {
    }

    static BucketUsage check(TestStore s, String bucketId) {
        Map<String, byte[]> all = s.shard.snapshot();
        Map<String, List<VersionRecord>> versions = new LinkedHashMap<>();
        Set<String> referenced = new HashSet<>();
        long objects = 0;
        long bytes = 0;
        long count = 0;
        long stored = 0;
        long uploads = 0;
        for (Map.Entry<String, byte[]> e : all.entrySet()) {
            String k = e.getKey();
            if (k.startsWith(IndexKeys.versionPrefix(bucketId))) {
                IndexKeys.VersionKey vk = IndexKeys.parseVersion(bucketId, k);
                VersionRecord v = CODEC.decode(e.getValue(), VersionRecord.class);
                assertThat(v.stamp()).isEqualTo(vk.stamp());
                versions.computeIfAbsent(vk.key(), x -> new java.util.ArrayList<>()).add(v);
                count++;
                stored += v.storedBytes();
                names(v.location(), referenced);
            } else if (k.startsWith("p/" + bucketId + "/")) {
                names(CODEC.decode(e.getValue(), PartRecord.class).location(), referenced);
            } else if (k.startsWith(IndexKeys.uploadPrefix(bucketId))) {
                uploads++;
            }
        }
        long heads = all.keySet().stream().filter(k -> k.startsWith(IndexKeys.headPrefix(bucketId))).count();
        assertThat(heads).as("one head per key with versions").isEqualTo(versions.size());
        for (Map.Entry<String, List<VersionRecord>> e : versions.entrySet()) {
            byte[] raw = all.get(IndexKeys.head(bucketId, e.getKey()));
            assertThat(raw).as("head of %s", e.getKey()).isNotNull();
            KeyHead h = CODEC.decode(raw, KeyHead.class);
            VersionRecord newest = e.getValue().getFirst();
            assertThat(h.current()).isEqualTo(newest);
            List<VersionRecord> nulls = e.getValue().stream().filter(VersionRecord::isNullVersion).toList();
            assertThat(nulls.size()).as("at most one null version of %s", e.getKey()).isLessThanOrEqualTo(1);
            assertThat(h.nullStamp()).isEqualTo(nulls.isEmpty() ? null : nulls.getFirst().stamp());
            if (!newest.deleteMarker()) {
                objects++;
                bytes += newest.size();
            }
        }
        BucketUsage expected = new BucketUsage(objects, bytes, count, stored, uploads);
        assertThat(counters(all, bucketId)).isEqualTo(expected);
        return expected;
    }

    /** No segment leaked, none freed while named, none freed twice (across every bucket of the store). */
    static void checkData(TestStore s) {
        Set<String> referenced = new HashSet<>();
        for (Map.Entry<String, byte[]> e : s.shard.snapshot().entrySet()) {
            if (e.getKey().startsWith("o/")) {
                names(CODEC.decode(e.getValue(), VersionRecord.class).location(), referenced);
            } else if (e.getKey().startsWith("p/")) {
                names(CODEC.decode(e.getValue(), PartRecord.class).location(), referenced);
            }
        }
        assertThat(s.data.doubleReleases).isEmpty();
        assertThat(Set.copyOf(s.data.live)).isEqualTo(referenced);
    }

    private static BucketUsage counters(Map<String, byte[]> all, String bucketId) {
        return new BucketUsage(counter(all, bucketId, "objects"), counter(all, bucketId, "bytes"),
                counter(all, bucketId, "versions"), counter(all, bucketId, "stored_bytes"),
                counter(all, bucketId, "uploads"));
    }

    private static long counter(Map<String, byte[]> all, String bucketId, String name) {
        byte[] raw = all.get("c/" + bucketId + "/" + name);
        return raw == null ? 0 : IndexCodec.decodeLong(raw);
    }

    private static void names(DataLocation l, Set<String> into) {
        l.segments().forEach(s -> into.add(s.volumeId()));
    }
}
