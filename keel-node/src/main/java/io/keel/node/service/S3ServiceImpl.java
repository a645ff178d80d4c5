package io.keel.node.service;

import io.keel.api.ApiException;
import io.keel.api.S3Service;
import io.keel.api.dto.CreateS3AccessKeyRequest;
import io.keel.api.dto.CreateS3ClusterRequest;
import io.keel.api.dto.CreateS3UserRequest;
import io.keel.api.dto.NewS3AccessKeyView;
import io.keel.api.dto.S3AccessKeyView;
import io.keel.api.dto.S3BucketView;
import io.keel.api.dto.S3ClusterView;
import io.keel.api.dto.S3NodeView;
import io.keel.api.dto.S3UserView;
import io.keel.api.dto.UpdateS3ClusterRequest;
import io.keel.meta.cluster.ClusterCommand;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.NodeRecord;
import io.keel.meta.cluster.S3AccessKey;
import io.keel.meta.cluster.S3Bucket;
import io.keel.meta.cluster.S3Cluster;
import io.keel.meta.cluster.S3Command;
import io.keel.meta.cluster.S3Keys;
import io.keel.meta.cluster.S3Names;
import io.keel.meta.cluster.S3Tls;
import io.keel.meta.cluster.S3User;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The S3 control plane over the metadata (ADRs 0039, 0044). The metadata checks every rule; this
 * turns names into ids, fills in defaults, generates what must be random (ids, access keys, the
 * self-signed certificate: the replicated logic draws no random numbers) and builds views, none
 * of which carries a TLS private key or a secret except the answer that creates a key.
 */
public final class S3ServiceImpl implements S3Service {
    /** Unprivileged, so the node needs no extra capability; 7480 is where Ceph's S3 gateway listens too. */
    public static final int DEFAULT_HTTP_PORT = 7480;
    public static final int DEFAULT_HTTPS_PORT = 7443;
    /** The object index starts as one shard (ADR 0040); more are added by update as it grows. */
    static final List<String> INITIAL_SHARDS = List.of("idx-0");

    private final Supplier<ClusterState> state;
    private final Function<ClusterCommand, String> submit;
    private final Clock clock;
    private final SecureRandom random;

    /**
     * @param state  the metadata as this node reads it ({@code MetaGateway::state})
     * @param submit replicates a command, returns the entity id or throws the refusal as an
     *               {@link ApiException} ({@code MetaGateway::submit})
     */
    public S3ServiceImpl(Supplier<ClusterState> state, Function<ClusterCommand, String> submit, Clock clock,
            SecureRandom random) {
        this.state = Objects.requireNonNull(state, "state");
        this.submit = Objects.requireNonNull(submit, "submit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public S3ClusterView cluster() {
        ClusterState s = state.get();
        return view(s, cluster(s));
    }

    @Override
    public S3ClusterView createCluster(CreateS3ClusterRequest r) {
        Objects.requireNonNull(r, "request");
        ClusterState s = state.get();
        S3Cluster.Protocol protocol = protocol(r.protocol(), S3Cluster.Protocol.HTTPS);
        int http = protocol.http() ? orDefault(r.httpPort(), DEFAULT_HTTP_PORT) : unused(r.httpPort(), "HTTP");
        int https = protocol.https() ? orDefault(r.httpsPort(), DEFAULT_HTTPS_PORT) : unused(r.httpsPort(), "HTTPS");
        boolean selfSigned = Boolean.TRUE.equals(r.selfSignedCertificate());
        S3Tls tls = tls(protocol, selfSigned, r.certificatePem(), r.privateKeyPem(), endpoints(r.endpoints()));
        submit.apply(new S3Command.CreateCluster(nodeIds(s, r.nodes()), r.policy(), r.endpoints(), protocol, http,
                https, tls, selfSigned, INITIAL_SHARDS, clock.instant()));
        ClusterState after = state.get();
        return view(after, cluster(after));
    }

    @Override
    public S3ClusterView updateCluster(UpdateS3ClusterRequest r) {
        Objects.requireNonNull(r, "request");
        ClusterState s = state.get();
        S3Cluster old = cluster(s);
        S3Cluster.Protocol protocol = protocol(r.protocol(), old.protocol());
        // A listener the protocol starts using gets the default port unless one is given.
        Integer http = r.httpPort() != null ? r.httpPort()
                : protocol.http() && old.httpPort() == 0 ? Integer.valueOf(DEFAULT_HTTP_PORT) : null;
        Integer https = r.httpsPort() != null ? r.httpsPort()
                : protocol.https() && old.httpsPort() == 0 ? Integer.valueOf(DEFAULT_HTTPS_PORT) : null;
        List<String> endpoints = r.endpoints() == null ? old.endpoints() : endpoints(r.endpoints());
        boolean regenerate = Boolean.TRUE.equals(r.selfSignedCertificate())
                // A self-signed certificate for the old names would fail every handshake on the new
                // ones; clients must trust a self-signed certificate explicitly either way.
                || r.certificatePem() == null && old.selfSignedCertificate() && protocol.https()
                        && !endpoints.equals(old.endpoints());
        S3Tls tls = null;
        Boolean selfSigned = null;
        if (protocol.https() && (regenerate || r.certificatePem() != null)) {
            tls = tls(protocol, regenerate, r.certificatePem(), r.privateKeyPem(), endpoints);
            selfSigned = regenerate;
        } else if (!protocol.https() && (r.certificatePem() != null || Boolean.TRUE.equals(r.selfSignedCertificate()))) {
            throw ApiException.invalid("a certificate was asked for but the protocol is HTTP only");
        }
        submit.apply(new S3Command.UpdateCluster(r.nodes() == null ? null : nodeIds(s, r.nodes()),
                r.endpoints() == null ? null : endpoints, protocol, http, https, tls, selfSigned, null));
        ClusterState after = state.get();
        return view(after, cluster(after));
    }

    @Override
    public void deleteCluster() {
        cluster(state.get());
        submit.apply(new S3Command.DeleteCluster());
    }

    @Override
    public List<S3UserView> users() {
        ClusterState s = state.get();
        return s.s3().users().stream().map(u -> view(s, u)).toList();
    }

    @Override
    public S3UserView user(String user) {
        ClusterState s = state.get();
        return view(s, user(s, user));
    }

    @Override
    public S3UserView createUser(CreateS3UserRequest r) {
        Objects.requireNonNull(r, "request");
        String id = "u" + Long.toHexString(random.nextLong() & Long.MAX_VALUE);
        submit.apply(new S3Command.CreateUser(id, r.email() == null ? null : r.email().strip(),
                r.displayName(), clock.instant()));
        ClusterState after = state.get();
        return view(after, user(after, id));
    }

    @Override
    public S3UserView suspendUser(String user) {
        return suspended(user, true);
    }

    @Override
    public S3UserView resumeUser(String user) {
        return suspended(user, false);
    }

    private S3UserView suspended(String user, boolean suspend) {
        S3User u = user(state.get(), user);
        submit.apply(suspend ? new S3Command.SuspendUser(u.id()) : new S3Command.ResumeUser(u.id()));
        ClusterState after = state.get();
        return view(after, user(after, u.id()));
    }

    @Override
    public void deleteUser(String user) {
        submit.apply(new S3Command.DeleteUser(user(state.get(), user).id()));
    }

    @Override
    public List<S3AccessKeyView> keys(String user) {
        ClusterState s = state.get();
        List<S3AccessKey> keys = user == null ? s.s3().accessKeys() : s.s3().accessKeysOf(user(s, user).id());
        return keys.stream().map(k -> view(s, k)).toList();
    }

    @Override
    public NewS3AccessKeyView createKey(CreateS3AccessKeyRequest r) {
        Objects.requireNonNull(r, "request");
        S3User u = user(state.get(), r.user());
        String id = S3Keys.newAccessKeyId(random);
        String secret = S3Keys.newSecret(random);
        var at = clock.instant();
        submit.apply(new S3Command.CreateAccessKey(id, u.id(), secret, at));
        return new NewS3AccessKeyView(id, secret, u.id(), u.email(), at);
    }

    @Override
    public S3AccessKeyView revokeKey(String accessKeyId) {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        ClusterState s = state.get();
        S3AccessKey k = s.s3().accessKey(accessKeyId)
                .orElseThrow(() -> ApiException.notFound("no access key " + accessKeyId));
        submit.apply(new S3Command.RevokeAccessKey(k.id(), clock.instant()));
        ClusterState after = state.get();
        return view(after, after.s3().accessKey(k.id())
                .orElseThrow(() -> ApiException.notFound("access key " + k.id() + " was removed meanwhile")));
    }

    @Override
    public List<S3BucketView> buckets() {
        ClusterState s = state.get();
        return s.s3().buckets().stream().map(b -> view(s, b)).toList();
    }

    private static S3Cluster cluster(ClusterState s) {
        return s.s3().cluster().orElseThrow(() -> ApiException.notFound(
                "there is no S3 cluster: create it with 'keel s3 cluster create'"));
    }

    private static S3User user(ClusterState s, String user) {
        Objects.requireNonNull(user, "user");
        return s.s3().userByIdOrEmail(user).orElseThrow(() -> ApiException.notFound("no S3 user " + user));
    }

    /** Node names to ids (404 for an unknown one); null stays null for the metadata to refuse. */
    private static List<String> nodeIds(ClusterState s, List<String> nodes) {
        if (nodes == null) {
            return null;
        }
        List<String> ids = new ArrayList<>();
        for (String n : nodes) {
            ids.add(s.nodeByIdOrName(n).map(NodeRecord::id).orElseThrow(() -> ApiException.notFound("no node " + n)));
        }
        return List.copyOf(ids);
    }

    /** Lower case, as the metadata stores them, so the certificate names what the gateways answer to. */
    private static List<String> endpoints(List<String> endpoints) {
        if (endpoints == null) {
            return List.of();
        }
        return endpoints.stream().filter(Objects::nonNull).map(e -> e.strip().toLowerCase(Locale.ROOT)).distinct().toList();
    }

    private static S3Cluster.Protocol protocol(String given, S3Cluster.Protocol fallback) {
        if (given == null) {
            return fallback;
        }
        try {
            return S3Cluster.Protocol.valueOf(given.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("protocol must be HTTP, HTTPS or BOTH, not '" + given + "'");
        }
    }

    private static int orDefault(Integer port, int fallback) {
        return port == null ? fallback : port;
    }

    private static int unused(Integer port, String listener) {
        if (port != null) {
            throw ApiException.invalid("the protocol does not include " + listener + ", so it takes no "
                    + listener + " port (got " + port + ")");
        }
        return 0;
    }

    /** The certificate and key to store: generated, or the administrator's after checking they fit. */
    private S3Tls tls(S3Cluster.Protocol protocol, boolean selfSigned, String certificatePem, String privateKeyPem,
            List<String> endpoints) {
        if (!protocol.https()) {
            if (selfSigned || certificatePem != null) {
                throw ApiException.invalid("a certificate was given but the protocol is HTTP only");
            }
            return null;
        }
        if (selfSigned) {
            if (endpoints.isEmpty()) {
                throw ApiException.invalid("the S3 cluster needs at least one endpoint DNS name");
            }
            // Refuse a bad name before generating a certificate for it, with the metadata's message.
            endpoints.forEach(e -> S3Names.validateHostname(e).ifPresent(m -> {
                throw ApiException.invalid(m);
            }));
            return S3Certificates.selfSigned(endpoints, clock.instant(), random);
        }
        if (certificatePem == null || privateKeyPem == null) {
            throw ApiException.invalid("HTTPS needs a certificate: ask for a self-signed one"
                    + " (selfSignedCertificate: true) or give certificatePem and privateKeyPem");
        }
        S3Certificates.checkPair(certificatePem, privateKeyPem);
        return new S3Tls(certificatePem, privateKeyPem);
    }

    private static S3ClusterView view(ClusterState s, S3Cluster c) {
        String pem = c.protocol().https() ? s.s3().tls().map(S3Tls::certificatePem).orElse(null) : null;
        S3Certificates.Summary summary = pem == null ? null : S3Certificates.summary(pem);
        List<S3NodeView> nodes = c.nodeIds().stream()
                .map(id -> new S3NodeView(id, s.node(id).map(NodeRecord::name).orElse(id))).toList();
        return new S3ClusterView(nodes, c.policy(), c.endpoints(), c.protocol().name(), c.httpPort(), c.httpsPort(),
                c.selfSignedCertificate(), pem, summary == null ? null : summary.dnsNames(),
                summary == null ? null : summary.notAfter(), c.indexShards(), c.createdAt());
    }

    private static S3UserView view(ClusterState s, S3User u) {
        int active = (int) s.s3().accessKeysOf(u.id()).stream().filter(S3AccessKey::active).count();
        return new S3UserView(u.id(), u.email(), u.displayName(), u.suspended(), active,
                s.s3().bucketsOf(u.id()).size(), u.createdAt());
    }

    private static S3AccessKeyView view(ClusterState s, S3AccessKey k) {
        return new S3AccessKeyView(k.id(), k.userId(), s.s3().user(k.userId()).map(S3User::email).orElse(k.userId()),
                k.state().name(), k.createdAt(), k.revokedAt());
    }

    static S3BucketView view(ClusterState s, S3Bucket b) {
        return new S3BucketView(b.name(), b.ownerId(), s.s3().user(b.ownerId()).map(S3User::email).orElse(null),
                b.versioning().name(), b.createdAt());
    }
}
