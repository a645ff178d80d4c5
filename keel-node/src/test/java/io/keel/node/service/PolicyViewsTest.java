package io.keel.node.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.api.ApiException;
import io.keel.api.dto.CreatePolicyRequest;
import io.keel.api.dto.PolicyView;
import io.keel.meta.cluster.FailureDomain;
import io.keel.meta.cluster.StoragePolicy;
import org.junit.jupiter.api.Test;

class PolicyViewsTest {
    private final S3TestMeta meta = new S3TestMeta();

    @Test
    void aRequestWithoutRedundancyKeepsThreeReplicas() {
        assertThat(PolicyViews.policy(new CreatePolicyRequest("p", null, null, null)))
                .isEqualTo(new StoragePolicy("p", 0, FailureDomain.HOST, 3));
        assertThat(PolicyViews.policy(new CreatePolicyRequest("p", 1, "Rack", 2, null)))
                .isEqualTo(new StoragePolicy("p", 1, FailureDomain.RACK, 2));
    }

    @Test
    void aRequestWithEcAsksForErasureCoding() {
        assertThat(PolicyViews.policy(new CreatePolicyRequest("wide", 0, "disk", null, "5+2")))
                .isEqualTo(StoragePolicy.erasureCoded("wide", 0, FailureDomain.DISK, 5, 2));
    }

    @Test
    void replicasAndEcTogetherOrAMalformedModeAreInvalid() {
        assertThatThrownBy(() -> PolicyViews.policy(new CreatePolicyRequest("p", 0, null, 3, "5+2")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining("either replicas or ec");
        assertThatThrownBy(() -> PolicyViews.policy(new CreatePolicyRequest("p", 0, null, null, "five")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining("is not M+N");
        assertThatThrownBy(() -> PolicyViews.policy(new CreatePolicyRequest("p", 0, "shelf", null, null)))
                .hasMessageContaining("unknown failure domain 'shelf'");
    }

    /** The numbers are the metadata service's to judge: 2+0 reaches it and is refused with the reason. */
    @Test
    void theMetadataServiceRefusesWhatItCannotPlace() {
        assertThatThrownBy(() -> meta.submit(new io.keel.meta.cluster.ClusterCommand.CreatePolicy(
                PolicyViews.policy(new CreatePolicyRequest("wide", 0, "host", null, "5+2")))))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("needs 7 hosts with tier-0 storage disks (failure domain host, EC 5+2)")
                .hasMessageContaining("the cluster has 3");
        assertThatThrownBy(() -> meta.submit(new io.keel.meta.cluster.ClusterCommand.CreatePolicy(
                PolicyViews.policy(new CreatePolicyRequest("zero", 0, "host", null, "2+0")))))
                .isInstanceOf(ApiException.class).hasMessageContaining("2+0 is not erasure coding");
    }

    @Test
    void viewsCarryRedundancyOverheadAndPieces() {
        meta.submit(new io.keel.meta.cluster.ClusterCommand.CreatePolicy(
                StoragePolicy.erasureCoded("small", 0, FailureDomain.HOST, 1, 2)));
        PolicyView ec = PolicyViews.view(meta.state(), meta.state().policy("small").orElseThrow());
        assertThat(ec).isEqualTo(new PolicyView("small", 0, "host", 0, "EC 1+2", 3.0, 3, true, "1+2", 3, true));
        PolicyView single = PolicyViews.view(meta.state(), meta.state().policy("single").orElseThrow());
        assertThat(single).isEqualTo(new PolicyView("single", 0, "host", 1, "1 replica", 1.0, 3, true, null, 1, true));
    }

    @Test
    void rawBytesRoundUp() {
        StoragePolicy wide = StoragePolicy.erasureCoded("wide", 0, FailureDomain.HOST, 5, 2);
        assertThat(PolicyViews.rawBytes(10L << 30, wide)).isEqualTo(15032385536L); // 14 GiB
        assertThat(PolicyViews.rawBytes(3, StoragePolicy.erasureCoded("w", 0, FailureDomain.HOST, 17, 3))).isEqualTo(4);
        assertThat(PolicyViews.rawBytes(1L << 30, new StoragePolicy("t", 0, FailureDomain.HOST, 3))).isEqualTo(3L << 30);
    }
}
