package io.keel.s3store;

import static io.keel.s3store.Bodies.alice;
import static io.keel.s3store.Bodies.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.s3.backend.DeleteResult;
import io.keel.s3.backend.KeyLister;
import io.keel.s3.backend.ListEntry;
import io.keel.s3.backend.ListPage;
import io.keel.s3.backend.ListQuery;
import io.keel.s3.backend.ObjectInfo;
import io.keel.s3.backend.ObjectVersion;
import io.keel.s3.backend.VersionQuery;
import io.keel.s3.backend.VersioningState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Seeded random histories on a versioned bucket (more keys than one shard scan page), then every
 * listing paged through with assorted prefixes, delimiters and page sizes, against a model:
 * ListObjects against KeyLister over a sorted map of current objects, ListObjectVersions against
 * all versions newest first. {@code -Dkeel.s3store.seed=<seed>} replays a failure.
 */
class ListingModelTest {
    private static final String[] PARTS = {"a", "b", "dir/", "x/y/", "é", "日", "z-", "a.b", ""};

    @Test
    void pagedListingsMatchTheModel() throws Exception {
        long seed = Long.getLong("keel.s3store.seed", new Random().nextLong());
        Random rnd = new Random(seed);
        TestStore s = new TestStore();
        KeelS3Backend b = s.backend;
        b.createBucket("lst", "alice", "keel-1");
        b.setVersioning("lst", VersioningState.ENABLED);
        // Model: key -> versions newest first, each (versionId, isMarker).
        TreeMap<String, List<String[]>> model = new TreeMap<>();
        for (int i = 0; i < 700; i++) {
            String key = PARTS[rnd.nextInt(PARTS.length)] + PARTS[rnd.nextInt(PARTS.length)] + rnd.nextInt(200);
            int op = rnd.nextInt(10);
            if (op < 7) {
                String vid = b.putObject("lst", key, alice(), body("v" + i)).versionId().orElseThrow();
                model.computeIfAbsent(key, k -> new ArrayList<>()).addFirst(new String[] {vid, "o"});
            } else if (op < 9) {
                DeleteResult d = b.deleteObject("lst", key, Optional.empty());
                model.computeIfAbsent(key, k -> new ArrayList<>())
                        .addFirst(new String[] {((DeleteResult.MarkerCreated) d).versionId(), "m"});
            } else if (model.containsKey(key)) {
                List<String[]> vs = model.get(key);
                String[] gone = vs.remove(rnd.nextInt(vs.size()));
                b.deleteObject("lst", key, Optional.of(gone[0]));
                if (vs.isEmpty()) {
                    model.remove(key);
                }
            }
        }
        IndexAudit.check(s, s.catalog.bucket("lst").orElseThrow().id());
        IndexAudit.checkData(s);

        TreeMap<String, String> current = new TreeMap<>();
        model.forEach((k, vs) -> {
            if (vs.getFirst()[1].equals("o")) {
                current.put(k, vs.getFirst()[0]);
            }
        });
        for (String prefix : List.of("", "a", "dir/", "x/", "日", "nothing")) {
            for (Optional<String> delimiter : List.of(Optional.<String>empty(), Optional.of("/"), Optional.of("y/"))) {
                for (int max : List.of(1, 7, 1000)) {
                    String context = "seed " + seed + " prefix " + prefix + " delimiter " + delimiter + " max " + max;
                    assertThat(pageObjects(b, prefix, delimiter, max)).as(context)
                            .isEqualTo(pageModel(current, prefix, delimiter, max));
                    assertThat(pageVersions(b, prefix, delimiter, max)).as(context)
                            .isEqualTo(versionModel(model, prefix, delimiter));
                }
            }
        }
    }

    private static List<String> pageObjects(KeelS3Backend b, String prefix, Optional<String> d, int max)
            throws Exception {
        List<String> out = new ArrayList<>();
        Optional<String> after = Optional.empty();
        while (true) {
            ListPage<ObjectInfo> page = b.listObjects("lst", new ListQuery(prefix, d, after, max));
            for (ListEntry<ObjectInfo> e : page.entries()) {
                out.add(e instanceof ListEntry.Item<ObjectInfo> it ? it.name() + "@" + it.value().versionId().orElseThrow()
                        : "P:" + e.name());
            }
            if (!page.truncated()) {
                return out;
            }
            after = Optional.of(page.lastName());
        }
    }

    private static List<String> pageModel(TreeMap<String, String> current, String prefix, Optional<String> d, int max) {
        List<String> out = new ArrayList<>();
        Optional<String> after = Optional.empty();
        while (true) {
            ListPage<String> page = KeyLister.page((key, inclusive) -> Optional.ofNullable(
                    inclusive ? current.ceilingEntry(key) : current.higherEntry(key)), new ListQuery(prefix, d, after, max));
            for (ListEntry<String> e : page.entries()) {
                out.add(e instanceof ListEntry.Item<String> it ? it.name() + "@" + it.value() : "P:" + e.name());
            }
            if (!page.truncated()) {
                return out;
            }
            after = Optional.of(page.lastName());
        }
    }

    private static List<String> pageVersions(KeelS3Backend b, String prefix, Optional<String> d, int max)
            throws Exception {
        List<String> out = new ArrayList<>();
        Optional<String> km = Optional.empty();
        Optional<String> vm = Optional.empty();
        while (true) {
            ListPage<ObjectVersion> page = b.listVersions("lst", new VersionQuery(prefix, d, km, vm, max));
            for (ListEntry<ObjectVersion> e : page.entries()) {
                if (e instanceof ListEntry.Item<ObjectVersion> it) {
                    ObjectVersion v = it.value();
                    out.add(v.key() + "@" + v.versionId() + (v instanceof ObjectVersion.DeleteMarker ? "m" : "o")
                            + (v.latest() ? "*" : ""));
                } else {
                    out.add("P:" + e.name());
                }
            }
            if (!page.truncated()) {
                return out;
            }
            ListEntry<ObjectVersion> last = page.entries().getLast();
            km = Optional.of(last.name());
            vm = last instanceof ListEntry.Item<ObjectVersion> it ? Optional.of(it.value().versionId()) : Optional.empty();
        }
    }

    private static List<String> versionModel(TreeMap<String, List<String[]>> model, String prefix, Optional<String> d) {
        List<String> out = new ArrayList<>();
        String lastPrefix = null;
        for (Map.Entry<String, List<String[]>> e : model.tailMap(prefix, true).entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(prefix)) {
                break;
            }
            if (d.isPresent()) {
                int at = key.indexOf(d.get(), prefix.length());
                if (at >= 0) {
                    String p = key.substring(0, at + d.get().length());
                    if (!p.equals(lastPrefix)) {
                        out.add("P:" + p);
                        lastPrefix = p;
                    }
                    continue;
                }
            }
            boolean latest = true;
            for (String[] v : e.getValue()) {
                out.add(key + "@" + v[0] + v[1] + (latest ? "*" : ""));
                latest = false;
            }
        }
        return out;
    }
}
