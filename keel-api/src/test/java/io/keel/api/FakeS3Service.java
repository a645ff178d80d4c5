package io.keel.api;

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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fixed S3 control plane: one cluster, user alice (u-1) with key {@link #KEY}, bucket photos.
 * Records every request it is given; fails with {@link #failure} on demand, or with a message
 * quoting the request, as a careless service might.
 */
final class FakeS3Service implements S3Service {
    static final String KEY = "KEELAAAAAAAAAAAAAAAA";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final String CERT = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    final List<Object> calls = new CopyOnWriteArrayList<>();
    volatile RuntimeException failure;
    volatile boolean quoteRequestInFailure;

    void reset() {
        calls.clear();
        failure = null;
        quoteRequestInFailure = false;
    }

    private void call(Object call) {
        calls.add(call);
        if (failure != null) {
            throw failure;
        }
        if (quoteRequestInFailure) {
            throw new IllegalStateException("cannot apply " + call);
        }
    }

    static S3ClusterView cluster(String protocol) {
        boolean https = !protocol.equals("HTTP");
        return new S3ClusterView(List.of(new S3NodeView("n-1", "node1"), new S3NodeView("n-2", "node2")), "single",
                List.of("s3.example.com"), protocol, protocol.equals("HTTPS") ? 0 : 7480, https ? 7443 : 0, https,
                https ? CERT : null, https ? List.of("s3.example.com", "*.s3.example.com") : null,
                https ? FakeClusterService.T0.plusSeconds(86400L * 825) : null, List.of("idx-0"), FakeClusterService.T0);
    }

    static S3UserView alice(boolean suspended) {
        return new S3UserView("u-1", "alice@example.com", "alice", suspended, 1, 1, FakeClusterService.T0);
    }

    @Override
    public S3ClusterView cluster() {
        call("cluster");
        return cluster("BOTH");
    }

    @Override
    public S3ClusterView createCluster(CreateS3ClusterRequest request) {
        call(request);
        return cluster(request.protocol() == null ? "HTTPS" : S3Requests.protocol(request.protocol()));
    }

    @Override
    public S3ClusterView updateCluster(UpdateS3ClusterRequest request) {
        call(request);
        return cluster(request.protocol() == null ? "BOTH" : S3Requests.protocol(request.protocol()));
    }

    @Override
    public void deleteCluster() {
        call("delete cluster");
        throw ApiException.conflict("the S3 cluster still has 1 bucket(s) (\"photos\")");
    }

    @Override
    public List<S3UserView> users() {
        call("users");
        return List.of(alice(false));
    }

    @Override
    public S3UserView user(String user) {
        call("user " + user);
        return find(user);
    }

    @Override
    public S3UserView createUser(CreateS3UserRequest request) {
        call(request);
        if (request.email().equalsIgnoreCase("alice@example.com")) {
            throw ApiException.conflict("an S3 user with e-mail address \"alice@example.com\" already exists");
        }
        return new S3UserView("u-2", request.email(), request.displayName() == null ? "bob" : request.displayName(),
                false, 0, 0, FakeClusterService.T0);
    }

    @Override
    public S3UserView suspendUser(String user) {
        call("suspend " + user);
        find(user);
        return alice(true);
    }

    @Override
    public S3UserView resumeUser(String user) {
        call("resume " + user);
        find(user);
        return alice(false);
    }

    @Override
    public void deleteUser(String user) {
        call("delete " + user);
        find(user);
    }

    @Override
    public List<S3AccessKeyView> keys(String user) {
        call("keys " + user);
        return List.of(new S3AccessKeyView(KEY, "u-1", "alice@example.com", "ACTIVE", FakeClusterService.T0, null));
    }

    @Override
    public NewS3AccessKeyView createKey(CreateS3AccessKeyRequest request) {
        call(request);
        S3UserView u = find(request.user());
        return new NewS3AccessKeyView(KEY, SECRET, u.id(), u.email(), FakeClusterService.T0);
    }

    @Override
    public S3AccessKeyView revokeKey(String accessKeyId) {
        call("revoke " + accessKeyId);
        if (!accessKeyId.equals(KEY)) {
            throw ApiException.notFound("no access key " + accessKeyId);
        }
        return new S3AccessKeyView(KEY, "u-1", "alice@example.com", "REVOKED", FakeClusterService.T0,
                FakeClusterService.T0.plusSeconds(60));
    }

    @Override
    public List<S3BucketView> buckets() {
        call("buckets");
        return List.of(new S3BucketView("photos", "u-1", "alice@example.com", "ENABLED", FakeClusterService.T0));
    }

    private static S3UserView find(String user) {
        if (user.equals("u-1") || user.equalsIgnoreCase("alice@example.com")) {
            return alice(false);
        }
        throw ApiException.notFound("no S3 user " + user);
    }
}
