package io.keel.meta.cluster;

import static io.keel.meta.cluster.RejectionCodes.INVALID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.keel.meta.cluster.ClusterCommand.AssignDiskRole;
import io.keel.meta.cluster.ClusterCommand.CreatePolicy;
import io.keel.meta.cluster.Redundancy.ErasureCoded;
import io.keel.meta.cluster.Redundancy.Replicated;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErasureCodedPolicyTest {
    private static final DiskRole TIER0 = DiskRole.storage(0, true, false);

    /** {@code hosts} nodes in the storage cluster, each with a tier-0 storage disk d2. */
    private static Harness hosts(int hosts) {
        Harness h = Harness.withStorageCluster(hosts, hosts);
        for (int i = 2; i <= hosts; i++) {
            h.applied(new AssignDiskRole("n" + i, "d2", TIER0));
        }
        return h;
    }

    private static CreatePolicy ec(String name, int data, int parity) {
        return new CreatePolicy(StoragePolicy.erasureCoded(name, 0, FailureDomain.HOST, data, parity));
    }

    @ParameterizedTest
    @CsvSource({"1,2,3,3.0", "3,1,4,1.3333333", "2,2,4,2.0", "3,2,5,1.6666667", "5,2,7,1.4", "7,2,9,1.2857143",
        "17,3,20,1.1764706"})
    void offeredModesHaveTheirPiecesAndOverhead(int data, int parity, int pieces, double overhead) {
        StoragePolicy p = StoragePolicy.erasureCoded("p", 0, FailureDomain.HOST, data, parity);
        assertThat(p.pieces()).isEqualTo(pieces);
        assertThat(p.overhead()).isCloseTo(overhead, within(1e-6));
        assertThat(p.redundancy().label()).isEqualTo("EC " + data + "+" + parity);
        assertThat(p.redundancy().problem()).isEmpty();
        assertThat(p.erasureCoded()).isTrue();
    }

    @Test
    void replicatedPoliciesKeepTheirMeaning() {
        StoragePolicy p = new StoragePolicy("triple", 0, FailureDomain.HOST, 3);
        assertThat(p.redundancy()).isEqualTo(new Replicated(3));
        assertThat(p.pieces()).isEqualTo(3);
        assertThat(p.overhead()).isEqualTo(3.0);
        assertThat(p.erasureCoded()).isFalse();
        assertThat(new Replicated(1).label()).isEqualTo("1 replica");
        assertThat(new Replicated(2).label()).isEqualTo("2 replicas");
    }

    @Test
    void modesParseFromMPlusN() {
        assertThat(ErasureCoded.parse("5+2")).isEqualTo(new ErasureCoded(5, 2));
        assertThat(ErasureCoded.parse(" 17+3 ")).isEqualTo(new ErasureCoded(17, 3));
        assertThat(ErasureCoded.parse("2+0")).isEqualTo(new ErasureCoded(2, 0));
        for (String bad : new String[] {"", "5", "5+", "+2", "5+2+1", "a+b", "-1+2", "5 + 2", "99999+1"}) {
            assertThatThrownBy(() -> ErasureCoded.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not M+N");
        }
        assertThatThrownBy(() -> ErasureCoded.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPlaceableEcPolicyIsStored() {
        Harness h = hosts(7);
        assertThat(h.applied(ec("wide", 5, 2))).isEqualTo("wide");
        StoragePolicy stored = h.state().policy("wide").orElseThrow();
        assertThat(stored).isEqualTo(StoragePolicy.erasureCoded("wide", 0, FailureDomain.HOST, 5, 2));
        assertThat(stored.redundancy()).isEqualTo(new ErasureCoded(5, 2));
        assertThat(stored.replicas()).isZero();
    }

    @Test
    void tooFewFailureDomainsIsRefusedWithTheReason() {
        Harness h = hosts(3);
        assertThat(h.rejected(ec("wide", 5, 2), INVALID))
                .isEqualTo("policy \"wide\" needs 7 hosts with tier-0 storage disks (failure domain host, EC 5+2);"
                        + " the cluster has 3 (node1, node2, node3)");
        assertThat(h.rejected(ec("four", 3, 1), INVALID)).contains("needs 4 hosts").contains("EC 3+1");
        h.applied(ec("small", 1, 2));
    }

    @Test
    void diskFailureDomainCountsDisks() {
        Harness h = Harness.withStorageCluster(1, 1);
        h.applied(new AssignDiskRole("n1", "d3", TIER0));
        h.applied(new CreatePolicy(StoragePolicy.erasureCoded("disks", 0, FailureDomain.DISK, 1, 1)));
        assertThat(h.rejected(new CreatePolicy(StoragePolicy.erasureCoded("more", 0, FailureDomain.DISK, 2, 1)),
                INVALID)).contains("needs 3 disks").contains("EC 2+1").contains("has 2 (node1/d2, node1/d3)");
    }

    @Test
    void invalidModesAreRefusedWithTheReason() {
        Harness h = hosts(3);
        assertThat(h.rejected(ec("zero", 2, 0), INVALID))
                .isEqualTo("2+0 is not erasure coding: it survives no failure; use replicas instead");
        assertThat(h.rejected(ec("nodata", 0, 2), INVALID)).contains("0+2 has no data fragments");
        assertThat(h.rejected(ec("huge", 30, 3), INVALID))
                .isEqualTo("EC 30+3 has 33 fragments; the codec handles at most 32 (M+N <= 32)");
        assertThat(h.rejected(new CreatePolicy(new StoragePolicy("both", 0, FailureDomain.HOST, 3,
                new ErasureCoded(1, 2))), INVALID)).contains("either replicas or erasure coding, not both");
        assertThat(h.rejected(new CreatePolicy(new StoragePolicy("four", 0, FailureDomain.HOST, 4)), INVALID))
                .contains("replicas must be 1-3, got 4");
        assertThat(h.state().policies()).isEmpty();
    }

    @Test
    void theLargestModeTheCodecTakesIsAccepted() {
        assertThat(new ErasureCoded(28, 4).problem()).isEmpty();
        assertThat(new ErasureCoded(29, 4).problem()).isPresent();
    }

    /** Records stored before erasure coding have no "ec" field and must still decode, as replicated policies. */
    @Test
    void anOldRecordWithoutEcDecodesAsReplicated() {
        ClusterCodec codec = new ClusterCodec();
        byte[] old = "{\"name\":\"triple\",\"tier\":0,\"failureDomain\":\"HOST\",\"replicas\":3}"
                .getBytes(StandardCharsets.UTF_8);
        StoragePolicy p = codec.read(old, StoragePolicy.class);
        assertThat(p).isEqualTo(new StoragePolicy("triple", 0, FailureDomain.HOST, 3));
        assertThat(p.redundancy()).isEqualTo(new Replicated(3));
        byte[] oldCommand = ("{\"type\":\"CreatePolicy\",\"policy\":{\"name\":\"triple\",\"tier\":0,"
                + "\"failureDomain\":\"HOST\",\"replicas\":3}}").getBytes(StandardCharsets.UTF_8);
        assertThat(codec.decodeCommand(oldCommand))
                .isEqualTo(new CreatePolicy(new StoragePolicy("triple", 0, FailureDomain.HOST, 3)));
    }

    @Test
    void anEcPolicyRoundTripsAsComponentsOnly() {
        ClusterCodec codec = new ClusterCodec();
        StoragePolicy p = StoragePolicy.erasureCoded("wide", 1, FailureDomain.RACK, 5, 2);
        String json = new String(codec.write(p), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"name\":\"wide\",\"tier\":1,\"failureDomain\":\"RACK\",\"replicas\":0,"
                + "\"ec\":{\"data\":5,\"parity\":2}}");
        assertThat(codec.read(codec.write(p), StoragePolicy.class)).isEqualTo(p);
    }

    @Test
    void ecPoliciesHoldPlainVolumesOnly() {
        Harness h = hosts(3);
        h.applied(new CreatePolicy(new StoragePolicy("single", 0, FailureDomain.HOST, 1)));
        h.applied(ec("small", 1, 2));
        String refusal = "EC policy \"small\" (EC 1+2) can hold plain volumes only: images, clones, snapshots and"
                + " S3 data need a replicated policy (snapshots of erasure-coded volumes are not supported yet)";
        h.applied(new ClusterCommand.CreateVolume("v9", "ec-disk", 1L << 30, 64 << 20, "small", Fixtures.T0));
        h.applied(new ClusterCommand.CreateVolume("v1", "disk-1", 1L << 30, 64 << 20, "single", Fixtures.T0));
        assertThat(h.rejected(new ClusterCommand.SetVolumePolicy("v1", "small"), INVALID))
                .contains("would need re-encoding");
        assertThat(h.state().volume("v1").orElseThrow().policy()).isEqualTo("single");
        h.applied(new ClusterCommand.CreateSnapshot("v1", "s1", "monday", 0, Fixtures.T0.plusSeconds(1)));
        assertThat(h.rejected(new ClusterCommand.CloneVolume("s1", "v2", "disk-2", "small",
                Fixtures.T0.plusSeconds(2)), INVALID)).isEqualTo(refusal);
        assertThat(h.rejected(new ClusterCommand.CreateImage("i1", "debian-13", ImageFormat.QCOW2, "linux", true,
                "small", Fixtures.T0), INVALID)).isEqualTo(refusal);
        assertThat(h.rejected(new S3Command.CreateCluster(List.of("n1", "n2"), "small", List.of("s3.example.com"),
                S3Cluster.Protocol.HTTP, 9000, 0, null, false, List.of("idx-0"), Fixtures.T0), INVALID))
                .isEqualTo(refusal);
    }

    @Test
    void anEcPolicyNobodyUsesIsDeleted() {
        Harness h = hosts(3);
        h.applied(ec("small", 1, 2));
        h.applied(new ClusterCommand.DeletePolicy("small"));
        assertThat(h.state().policies()).isEmpty();
    }

    @Test
    void releasingANodeCountsEcPieces() {
        Harness h = hosts(3);
        h.applied(ec("small", 1, 2));
        // Unused policies do not hold a node back: only policies with volumes do.
        assertThat(Placement.unplaceable(h.state(), h.state().policy("small").orElseThrow(), Set.of("n3")))
                .hasValueSatisfying(reason -> assertThat(reason).contains("needs 3 hosts").contains("has 2"));
    }

    /**
     * A volume under an EC policy cannot be made through commands; written straight into the
     * store (as a future version might), it still gets no replica repair and no replica placement.
     */
    @Test
    void wholeCopiesAreNeverAddedUnderAnEcPolicy() {
        Harness h = Harness.withChunkServices();
        h.applied(ec("small", 1, 2));
        h.applied(new ClusterCommand.CreateVolume("v1", "disk-1", 1L << 30, 64 << 20, "single", Fixtures.T0));
        long e = Long.parseLong(h.applied(new ClusterCommand.AcquireLease("v1", "n1", false, Fixtures.T0, 30_000)));
        ChunkReplica r1 = new ChunkReplica("n1", "d2");
        h.applied(new ClusterCommand.AllocateChunk("v1", 0, e, List.of(r1)));
        Volume single = h.state().volume("v1").orElseThrow();
        assertThat(RepairPlanner.plan(h.state(), single, Set.of(r1)::contains, Set.of(r1)::contains)).hasSize(1);

        h.kv.put(ClusterState.volumeKey("v1"), h.codec.write(single.withPolicy("small")));
        assertThat(h.rejected(new ClusterCommand.AllocateChunk("v1", 1, e, List.of(r1)), INVALID))
                .contains("names no fragment");
        assertThat(h.rejected(new ClusterCommand.AddReplica("v1", 0, e, 1, new ChunkReplica("n2", "d2")), INVALID))
                .contains("names no fragment");
        assertThat(RebalancePlanner.plan(h.state(), r -> true, 10)).isEmpty();
    }
}
