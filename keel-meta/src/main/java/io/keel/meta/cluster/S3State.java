package io.keel.meta.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Typed, read-only view of the S3 control plane (ADR 0039), decoding on every call like
 * {@link ClusterState}. Keys:
 * <pre>
 *   s3/cluster             {@link S3Cluster}, present once the S3 cluster is created
 *   s3/tls                 {@link S3Tls}, the endpoint's certificate and private key
 *   s3/user/&lt;id&gt;          {@link S3User}
 *   s3/key/&lt;access key&gt;   {@link S3AccessKey}
 *   s3/secret/&lt;access key&gt; {@link S3KeySecret} of an active key
 *   s3/bucket/&lt;name&gt;      {@link S3Bucket}; keyed by name, the gateway's lookup on every request
 *   s3/bucket-setting/&lt;name&gt;/&lt;kind&gt; {@link S3BucketSetting}: CORS, tagging, policy, lifecycle
 * </pre>
 * The secret-bearing keys are read only by {@link #tls()} and {@link #secretFor}; every listing
 * reads the other prefixes, so no list or view can carry a secret.
 */
public final class S3State {
    public static final String CLUSTER_KEY = "s3/cluster";
    public static final String TLS_KEY = "s3/tls";
    public static final String USER_PREFIX = "s3/user/";
    public static final String KEY_PREFIX = "s3/key/";
    public static final String SECRET_PREFIX = "s3/secret/";
    public static final String BUCKET_PREFIX = "s3/bucket/";
    /** Not under {@link #BUCKET_PREFIX}, whose scan must find only bucket records. */
    public static final String BUCKET_SETTING_PREFIX = "s3/bucket-setting/";

    private final ClusterState state;

    S3State(ClusterState state) {
        this.state = Objects.requireNonNull(state, "state");
    }

    static String userKey(String id) {
        return USER_PREFIX + id;
    }

    static String accessKeyKey(String id) {
        return KEY_PREFIX + id;
    }

    static String secretKey(String accessKeyId) {
        return SECRET_PREFIX + accessKeyId;
    }

    static String bucketKey(String name) {
        return BUCKET_PREFIX + name;
    }

    static String bucketSettingKey(String name, S3BucketSetting.Kind kind) {
        return BUCKET_SETTING_PREFIX + name + "/" + kind.keySegment();
    }

    public Optional<S3Cluster> cluster() {
        return state.load(CLUSTER_KEY, S3Cluster.class);
    }

    /** For the gateways only: the certificate chain and private key they serve HTTPS with. */
    public Optional<S3Tls> tls() {
        return state.load(TLS_KEY, S3Tls.class);
    }

    /** Every user, in e-mail order. */
    public List<S3User> users() {
        List<S3User> all = new ArrayList<>(state.scan(USER_PREFIX, S3User.class));
        all.sort(Comparator.comparing((S3User u) -> S3User.emailKey(u.email())).thenComparing(S3User::id));
        return List.copyOf(all);
    }

    public Optional<S3User> user(String id) {
        return state.load(userKey(Objects.requireNonNull(id, "id")), S3User.class);
    }

    /** The user with this e-mail address, compared without regard to case. */
    public Optional<S3User> userByEmail(String email) {
        String key = S3User.emailKey(Objects.requireNonNull(email, "email"));
        return users().stream().filter(u -> S3User.emailKey(u.email()).equals(key)).findFirst();
    }

    /** The user with id {@code s}, else the one with e-mail address {@code s}. */
    public Optional<S3User> userByIdOrEmail(String s) {
        Objects.requireNonNull(s, "s");
        Optional<S3User> byId = Names.validateId("user id", s).isEmpty() ? user(s) : Optional.empty();
        return byId.isPresent() ? byId : userByEmail(s);
    }

    /** Every access key, active and revoked, in id order; never their secrets. */
    public List<S3AccessKey> accessKeys() {
        return List.copyOf(state.scan(KEY_PREFIX, S3AccessKey.class));
    }

    /** The user's keys, oldest first (then by id, so the order is total). */
    public List<S3AccessKey> accessKeysOf(String userId) {
        Objects.requireNonNull(userId, "userId");
        return accessKeys().stream().filter(k -> k.userId().equals(userId))
                .sorted(Comparator.comparing(S3AccessKey::createdAt).thenComparing(S3AccessKey::id)).toList();
    }

    public Optional<S3AccessKey> accessKey(String accessKeyId) {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        return Names.validateId("access key id", accessKeyId).isEmpty()
                ? state.load(accessKeyKey(accessKeyId), S3AccessKey.class) : Optional.empty();
    }

    /**
     * The user a request signed with {@code accessKeyId} acts as: empty unless the key is active and
     * its user exists and is not suspended. The gateway's {@code PrincipalLookup}.
     */
    public Optional<S3User> principal(String accessKeyId) {
        return accessKey(accessKeyId).filter(S3AccessKey::active).flatMap(k -> user(k.userId()))
                .filter(u -> !u.suspended());
    }

    /**
     * The secret to verify a SigV4 signature made with {@code accessKeyId}, under the same conditions
     * as {@link #principal}: the gateway's {@code SecretLookup}. The only reader of secrets.
     */
    public Optional<String> secretFor(String accessKeyId) {
        if (principal(accessKeyId).isEmpty()) {
            return Optional.empty();
        }
        return state.load(secretKey(accessKeyId), S3KeySecret.class).map(S3KeySecret::secret);
    }

    /** Every bucket, in name order. */
    public List<S3Bucket> buckets() {
        return List.copyOf(state.scan(BUCKET_PREFIX, S3Bucket.class));
    }

    public Optional<S3Bucket> bucket(String name) {
        Objects.requireNonNull(name, "name");
        return S3Names.validateBucketName(name).isEmpty() ? state.load(bucketKey(name), S3Bucket.class)
                : Optional.empty();
    }

    /** The user's buckets, in name order. */
    public List<S3Bucket> bucketsOf(String userId) {
        Objects.requireNonNull(userId, "userId");
        return buckets().stream().filter(b -> b.ownerId().equals(userId)).toList();
    }

    /** The buckets whose index starts on shard {@code shardId}, in name order. */
    public List<S3Bucket> bucketsOnShard(String shardId) {
        Objects.requireNonNull(shardId, "shardId");
        return buckets().stream().filter(b -> b.indexShard().equals(shardId)).toList();
    }

    /**
     * The bucket's document of this kind (canonical form, as the gateway stored it); empty when the
     * bucket has none or does not exist. The gateway's {@code BucketSettings.get}.
     */
    public Optional<String> bucketSetting(String name, S3BucketSetting.Kind kind) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Optional<S3Bucket> bucket = bucket(name);
        if (bucket.isEmpty()) {
            return Optional.empty();
        }
        return state.load(bucketSettingKey(name, kind), S3BucketSetting.class)
                .filter(s -> s.bucketId().equals(bucket.get().id())).map(S3BucketSetting::document);
    }

    /** Every document the bucket has, by kind. */
    public Map<S3BucketSetting.Kind, String> bucketSettings(String name) {
        Map<S3BucketSetting.Kind, String> out = new EnumMap<>(S3BucketSetting.Kind.class);
        for (S3BucketSetting.Kind kind : S3BucketSetting.Kind.values()) {
            bucketSetting(name, kind).ifPresent(d -> out.put(kind, d));
        }
        return out;
    }

    boolean hasBucketSettingRecord(String name, S3BucketSetting.Kind kind) {
        return state.load(bucketSettingKey(name, kind), S3BucketSetting.class).isPresent();
    }
}
