package io.keel.meta.cluster;

import static io.keel.meta.cluster.RejectionCodes.CONFLICT;
import static io.keel.meta.cluster.RejectionCodes.INVALID;
import static io.keel.meta.cluster.RejectionCodes.NOT_FOUND;
import static io.keel.meta.cluster.RejectionCodes.NOT_INITIALISED;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.meta.cluster.ClusterCommand.CreateFlavor;
import io.keel.meta.cluster.ClusterCommand.DeleteFlavor;
import org.junit.jupiter.api.Test;

class FlavorCommandsTest {
    private static CreateFlavor flavor(String name, int vcpus, int ramMiB) {
        return new CreateFlavor(new Flavor(name, vcpus, ramMiB));
    }

    @Test
    void aFlavorIsStoredWithoutAComputeCluster() {
        Harness h = Harness.withNodes(1);
        assertThat(h.applied(flavor("db-large", 16, 65536))).isEqualTo("db-large");
        assertThat(h.state().flavor("db-large")).contains(new Flavor("db-large", 16, 65536));
        assertThat(h.state().flavor("db-large").orElseThrow().ramBytes()).isEqualTo(64L << 30);
    }

    @Test
    void theBoundsAreInclusive() {
        Harness h = Harness.withNodes(1);
        h.applied(flavor("smallest", 1, 64));
        h.applied(flavor("largest", 256, 4 << 20));
        assertThat(h.state().flavors()).extracting(Flavor::name).containsExactly("largest", "smallest");
    }

    @Test
    void valuesOutOfBoundsAreRefusedWithTheRule() {
        Harness h = Harness.withNodes(1);
        assertThat(h.rejected(flavor("z", 0, 512), INVALID)).isEqualTo("flavor \"z\": vCPUs must be 1-256, got 0");
        assertThat(h.rejected(flavor("z", 257, 512), INVALID)).contains("vCPUs must be 1-256, got 257");
        assertThat(h.rejected(flavor("z", 1, 60), INVALID))
                .isEqualTo("flavor \"z\": RAM must be 64 MiB to 4 TiB, got 60 MiB");
        assertThat(h.rejected(flavor("z", 1, (4 << 20) + 4), INVALID)).contains("RAM must be 64 MiB to 4 TiB");
        assertThat(h.rejected(flavor("z", 1, 66), INVALID))
                .isEqualTo("flavor \"z\": RAM must be a multiple of 4 MiB, got 66 MiB");
    }

    @Test
    void namesFollowThePolicyRule() {
        Harness h = Harness.withNodes(1);
        assertThat(h.rejected(flavor("a b", 1, 512), INVALID)).startsWith("flavor name \"a b\" is not valid");
        assertThat(h.rejected(flavor("-x", 1, 512), INVALID)).startsWith("flavor name \"-x\" is not valid");
        assertThat(h.rejected(flavor("a.b", 1, 512), INVALID)).startsWith("flavor name \"a.b\" is not valid");
        assertThat(h.rejected(new CreateFlavor(null), INVALID)).isEqualTo("flavor is required");
    }

    @Test
    void aDuplicateNameIsAConflictSayingWhatExists() {
        Harness h = Harness.withNodes(1);
        h.applied(flavor("web", 2, 4096));
        assertThat(h.rejected(flavor("web", 1, 512), CONFLICT))
                .isEqualTo("flavor \"web\" already exists (2 vCPUs, 4096 MiB RAM): delete it first or choose another"
                        + " name");
    }

    @Test
    void deleteRemovesAndUnknownIsNotFound() {
        Harness h = Harness.withNodes(1);
        h.applied(flavor("web", 2, 4096));
        assertThat(h.applied(new DeleteFlavor("web"))).isEqualTo("web");
        assertThat(h.state().flavors()).isEmpty();
        assertThat(h.rejected(new DeleteFlavor("web"), NOT_FOUND)).isEqualTo("no flavor \"web\"");
        assertThat(h.rejected(new DeleteFlavor(null), INVALID)).isEqualTo("flavor name is required");
    }

    @Test
    void needsAnInitialisedCluster() {
        assertThat(new Harness().rejected(flavor("web", 1, 512), NOT_INITIALISED)).contains("not initialised");
    }
}
