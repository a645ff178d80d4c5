package io.keel.meta.cluster;

import static io.keel.meta.cluster.S3Fixtures.AT;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.meta.cluster.S3Bucket.Versioning;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Random sequences of S3 commands against a small model that predicts, for each, whether it is
 * applied; after every step the invariants of the S3 state are checked and a second store must
 * answer and hold the same bytes. Each run draws fresh seeds; a failure names its seed and
 * {@code -Dkeel.s3.seed=<seed>} replays it.
 */
class S3RandomisedModelTest {
    private static final String SEED_PROPERTY = "keel.s3.seed";
    private static final int RUNS = 8;
    private static final int STEPS = 300;
    private static final List<String> EMAILS = List.of("alice@example.com", "ALICE@example.com", "bob@example.com",
            "carol@example.org", "Dave@Example.org", "dave@example.org", "not-an-address", "eve@bad_domain");
    private static final List<String> BUCKETS = List.of("photos", "logs", "backup.2026", "a-b", "Bad_Name", "xy",
            "data", "media");
    private static final List<String> SECRETS = List.of(S3Fixtures.SECRET_A, S3Fixtures.SECRET_B,
            "AAAAbbbbCCCCddddEEEEffffGGGGhhhhIIII/+00");

    /** What the model expects: users, keys and buckets as the logic should hold them. */
    private record User(String email, Instant at, boolean suspended) {}

    private record Key(String userId, Instant at, String secret, Instant revokedAt) {}

    private record Bucket(String id, String ownerId, Instant at, String shard) {}

    private static final class Model {
        boolean cluster = true;
        List<String> shards = List.of("idx-0");
        final Map<String, User> users = new HashMap<>();
        final Map<String, Key> keys = new HashMap<>();
        final Map<String, Bucket> buckets = new HashMap<>();
        final Map<String, Map<S3BucketSetting.Kind, String>> settings = new HashMap<>();
        int nextBucketId;
    }

    @Test
    void theModelPredictsEveryAnswerAndTheInvariantsHold() {
        String fixed = System.getProperty(SEED_PROPERTY);
        List<Long> seeds = new ArrayList<>();
        if (fixed != null) {
            seeds.add(Long.parseLong(fixed.trim()));
        } else {
            SplittableRandom seeder = new SplittableRandom();
            for (int i = 0; i < RUNS; i++) {
                seeds.add(seeder.nextLong());
            }
        }
        Map<String, int[]> outcomes = new TreeMap<>();
        for (long seed : seeds) {
            run(seed, outcomes);
        }
        // The generator is useful only if every command type reaches both sides of its rules.
        for (String type : List.of("CreateUser", "DeleteUser", "CreateAccessKey", "CreateBucket", "DeleteBucket",
                "DeleteCluster")) {
            assertThat(outcomes.get(type)).as("applied/rejected %s over seeds %s", type, seeds)
                    .satisfies(o -> assertThat(o[0]).isPositive(), o -> assertThat(o[1]).isPositive());
        }
    }

    private static void run(long seed, Map<String, int[]> outcomes) {
        Random rnd = new Random(seed);
        Harness h = S3Fixtures.withS3();
        Harness replica = S3Fixtures.withS3();
        Model m = new Model();
        for (int step = 0; step < STEPS; step++) {
            ClusterCommand command = next(rnd, m, h);
            boolean expected = predict(m, command);
            String context = "seed " + seed + " (replay with -D" + SEED_PROPERTY + "=" + seed + "), step " + step
                    + ", " + command;
            var before = h.kv.snapshot();
            byte[] bytes = h.codec.encode(command);
            byte[] answer = h.logic.apply(step, bytes, h.kv);
            assertThat(replica.logic.apply(step, bytes, replica.kv)).as("replica answer, %s", context)
                    .isEqualTo(answer);
            CommandResult result = h.codec.decodeResult(answer);
            int[] counts = outcomes.computeIfAbsent(command.getClass().getSimpleName(), t -> new int[2]);
            counts[result instanceof CommandResult.Applied ? 0 : 1]++;
            assertThat(result instanceof CommandResult.Applied).as("applied? %s -> %s", context, result)
                    .isEqualTo(expected);
            if (result instanceof CommandResult.Rejected) {
                assertThat(h.kv.snapshot()).as("state after rejection, %s", context).isEqualTo(before);
            }
            checkInvariants(h.state(), m, context);
        }
        assertThat(replica.kv.snapshot()).as("replica state, seed %s", seed).isEqualTo(h.kv.snapshot());
    }

    private static <T> T pick(Random rnd, List<T> list) {
        return list.get(rnd.nextInt(list.size()));
    }

    private static ClusterCommand next(Random rnd, Model m, Harness h) {
        String user = "u" + rnd.nextInt(6);
        String key = rnd.nextInt(30) == 0 ? "AKIAIOSFODNN7EXAMPLE" : S3Fixtures.keyId(rnd.nextInt(14));
        String bucket = pick(rnd, BUCKETS);
        Instant at = AT.plusSeconds(rnd.nextInt(3));
        return switch (rnd.nextInt(20)) {
            case 0, 1, 2 -> new S3Command.CreateUser(user, pick(rnd, EMAILS), null, at);
            case 3 -> new S3Command.DeleteUser(user);
            case 4 -> rnd.nextBoolean() ? new S3Command.SuspendUser(user) : new S3Command.ResumeUser(user);
            case 5, 6, 7 -> new S3Command.CreateAccessKey(key, user, pick(rnd, SECRETS), at);
            case 8 -> new S3Command.RevokeAccessKey(key, at);
            case 9, 10, 11 -> {
                // Mostly fresh ids; sometimes the id of an existing bucket, to exercise replays.
                String id = rnd.nextInt(4) == 0 && m.buckets.containsKey(bucket) ? m.buckets.get(bucket).id()
                        : "b" + m.nextBucketId++;
                yield new S3Command.CreateBucket(id, bucket, user, rnd.nextInt(6) == 0 ? "idx-1" : "idx-0", at);
            }
            case 12, 13 -> {
                var b = h.state().s3().bucket(bucket);
                String id = b.map(S3Bucket::id).orElse("b0");
                long layout = rnd.nextInt(8) == 0 ? 2 : 1;
                String sealed = rnd.nextInt(8) == 0 ? "stale" : id;
                Instant until = rnd.nextInt(8) == 0 ? AT : AT.plusSeconds(30);
                yield new S3Command.DeleteBucket(bucket, new S3Command.EmptySeal(sealed, layout, until), at);
            }
            case 14 -> new S3Command.SetBucketVersioning(bucket, pick(rnd, List.of(Versioning.values())));
            case 15 -> new S3Command.DeleteCluster();
            case 16 -> new S3Command.CreateCluster(List.of("n1"), "single", List.of("s3.example.com"),
                    S3Cluster.Protocol.HTTPS, 0, 443, S3Fixtures.TLS, true, List.of("idx-0"), at);
            case 17 -> new S3Command.UpdateCluster(null, null, null, null, null, null, null,
                    rnd.nextBoolean() ? List.of("idx-0") : List.of("idx-0", "idx-1"));
            case 18 -> new S3Command.SetBucketSetting(bucket, pick(rnd, List.of(S3BucketSetting.Kind.values())),
                    pick(rnd, Arrays.asList(null, "<CORSConfiguration/>", "{\"Statement\":[]}", " ",
                            "x".repeat(20 * 1024 + 1))));
            default -> new S3Command.CreateUser("u" + rnd.nextInt(6), pick(rnd, EMAILS), "Name", at);
        };
    }

    /** Whether {@code command} should be applied, updating the model when it is. */
    private static boolean predict(Model m, ClusterCommand command) {
        return switch ((ClusterCommand.S3) command) {
            case S3Command.CreateUser c -> {
                if (!m.cluster || S3Names.validateEmail(c.email()).isPresent()) {
                    yield false;
                }
                User u = m.users.get(c.id());
                if (u != null) {
                    yield u.email().equals(c.email()) && u.at().equals(c.at());
                }
                String lower = c.email().toLowerCase(Locale.ROOT);
                if (m.users.values().stream().anyMatch(x -> x.email().toLowerCase(Locale.ROOT).equals(lower))) {
                    yield false;
                }
                m.users.put(c.id(), new User(c.email(), c.at(), false));
                yield true;
            }
            case S3Command.DeleteUser c -> {
                if (!m.users.containsKey(c.userId())
                        || m.buckets.values().stream().anyMatch(b -> b.ownerId().equals(c.userId()))) {
                    yield false;
                }
                m.users.remove(c.userId());
                m.keys.values().removeIf(k -> k.userId().equals(c.userId()));
                yield true;
            }
            case S3Command.SuspendUser c -> suspend(m, c.userId(), true);
            case S3Command.ResumeUser c -> suspend(m, c.userId(), false);
            case S3Command.CreateAccessKey c -> createKey(m, c);
            case S3Command.RevokeAccessKey c -> {
                Key k = m.keys.get(c.accessKeyId());
                if (k == null) {
                    yield false;
                }
                if (k.revokedAt() == null) {
                    m.keys.put(c.accessKeyId(), new Key(k.userId(), k.at(), null, c.at()));
                }
                yield true;
            }
            case S3Command.CreateBucket c -> {
                if (!m.cluster || S3Names.validateBucketName(c.name()).isPresent() || !m.users.containsKey(c.ownerId())
                        || !m.shards.contains(c.indexShard())) {
                    yield false;
                }
                Bucket b = m.buckets.get(c.name());
                if (b != null) {
                    yield b.id().equals(c.id()) && b.ownerId().equals(c.ownerId()) && b.at().equals(c.at());
                }
                if (m.users.get(c.ownerId()).suspended()
                        || m.buckets.values().stream().anyMatch(x -> x.id().equals(c.id()))) {
                    yield false;
                }
                m.buckets.put(c.name(), new Bucket(c.id(), c.ownerId(), c.at(), c.indexShard()));
                yield true;
            }
            case S3Command.DeleteBucket c -> {
                Bucket b = m.buckets.get(c.name());
                if (!m.cluster || b == null || !b.id().equals(c.seal().bucketId()) || c.seal().indexLayout() != 1
                        || !c.at().isBefore(c.seal().sealedUntil())) {
                    yield false;
                }
                m.buckets.remove(c.name());
                m.settings.remove(c.name());
                yield true;
            }
            case S3Command.SetBucketVersioning c ->
                    m.cluster && m.buckets.containsKey(c.name()) && c.versioning() != Versioning.UNVERSIONED;
            case S3Command.SetBucketSetting c -> {
                String d = c.document();
                if (!m.cluster || !m.buckets.containsKey(c.name())
                        || d != null && (d.isBlank() || d.length() > c.kind().maxBytes())) {
                    yield false;
                }
                Map<S3BucketSetting.Kind, String> docs = m.settings.computeIfAbsent(c.name(), n -> new HashMap<>());
                if (d == null) {
                    docs.remove(c.kind());
                } else {
                    docs.put(c.kind(), d);
                }
                yield true;
            }
            case S3Command.DeleteCluster c -> {
                if (!m.cluster || !m.buckets.isEmpty()) {
                    yield false;
                }
                m.cluster = false;
                yield true;
            }
            case S3Command.CreateCluster c -> {
                if (m.cluster) {
                    yield false;
                }
                m.cluster = true;
                m.shards = c.indexShards();
                yield true;
            }
            case S3Command.UpdateCluster c -> {
                if (!m.cluster || m.buckets.values().stream().anyMatch(b -> !c.indexShards().contains(b.shard()))) {
                    yield false;
                }
                m.shards = c.indexShards();
                yield true;
            }
        };
    }

    private static boolean suspend(Model m, String userId, boolean suspended) {
        User u = m.users.get(userId);
        if (u == null) {
            return false;
        }
        m.users.put(userId, new User(u.email(), u.at(), suspended));
        return true;
    }

    private static boolean createKey(Model m, S3Command.CreateAccessKey c) {
        if (S3Names.validateAccessKeyId(c.accessKeyId()).isPresent() || !m.users.containsKey(c.userId())) {
            return false;
        }
        Key k = m.keys.get(c.accessKeyId());
        if (k != null) {
            return k.revokedAt() == null && k.userId().equals(c.userId()) && k.at().equals(c.at())
                    && k.secret().equals(c.secret());
        }
        List<Map.Entry<String, Key>> own = m.keys.entrySet().stream().filter(e -> e.getValue().userId()
                .equals(c.userId())).toList();
        if (own.stream().filter(e -> e.getValue().revokedAt() == null).count() >= S3Commands.MAX_ACTIVE_KEYS) {
            return false;
        }
        List<Map.Entry<String, Key>> revoked = new ArrayList<>(own.stream()
                .filter(e -> e.getValue().revokedAt() != null).toList());
        revoked.sort(Comparator.comparing((Map.Entry<String, Key> e) -> e.getValue().revokedAt())
                .thenComparing(Map.Entry::getKey));
        for (int i = 0; i < revoked.size() - S3Commands.KEPT_REVOKED_KEYS; i++) {
            m.keys.remove(revoked.get(i).getKey());
        }
        m.keys.put(c.accessKeyId(), new Key(c.userId(), c.at(), c.secret(), null));
        return true;
    }

    private static void checkInvariants(ClusterState state, Model m, String context) {
        S3State s3 = state.s3();
        List<S3User> users = s3.users();
        Set<String> emails = new HashSet<>();
        for (S3User u : users) {
            assertThat(emails.add(u.email().toLowerCase(Locale.ROOT))).as("unique e-mail %s, %s", u, context).isTrue();
        }
        assertThat(users).extracting(S3User::id).as("users, %s", context)
                .containsExactlyInAnyOrderElementsOf(m.users.keySet());
        Set<String> bucketIds = new HashSet<>();
        for (S3Bucket b : s3.buckets()) {
            assertThat(bucketIds.add(b.id())).as("unique bucket id %s, %s", b, context).isTrue();
            assertThat(s3.user(b.ownerId())).as("owner of %s, %s", b, context).isPresent();
            assertThat(s3.cluster()).as("cluster of %s, %s", b, context).isPresent();
            assertThat(s3.cluster().orElseThrow().indexShards()).as(context).contains(b.indexShard());
        }
        assertThat(s3.buckets()).extracting(S3Bucket::name).as("buckets, %s", context)
                .containsExactlyInAnyOrderElementsOf(m.buckets.keySet());
        for (String name : m.buckets.keySet()) {
            assertThat(s3.bucketSettings(name)).as("settings of %s, %s", name, context)
                    .isEqualTo(m.settings.getOrDefault(name, Map.of()));
        }
        // Documents go with their bucket: none is left for a bucket that is gone.
        assertThat(state.scan(S3State.BUCKET_SETTING_PREFIX, S3BucketSetting.class)).as(context)
                .allMatch(d -> s3.buckets().stream().anyMatch(b -> b.id().equals(d.bucketId())));
        Map<String, Long> active = new HashMap<>();
        for (S3AccessKey k : s3.accessKeys()) {
            assertThat(s3.user(k.userId())).as("user of key %s, %s", k, context).isPresent();
            boolean hasSecret = state.load(S3State.secretKey(k.id()), S3KeySecret.class).isPresent();
            assertThat(hasSecret).as("secret stored exactly for active key %s, %s", k, context).isEqualTo(k.active());
            if (k.active()) {
                active.merge(k.userId(), 1L, Long::sum);
            }
            boolean authenticates = k.active() && !s3.user(k.userId()).orElseThrow().suspended();
            assertThat(s3.secretFor(k.id()).isPresent()).as("lookup of %s, %s", k, context).isEqualTo(authenticates);
        }
        assertThat(active.values()).as(context).allMatch(n -> n <= S3Commands.MAX_ACTIVE_KEYS);
        assertThat(s3.accessKeys()).extracting(S3AccessKey::id).as("keys, %s", context)
                .containsExactlyInAnyOrderElementsOf(m.keys.keySet());
        assertThat(state.scan(S3State.SECRET_PREFIX, S3KeySecret.class)).as(context).hasSize(
                (int) s3.accessKeys().stream().filter(S3AccessKey::active).count());
        // No view prints or encodes a secret, nor the TLS key.
        String views = users + " " + s3.accessKeys() + " " + s3.buckets() + " " + s3.cluster() + " "
                + new String(new ClusterCodec().write(List.of(users, s3.accessKeys(), s3.buckets())),
                        StandardCharsets.UTF_8)
                + s3.cluster().map(c -> new String(new ClusterCodec().write(c), StandardCharsets.UTF_8)).orElse("")
                + s3.tls();
        for (String secret : SECRETS) {
            assertThat(views).as("secret in a view, %s", context).doesNotContain(secret);
        }
        assertThat(views).as(context).doesNotContain(S3Fixtures.KEY_MARKER);
        assertThat(s3.tls().isPresent()).as("TLS exactly with an HTTPS cluster, %s", context)
                .isEqualTo(s3.cluster().filter(c -> c.protocol().https()).isPresent());
    }
}
