package io.keel.meta.cluster;

import static io.keel.meta.cluster.RejectionCodes.CONFLICT;
import static io.keel.meta.cluster.RejectionCodes.INVALID;
import static io.keel.meta.cluster.RejectionCodes.NOT_FOUND;
import static io.keel.meta.cluster.S3Fixtures.AT;
import static io.keel.meta.cluster.S3Fixtures.TLS;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.meta.cluster.S3Cluster.Protocol;
import io.keel.meta.cluster.S3Command.CreateCluster;
import io.keel.meta.cluster.S3Command.DeleteCluster;
import io.keel.meta.cluster.S3Command.UpdateCluster;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class S3ClusterCommandsTest {

    private static CreateCluster create(List<String> nodes, String policy, List<String> endpoints, Protocol p,
            int http, int https, S3Tls tls, List<String> shards) {
        return new CreateCluster(nodes, policy, endpoints, p, http, https, tls, false, shards, AT);
    }

    @Test
    void theS3ClusterIsCreatedWithItsNodesPolicyEndpointsAndCertificate() {
        Harness h = Harness.withChunkServices();
        assertThat(h.applied(new CreateCluster(List.of("n2", "n1"), "single", List.of(" S3.Example.com ",
                "s3.internal"), Protocol.BOTH, 9000, 9443, TLS, true, List.of("idx-0"), AT))).isEqualTo("s3");
        S3Cluster s3 = h.state().s3().cluster().orElseThrow();
        assertThat(s3.nodeIds()).containsExactly("n2", "n1");
        assertThat(s3.endpoints()).containsExactly("s3.example.com", "s3.internal");
        assertThat(s3.policy()).isEqualTo("single");
        assertThat(s3.protocol()).isEqualTo(Protocol.BOTH);
        assertThat(s3.httpPort()).isEqualTo(9000);
        assertThat(s3.httpsPort()).isEqualTo(9443);
        assertThat(s3.selfSignedCertificate()).isTrue();
        assertThat(s3.indexShards()).containsExactly("idx-0");
        assertThat(s3.runsOn("n1")).isTrue();
        assertThat(s3.runsOn("n3")).isFalse();
        assertThat(h.state().s3().tls()).contains(TLS);
    }

    @Test
    void thePrivateKeyIsInNoViewAndPrintsNowhere() {
        Harness h = S3Fixtures.withS3();
        assertThat(h.state().s3().cluster().orElseThrow().toString()).doesNotContain(S3Fixtures.KEY_MARKER);
        assertThat(h.state().s3().tls().orElseThrow().toString()).doesNotContain(S3Fixtures.KEY_MARKER);
        byte[] view = h.codec.write(h.state().s3().cluster().orElseThrow());
        assertThat(new String(view, StandardCharsets.UTF_8)).doesNotContain(S3Fixtures.KEY_MARKER);
        assertThat(h.kv.snapshot()).hasEntrySatisfying(S3State.TLS_KEY, v -> assertThat(v).contains("PRIVATE KEY"));
    }

    @Test
    void anHttpOnlyClusterNeedsNoCertificateAndTakesNone() {
        Harness h = Harness.withChunkServices();
        h.applied(create(List.of("n1"), "single", List.of("localhost"), Protocol.HTTP, 9000, 0, null,
                List.of("idx-0")));
        assertThat(h.state().s3().tls()).isEmpty();
        assertThat(h.state().s3().cluster().orElseThrow().selfSignedCertificate()).isFalse();
    }

    @Test
    void badClustersAreRefusedWithTheReason() {
        Harness h = Harness.withChunkServices();
        List<String> n = List.of("n1");
        List<String> e = List.of("s3.example.com");
        List<String> s = List.of("idx-0");
        assertThat(h.rejected(create(List.of(), "single", e, Protocol.HTTP, 80, 0, null, s), INVALID))
                .contains("at least one node");
        assertThat(h.rejected(create(List.of("n1", "n1"), "single", e, Protocol.HTTP, 80, 0, null, s), INVALID))
                .contains("more than once");
        assertThat(h.rejected(create(List.of("n9"), "single", e, Protocol.HTTP, 80, 0, null, s), NOT_FOUND))
                .contains("do not exist");
        assertThat(h.rejected(create(n, "nope", e, Protocol.HTTP, 80, 0, null, s), NOT_FOUND))
                .contains("no storage policy \"nope\"");
        assertThat(h.rejected(create(n, null, e, Protocol.HTTP, 80, 0, null, s), INVALID)).contains("required");
        assertThat(h.rejected(create(n, "single", List.of(), Protocol.HTTP, 80, 0, null, s), INVALID))
                .contains("at least one endpoint");
        assertThat(h.rejected(create(n, "single", List.of("s3_bad.example"), Protocol.HTTP, 80, 0, null, s),
                INVALID)).contains("not a DNS name");
        assertThat(h.rejected(create(n, "single", List.of("10.0.0.1"), Protocol.HTTP, 80, 0, null, s), INVALID))
                .contains("IP address");
        assertThat(h.rejected(create(n, "single", List.of("a.b", "A.b"), Protocol.HTTP, 80, 0, null, s), INVALID))
                .contains("more than once");
        assertThat(h.rejected(create(n, "single", e, null, 80, 0, null, s), INVALID)).contains("protocol");
        assertThat(h.rejected(create(n, "single", e, Protocol.HTTP, 0, 0, null, s), INVALID))
                .contains("HTTP port must be 1-65535");
        assertThat(h.rejected(create(n, "single", e, Protocol.HTTP, 80, 443, null, s), INVALID))
                .contains("takes no HTTPS port");
        assertThat(h.rejected(create(n, "single", e, Protocol.BOTH, 443, 443, TLS, s), INVALID))
                .contains("cannot share port 443");
        assertThat(h.rejected(create(n, "single", e, Protocol.HTTPS, 0, 70000, TLS, s), INVALID))
                .contains("HTTPS port must be 1-65535");
        assertThat(h.rejected(create(n, "single", e, Protocol.HTTPS, 0, 443, null, s), INVALID))
                .contains("needs a certificate");
        assertThat(h.rejected(create(n, "single", e, Protocol.HTTP, 80, 0, TLS, s), INVALID))
                .contains("HTTP only");
        assertThat(h.rejected(create(n, "single", e, Protocol.HTTPS, 0, 443, new S3Tls("junk", S3Fixtures.KEY), s),
                INVALID)).contains("not a PEM X.509");
        assertThat(h.rejected(create(n, "single", e, Protocol.HTTPS, 0, 443,
                new S3Tls(S3Fixtures.CERT, "secret-stuff"), s), INVALID)).contains("not a PEM private key")
                .doesNotContain("secret-stuff");
        assertThat(h.rejected(create(n, "single", e, Protocol.HTTPS, 0, 443,
                new S3Tls(S3Fixtures.CERT + "x".repeat(S3Commands.MAX_PEM_CHARS), S3Fixtures.KEY), s), INVALID))
                .contains("at most");
        assertThat(h.rejected(create(n, "single", e, Protocol.HTTP, 80, 0, null, List.of()), INVALID))
                .contains("index shard");
        assertThat(h.rejected(create(n, "single", e, Protocol.HTTP, 80, 0, null, List.of("Idx")), INVALID))
                .contains("index shard id");
        assertThat(h.rejected(create(n, "single", e, Protocol.HTTP, 80, 0, null, List.of("a", "a")), INVALID))
                .contains("more than once");
        assertThat(h.rejected(new CreateCluster(n, "single", e, Protocol.HTTP, 80, 0, null, false, s, null), INVALID))
                .contains("time");
        assertThat(h.state().s3().cluster()).isEmpty();
    }

    @Test
    void gatewaysRunOnlyOnStorageClusterNodes() {
        Harness h = Harness.withStorageCluster(3, 2);
        h.applied(new ClusterCommand.CreatePolicy(new StoragePolicy("one", 0, FailureDomain.DISK, 1)));
        assertThat(h.rejected(create(List.of("n1", "n3"), "one", List.of("s3.example.com"), Protocol.HTTP, 80, 0,
                null, List.of("idx-0")), INVALID)).contains("not in the storage cluster");
    }

    @Test
    void thereIsOneS3ClusterAndItNeedsAStorageCluster() {
        Harness bare = Harness.withNodes(2);
        assertThat(bare.rejected(S3Fixtures.createCluster(), INVALID)).contains("no storage cluster");
        Harness h = S3Fixtures.withS3();
        assertThat(h.rejected(S3Fixtures.createCluster(), CONFLICT)).contains("already exists");
    }

    @Test
    void updateChangesNodesEndpointsAndProtocolAndKeepsWhatIsNull() {
        Harness h = S3Fixtures.withS3();
        h.applied(new UpdateCluster(List.of("n3"), List.of("objects.example.com"), null, null, null, null, null, null));
        S3Cluster s3 = h.state().s3().cluster().orElseThrow();
        assertThat(s3.nodeIds()).containsExactly("n3");
        assertThat(s3.endpoints()).containsExactly("objects.example.com");
        assertThat(s3.protocol()).isEqualTo(Protocol.BOTH);
        assertThat(s3.httpsPort()).isEqualTo(9443);
        assertThat(s3.selfSignedCertificate()).isTrue();
        assertThat(h.state().s3().tls()).contains(TLS);

        // HTTP only: the certificate and key go, the HTTPS port with them.
        h.applied(new UpdateCluster(null, null, Protocol.HTTP, null, null, null, null, null));
        s3 = h.state().s3().cluster().orElseThrow();
        assertThat(s3.httpsPort()).isZero();
        assertThat(s3.selfSignedCertificate()).isFalse();
        assertThat(h.state().s3().tls()).isEmpty();

        assertThat(h.rejected(new UpdateCluster(null, null, Protocol.HTTPS, null, 443, null, null, null), INVALID))
                .contains("needs a certificate");
        assertThat(h.rejected(new UpdateCluster(null, null, Protocol.BOTH, null, null, TLS, false, null), INVALID))
                .contains("HTTPS port must be 1-65535");
        h.applied(new UpdateCluster(null, null, Protocol.HTTPS, 0, 443, TLS, false, null));
        s3 = h.state().s3().cluster().orElseThrow();
        assertThat(s3.httpPort()).isZero();
        assertThat(s3.httpsPort()).isEqualTo(443);
        assertThat(s3.selfSignedCertificate()).isFalse();
        assertThat(h.state().s3().tls()).contains(TLS);
        assertThat(s3.createdAt()).isEqualTo(AT);
    }

    @Test
    void badUpdatesAreRefused() {
        Harness h = S3Fixtures.withUser();
        assertThat(h.rejected(new UpdateCluster(List.of(), null, null, null, null, null, null, null), INVALID))
                .contains("at least one node");
        assertThat(h.rejected(new UpdateCluster(null, List.of("-x"), null, null, null, null, null, null), INVALID))
                .contains("not a DNS name");
        assertThat(h.rejected(new UpdateCluster(null, null, null, 9443, null, null, null, null), INVALID))
                .contains("cannot share");
        h.applied(new UpdateCluster(null, null, null, null, null, null, null, List.of("idx-0", "idx-1")));
        assertThat(h.state().s3().cluster().orElseThrow().indexShards()).containsExactly("idx-0", "idx-1");
        h.applied(new S3Command.CreateBucket("b1", "photos", "u1", "idx-1", AT));
        assertThat(h.rejected(new UpdateCluster(null, null, null, null, null, null, null, List.of("idx-0")), CONFLICT))
                .contains("index shard \"idx-1\" holds the index of 1 bucket(s)");
        h.applied(new UpdateCluster(null, null, null, null, null, null, null, List.of("idx-1")));
    }

    @Test
    void deleteIsRefusedWhileBucketsExistAndLeavesUsers() {
        Harness h = S3Fixtures.withUser();
        h.applied(new S3Command.CreateBucket("b1", "photos", "u1", "idx-0", AT));
        assertThat(h.rejected(new DeleteCluster(), CONFLICT)).contains("1 bucket(s) (\"photos\")");
        assertThat(h.rejected(new ClusterCommand.DeletePolicy("single"), CONFLICT)).isNotEmpty();
        h.applied(new S3Command.DeleteBucket("photos", S3Fixtures.seal(h, "photos"), AT));
        h.applied(new DeleteCluster());
        assertThat(h.state().s3().cluster()).isEmpty();
        assertThat(h.state().s3().tls()).isEmpty();
        assertThat(h.state().s3().users()).hasSize(1);
        assertThat(h.rejected(new DeleteCluster(), NOT_FOUND)).contains("no S3 cluster");
        assertThat(h.rejected(new UpdateCluster(null, null, null, null, null, null, null, null), NOT_FOUND))
                .contains("no S3 cluster");
    }

    @Test
    void theGatewaysDataVolumesOutliveNoObjectsButGoWithTheCluster() {
        Harness h = S3Fixtures.withS3();
        h.applied(new ClusterCommand.CreateVolume("vd1", "s3-n1-0123456789ab", 1L << 30, VolumeCommands.DEFAULT_CHUNK,
                "single", AT));
        assertThat(h.rejected(new ClusterCommand.DeleteVolume("vd1", AT), CONFLICT))
                .contains("holds object data of the S3 cluster").contains("keel s3 cluster delete");
        assertThat(h.state().volume("vd1")).isPresent();
        h.applied(new DeleteCluster());
        h.applied(new ClusterCommand.DeleteVolume("vd1", AT));
        assertThat(h.state().volume("vd1")).isEmpty();
    }

    @Test
    void thePolicyOfObjectDataCannotBeDeleted() {
        Harness h = Harness.withChunkServices();
        h.applied(new ClusterCommand.CreatePolicy(new StoragePolicy("objects", 0, FailureDomain.DISK, 1)));
        h.applied(create(List.of("n1"), "objects", List.of("s3.example.com"), Protocol.HTTP, 80, 0, null,
                List.of("idx-0")));
        assertThat(h.rejected(new ClusterCommand.DeletePolicy("objects"), CONFLICT)).contains("S3 cluster");
        h.applied(new DeleteCluster());
        h.applied(new ClusterCommand.DeletePolicy("objects"));
    }

    @Test
    void everyS3CommandNeedsAnInitialisedCluster() {
        Harness h = new Harness();
        assertThat(h.rejected(S3Fixtures.createCluster(), RejectionCodes.NOT_INITIALISED)).isNotEmpty();
        assertThat(h.rejected(new S3Command.DeleteUser("u1"), RejectionCodes.NOT_INITIALISED)).isNotEmpty();
    }
}
