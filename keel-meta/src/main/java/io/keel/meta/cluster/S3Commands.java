package io.keel.meta.cluster;

import io.keel.meta.cluster.S3Command.CreateAccessKey;
import io.keel.meta.cluster.S3Command.CreateCluster;
import io.keel.meta.cluster.S3Command.CreateUser;
import io.keel.meta.cluster.S3Command.DeleteCluster;
import io.keel.meta.cluster.S3Command.DeleteUser;
import io.keel.meta.cluster.S3Command.ResumeUser;
import io.keel.meta.cluster.S3Command.RevokeAccessKey;
import io.keel.meta.cluster.S3Command.SuspendUser;
import io.keel.meta.cluster.S3Command.UpdateCluster;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The S3 cluster, its users and their access keys (ADR 0039); buckets are in {@link S3BucketCommands}. */
final class S3Commands {
    static final String ENTITY = "s3";
    /** Gateways per S3 cluster: any one serves any request, so more add throughput, not availability. */
    static final int MAX_NODES = 64;
    static final int MAX_ENDPOINTS = 16;
    static final int MAX_SHARDS = 256;
    /** AWS IAM's limit: enough to rotate a key without downtime, few enough to keep track of. */
    static final int MAX_ACTIVE_KEYS = 2;
    /** Revoked key records kept per user for audit; older ones go when a key is created. */
    static final int KEPT_REVOKED_KEYS = 10;
    /** A certificate chain or key larger than this is a mistake (a whole CA bundle), not a certificate. */
    static final int MAX_PEM_CHARS = 64 * 1024;

    private final ClusterCodec codec;
    private final S3BucketCommands buckets;

    S3Commands(ClusterCodec codec) {
        this.codec = codec;
        this.buckets = new S3BucketCommands(codec);
    }

    Plan plan(ClusterState state, ClusterCommand.S3 command) {
        Checks.initialised(state);
        return switch (command) {
            case CreateCluster c -> create(state, c);
            case UpdateCluster c -> update(state, c);
            case DeleteCluster c -> delete(state);
            case CreateUser c -> createUser(state, c);
            case DeleteUser c -> deleteUser(state, c);
            case SuspendUser c -> suspended(state, c.userId(), true);
            case ResumeUser c -> suspended(state, c.userId(), false);
            case CreateAccessKey c -> createKey(state, c);
            case RevokeAccessKey c -> revokeKey(state, c);
            case S3Command.CreateBucket c -> buckets.create(state, c);
            case S3Command.DeleteBucket c -> buckets.delete(state, c);
            case S3Command.SetBucketVersioning c -> buckets.versioning(state, c);
            case S3Command.SetBucketSetting c -> buckets.setting(state, c);
        };
    }

    static S3Cluster cluster(ClusterState state) {
        return state.s3().cluster().orElseThrow(() -> Rejection.notFound(
                "there is no S3 cluster: create it first ('keel s3 cluster create')"));
    }

    private Plan create(ClusterState state, CreateCluster c) {
        if (!Checks.initialised(state).hasStorageCluster()) {
            throw Rejection.invalid("there is no storage cluster yet: create the storage cluster first");
        }
        Checks.required(c.at(), "time");
        if (state.s3().cluster().isPresent()) {
            throw Rejection.conflict("the S3 cluster already exists: change it with 'keel s3 cluster update'");
        }
        List<String> nodes = nodes(state, c.nodeIds());
        String policy = Checks.required(c.policy(), "storage policy");
        Checks.found(state.policy(policy), "no storage policy " + Names.quote(policy));
        // The S3 store keeps its objects in volumes of this policy.
        VolumeCommands.dataPolicy(state, policy);
        List<String> endpoints = endpoints(c.endpoints());
        S3Cluster.Protocol protocol = Checks.required(c.protocol(), "protocol");
        checkPorts(protocol, c.httpPort(), c.httpsPort());
        checkTls(protocol, c.tls(), c.tls() != null);
        List<String> shards = shards(c.indexShards());
        S3Cluster s3 = new S3Cluster(nodes, policy, endpoints, protocol, c.httpPort(), c.httpsPort(),
                c.tls() != null && c.selfSignedCertificate(), shards, c.at());
        Plan plan = new Plan(codec, ENTITY).put(S3State.CLUSTER_KEY, s3);
        return c.tls() == null ? plan : plan.put(S3State.TLS_KEY, c.tls());
    }

    private Plan update(ClusterState state, UpdateCluster c) {
        S3Cluster old = cluster(state);
        List<String> nodes = c.nodeIds() == null ? old.nodeIds() : nodes(state, c.nodeIds());
        List<String> endpoints = c.endpoints() == null ? old.endpoints() : endpoints(c.endpoints());
        S3Cluster.Protocol protocol = c.protocol() == null ? old.protocol() : c.protocol();
        int http = c.httpPort() != null ? c.httpPort() : protocol.http() ? old.httpPort() : 0;
        int https = c.httpsPort() != null ? c.httpsPort() : protocol.https() ? old.httpsPort() : 0;
        checkPorts(protocol, http, https);
        boolean stored = state.s3().tls().isPresent();
        checkTls(protocol, c.tls(), c.tls() != null || stored);
        List<String> shards = c.indexShards() == null ? old.indexShards() : shards(c.indexShards());
        for (String dropped : old.indexShards()) {
            if (!shards.contains(dropped) && !state.s3().bucketsOnShard(dropped).isEmpty()) {
                throw Rejection.conflict("index shard " + Names.quote(dropped) + " holds the index of "
                        + state.s3().bucketsOnShard(dropped).size() + " bucket(s) and cannot be dropped");
            }
        }
        boolean selfSigned = !protocol.https() ? false
                : c.tls() != null ? Boolean.TRUE.equals(c.selfSignedCertificate()) : old.selfSignedCertificate();
        S3Cluster next = new S3Cluster(nodes, old.policy(), endpoints, protocol, http, https, selfSigned, shards,
                old.createdAt());
        Plan plan = new Plan(codec, ENTITY).put(S3State.CLUSTER_KEY, next);
        if (!protocol.https()) {
            // A key nobody serves with is only something to leak.
            return plan.delete(S3State.TLS_KEY);
        }
        return c.tls() == null ? plan : plan.put(S3State.TLS_KEY, c.tls());
    }

    private Plan delete(ClusterState state) {
        cluster(state);
        List<S3Bucket> all = state.s3().buckets();
        if (!all.isEmpty()) {
            throw Rejection.conflict("the S3 cluster still has " + all.size() + " bucket(s) ("
                    + Checks.list(all.stream().map(b -> Names.quote(b.name())).toList())
                    + "): their objects would be unreachable; delete the buckets first");
        }
        return new Plan(codec, ENTITY).delete(S3State.CLUSTER_KEY).delete(S3State.TLS_KEY);
    }

    private static List<String> nodes(ClusterState state, List<String> nodeIds) {
        if (nodeIds != null && nodeIds.size() > MAX_NODES) {
            throw Rejection.invalid("an S3 cluster has at most " + MAX_NODES + " nodes, not " + nodeIds.size());
        }
        Map<String, NodeRecord> found = Checks.distinctNodes(state, nodeIds,
                "the S3 cluster needs at least one node (two or more so that losing one leaves a gateway)");
        for (NodeRecord n : found.values()) {
            if (!n.inCluster()) {
                throw Rejection.invalid("node " + Checks.describe(n) + " is not in the storage cluster: its gateway"
                        + " could not reach object data");
            }
        }
        return List.copyOf(nodeIds);
    }

    private static List<String> endpoints(List<String> given) {
        if (given == null || given.isEmpty()) {
            throw Rejection.invalid("the S3 cluster needs at least one endpoint DNS name (such as s3.example.com)");
        }
        if (given.size() > MAX_ENDPOINTS) {
            throw Rejection.invalid("at most " + MAX_ENDPOINTS + " endpoint names, not " + given.size());
        }
        Set<String> out = new LinkedHashSet<>();
        for (String e : given) {
            String name = Checks.required(e, "endpoint name").strip().toLowerCase(Locale.ROOT);
            Checks.valid(S3Names.validateHostname(name));
            if (!out.add(name)) {
                throw Rejection.invalid("endpoint name " + Names.quote(name) + " is listed more than once");
            }
        }
        return List.copyOf(out);
    }

    private static void checkPorts(S3Cluster.Protocol protocol, int http, int https) {
        port("HTTP", protocol.http(), http);
        port("HTTPS", protocol.https(), https);
        if (protocol == S3Cluster.Protocol.BOTH && http == https) {
            throw Rejection.invalid("HTTP and HTTPS cannot share port " + http);
        }
    }

    private static void port(String what, boolean used, int port) {
        if (used && (port < 1 || port > 65535)) {
            throw Rejection.invalid("the " + what + " port must be 1-65535, not " + port);
        }
        if (!used && port != 0) {
            throw Rejection.invalid("the protocol does not include " + what + ", so it takes no " + what
                    + " port (got " + port + ")");
        }
    }

    /** {@code available}: a certificate is given or already stored. */
    private static void checkTls(S3Cluster.Protocol protocol, S3Tls tls, boolean available) {
        if (!protocol.https()) {
            if (tls != null) {
                throw Rejection.invalid("a certificate was given but the protocol is HTTP only");
            }
            return;
        }
        if (!available) {
            throw Rejection.invalid("HTTPS needs a certificate: give one, or ask for a self-signed one");
        }
        if (tls == null) {
            return;
        }
        if (tls.certificatePem().length() > MAX_PEM_CHARS || tls.privateKeyPem().length() > MAX_PEM_CHARS) {
            throw Rejection.invalid("the certificate chain and the key are each at most " + MAX_PEM_CHARS
                    + " characters of PEM");
        }
        try {
            // The JDK's parser is deterministic, so every replica reaches the same verdict.
            var certs = CertificateFactory.getInstance("X.509").generateCertificates(
                    new ByteArrayInputStream(tls.certificatePem().getBytes(StandardCharsets.US_ASCII)));
            if (certs.isEmpty()) {
                throw new CertificateException("no certificate in the PEM text");
            }
        } catch (CertificateException | RuntimeException e) {
            throw Rejection.invalid("the certificate is not a PEM X.509 certificate chain");
        }
        String key = tls.privateKeyPem().strip();
        // Never quote the key: a malformed key is still a key.
        if (!key.startsWith("-----BEGIN ") || !key.contains("PRIVATE KEY-----") || !key.endsWith("-----")) {
            throw Rejection.invalid("the private key is not a PEM private key (-----BEGIN ... PRIVATE KEY-----)");
        }
    }

    private static List<String> shards(List<String> given) {
        if (given == null || given.isEmpty()) {
            throw Rejection.invalid("the S3 cluster needs at least one object index shard (ADR 0040)");
        }
        if (given.size() > MAX_SHARDS) {
            throw Rejection.invalid("at most " + MAX_SHARDS + " index shards, not " + given.size());
        }
        Set<String> out = new LinkedHashSet<>();
        for (String s : given) {
            Checks.valid(S3Names.validateShardId(s));
            if (!out.add(s)) {
                throw Rejection.invalid("index shard " + Names.quote(s) + " is listed more than once");
            }
        }
        return List.copyOf(out);
    }

    private Plan createUser(ClusterState state, CreateUser c) {
        cluster(state);
        Checks.valid(Names.validateId("user id", c.id()));
        Checks.required(c.at(), "time");
        String email = Checks.required(c.email(), "e-mail address").strip();
        Checks.valid(S3Names.validateEmail(email));
        String display = c.displayName() == null ? email.substring(0, email.indexOf('@')) : c.displayName().strip();
        Checks.valid(S3Names.validateDisplayName(display));
        S3User user = new S3User(c.id(), email, display, c.at(), false);
        var existing = state.s3().user(c.id());
        if (existing.filter(u -> u.email().equals(email) && u.createdAt().equals(c.at())).isPresent()) {
            return new Plan(codec, c.id()); // the same request delivered twice (see VolumeCommands.isReplay)
        }
        if (existing.isPresent()) {
            throw Rejection.conflict("user id " + Names.quote(c.id()) + " is taken");
        }
        state.s3().userByEmail(email).ifPresent(u -> {
            throw Rejection.conflict("an S3 user with e-mail address " + Names.quote(u.email()) + " already exists"
                    + (u.email().equals(email) ? "" : " (addresses are compared without regard to case)"));
        });
        return new Plan(codec, user.id()).put(S3State.userKey(user.id()), user);
    }

    static S3User user(ClusterState state, String userId) {
        Checks.required(userId, "user id");
        return state.s3().user(userId).orElseThrow(() -> Rejection.notFound("no S3 user " + Names.quote(userId)));
    }

    private Plan deleteUser(ClusterState state, DeleteUser c) {
        S3User u = user(state, c.userId());
        List<S3Bucket> owned = state.s3().bucketsOf(u.id());
        if (!owned.isEmpty()) {
            throw Rejection.conflict("S3 user " + Names.quote(u.email()) + " owns " + owned.size() + " bucket(s) ("
                    + Checks.list(owned.stream().map(b -> Names.quote(b.name())).toList())
                    + "): delete them first, or their objects would belong to nobody");
        }
        Plan plan = new Plan(codec, u.id()).delete(S3State.userKey(u.id()));
        for (S3AccessKey k : state.s3().accessKeysOf(u.id())) {
            plan.delete(S3State.accessKeyKey(k.id())).delete(S3State.secretKey(k.id()));
        }
        return plan;
    }

    private Plan suspended(ClusterState state, String userId, boolean suspend) {
        S3User u = user(state, userId);
        // Declarative: suspending a suspended user is what was asked, already done.
        return new Plan(codec, u.id()).put(S3State.userKey(u.id()), u.withSuspended(suspend));
    }

    private Plan createKey(ClusterState state, CreateAccessKey c) {
        Checks.valid(S3Names.validateAccessKeyId(c.accessKeyId()));
        Checks.valid(S3Names.validateSecret(c.secret()));
        Checks.required(c.at(), "time");
        S3User u = user(state, c.userId());
        var existing = state.s3().accessKey(c.accessKeyId());
        if (existing.isPresent()) {
            S3AccessKey k = existing.get();
            boolean replay = k.active() && k.userId().equals(u.id()) && k.createdAt().equals(c.at())
                    && state.load(S3State.secretKey(k.id()), S3KeySecret.class)
                            .filter(s -> Secrets.constantTimeEquals(s.secret(), c.secret())).isPresent();
            if (replay) {
                return new Plan(codec, k.id());
            }
            throw Rejection.conflict("access key id " + Names.quote(c.accessKeyId()) + " is taken");
        }
        List<S3AccessKey> keys = state.s3().accessKeysOf(u.id());
        long active = keys.stream().filter(S3AccessKey::active).count();
        if (active >= MAX_ACTIVE_KEYS) {
            throw Rejection.conflict("S3 user " + Names.quote(u.email()) + " has " + active + " active access keys,"
                    + " the most a user can have: revoke one first");
        }
        S3AccessKey key = new S3AccessKey(c.accessKeyId(), u.id(), c.at(), S3AccessKey.State.ACTIVE, null);
        Plan plan = new Plan(codec, key.id()).put(S3State.accessKeyKey(key.id()), key)
                .put(S3State.secretKey(key.id()), new S3KeySecret(c.secret()));
        List<S3AccessKey> revoked = new ArrayList<>(keys.stream().filter(k -> !k.active()).toList());
        revoked.sort(Comparator.comparing(S3AccessKey::revokedAt).thenComparing(S3AccessKey::id));
        for (int i = 0; i < revoked.size() - KEPT_REVOKED_KEYS; i++) {
            plan.delete(S3State.accessKeyKey(revoked.get(i).id()));
        }
        return plan;
    }

    private Plan revokeKey(ClusterState state, RevokeAccessKey c) {
        Checks.required(c.accessKeyId(), "access key id");
        Checks.required(c.at(), "time");
        S3AccessKey k = state.s3().accessKey(c.accessKeyId()).orElseThrow(() -> Rejection.notFound(
                "no access key " + Names.quote(c.accessKeyId())));
        if (!k.active()) {
            return new Plan(codec, k.id()); // revoked already: keep the first revocation time
        }
        return new Plan(codec, k.id()).put(S3State.accessKeyKey(k.id()), k.revoked(c.at()))
                .delete(S3State.secretKey(k.id()));
    }
}
