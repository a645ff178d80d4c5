package io.keel.node.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.meta.cluster.ChunkRecord;
import io.keel.meta.cluster.ChunkReplica;
import io.keel.storage.chunk.ChunkId;
import io.keel.storage.volume.ErasureShape;
import io.keel.storage.volume.ReplicaRef;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The metadata (collector, audit) and the data path (writer, reader) name fragment copies by two
 * implementations of one rule; they must agree, or the collector deletes live fragments.
 */
class FragmentNamingTest {
    @Test
    void theMetadataAndTheDataPathNameAFragmentAlike() {
        ChunkRecord r = new ChunkRecord(7, "v0123456789abcde-2", 3, List.of(new ChunkReplica("n1", "d1", 4)));
        for (int f = 0; f < ErasureShape.MAX_FRAGMENTS; f++) {
            ChunkReplica meta = new ChunkReplica("n1", "d1", f);
            ChunkId data = ErasureShape.fragmentId(new ChunkId(r.storageId(), r.index()), f);
            assertThat(data.volumeId()).isEqualTo(r.storageIdOf(meta));
            assertThat(MetaVolumeCatalog.toMeta(MetaVolumeCatalog.toRef(meta))).isEqualTo(meta);
        }
        ChunkReplica whole = new ChunkReplica("n1", "d1");
        assertThat(r.storageIdOf(whole)).isEqualTo(r.storageId());
        assertThat(MetaVolumeCatalog.toRef(whole).fragment()).isEqualTo(ReplicaRef.WHOLE);
        assertThat(MetaVolumeCatalog.toMeta(MetaVolumeCatalog.toRef(whole))).isEqualTo(whole);
    }
}
