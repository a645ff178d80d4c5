package io.keel.s3store;

import static io.keel.s3store.Bodies.alice;
import static io.keel.s3store.Bodies.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.s3.backend.DeleteResult;
import io.keel.s3.backend.ObjectVersion;
import io.keel.s3.backend.VersionQuery;
import io.keel.s3.backend.VersioningState;
import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Seeded random histories through all versioning states — PUTs, DELETEs with and without version
 * ids (including "null"), state changes — against a model of each key's versions; after every
 * step GET and the key's version list agree with the model, and the index audit holds.
 * {@code -Dkeel.s3store.seed=<seed>} replays a failure.
 */
class VersioningModelTest {
    /** A version in the model: its id ("" before versioning) and its content, null for a delete marker. */
    private record Ver(String id, String content) {
        boolean isNull() {
            return id.isEmpty() || id.equals("null");
        }
    }

    @Test
    void randomHistoriesMatchTheModel() throws Exception {
        long seed = Long.getLong("keel.s3store.seed", new Random().nextLong());
        Random rnd = new Random(seed);
        TestStore s = new TestStore();
        KeelS3Backend b = s.backend;
        b.createBucket("model", "alice", "keel-1");
        String bucketId = s.catalog.bucket("model").orElseThrow().id();
        VersioningState state = VersioningState.UNVERSIONED;
        Map<String, List<Ver>> model = new TreeMap<>();
        for (int step = 0; step < 400; step++) {
            String key = "k" + rnd.nextInt(5);
            List<Ver> vs = model.computeIfAbsent(key, k -> new ArrayList<>());
            int op = rnd.nextInt(20);
            String context = "seed " + seed + " step " + step + " key " + key;
            if (op == 0) {
                state = rnd.nextBoolean() ? VersioningState.ENABLED : VersioningState.SUSPENDED;
                b.setVersioning("model", state);
            } else if (op < 10) {
                String content = "c" + step;
                String id = b.putObject("model", key, alice(), body(content)).versionId().orElse("");
                if (state != VersioningState.ENABLED) {
                    vs.removeIf(Ver::isNull);
                }
                vs.addFirst(new Ver(id, content));
            } else if (op < 14) {
                DeleteResult d = b.deleteObject("model", key, Optional.empty());
                if (state == VersioningState.UNVERSIONED) {
                    assertThat(d).as(context).isEqualTo(vs.isEmpty() ? new DeleteResult.Absent()
                            : new DeleteResult.Removed(Optional.empty(), false));
                    vs.clear();
                } else {
                    String id = ((DeleteResult.MarkerCreated) d).versionId();
                    if (state == VersioningState.SUSPENDED) {
                        assertThat(id).isEqualTo("null");
                        vs.removeIf(Ver::isNull);
                    }
                    vs.addFirst(new Ver(id, null));
                }
            } else if (!vs.isEmpty()) {
                Ver gone = vs.get(rnd.nextInt(vs.size()));
                String id = gone.isNull() ? "null" : gone.id();
                DeleteResult d = b.deleteObject("model", key, Optional.of(id));
                assertThat(d).as(context).isEqualTo(new DeleteResult.Removed(Optional.of(id), gone.content() == null));
                vs.remove(gone);
            }
            check(b, key, vs, context);
            if (step % 50 == 49) {
                IndexAudit.check(s, bucketId);
                IndexAudit.checkData(s);
            }
        }
        IndexAudit.check(s, bucketId);
        IndexAudit.checkData(s);
    }

    private static void check(KeelS3Backend b, String key, List<Ver> vs, String context) throws Exception {
        if (vs.isEmpty() || vs.getFirst().content() == null) {
            try {
                b.getObject("model", key, Optional.empty());
                throw new AssertionError(context + ": expected NoSuchKey");
            } catch (S3Exception e) {
                assertThat(e.code()).as(context).isEqualTo(S3ErrorCode.NO_SUCH_KEY);
            }
        } else {
            assertThat(Bodies.text(b.getObject("model", key, Optional.empty()))).as(context)
                    .isEqualTo(vs.getFirst().content());
        }
        List<String> listed = b.listVersions("model", new VersionQuery(key, Optional.empty(), Optional.empty(),
                Optional.empty(), 1000)).items().stream().filter(v -> v.key().equals(key))
                .map(v -> v.versionId() + (v instanceof ObjectVersion.DeleteMarker ? "m" : "")).toList();
        assertThat(listed).as(context).isEqualTo(vs.stream()
                .map(v -> (v.isNull() ? "null" : v.id()) + (v.content() == null ? "m" : "")).toList());
    }
}
