package io.keel.node.iscsi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.api.ApiException;
import io.keel.iscsi.scsi.ReservationStore.Stored;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class MetaReservationStoreTest {
    /** A metadata replica in memory: every change moves the applied index, as Raft entries do. */
    private static class Replica implements MetaReservationStore.Metadata {
        boolean local = true;
        long applied = 10;
        Optional<Stored> stored = Optional.empty();
        int reads;

        void change(Stored s) {
            stored = Optional.of(s);
            applied++;
        }

        @Override
        public OptionalLong localAppliedIndex() {
            return local ? OptionalLong.of(applied) : OptionalLong.empty();
        }

        @Override
        public Optional<Stored> reservation(String volumeId) {
            reads++;
            return stored;
        }

        @Override
        public void replace(String volumeId, long expectedVersion, String state) {
            long current = stored.map(Stored::version).orElse(0L);
            if (current != expectedVersion) {
                throw new ApiException(409, "CONFLICT", "version " + current);
            }
            change(new Stored(current + 1, state));
        }
    }

    private final Replica replica = new Replica();
    private final MetaReservationStore store = new MetaReservationStore(replica, "v1",
            Clock.fixed(Instant.parse("2026-12-05T00:00:00Z"), ZoneOffset.UTC));

    @Test
    void theLocalReplicaIsReadOnlyWhenItsAppliedIndexHasMoved() {
        for (int i = 0; i < 100; i++) {
            assertThat(store.load()).isEmpty();
        }
        assertThat(replica.reads).isEqualTo(1);

        // A registration made through another node's target reaches this replica as a new entry.
        replica.change(new Stored(1, "registered elsewhere"));
        assertThat(store.load()).contains(new Stored(1, "registered elsewhere"));
        assertThat(store.load()).contains(new Stored(1, "registered elsewhere"));
        assertThat(replica.reads).isEqualTo(2);

        // Entries about anything else move the index too: read again, same answer.
        replica.applied++;
        assertThat(store.load()).contains(new Stored(1, "registered elsewhere"));
        assertThat(replica.reads).isEqualTo(3);
    }

    @Test
    void aReplaceIsSeenByTheNextLoadAndALostRaceReadsAfresh() {
        assertThat(store.load()).isEmpty();
        assertThat(store.replace(0, "mine")).isTrue();
        assertThat(store.load()).contains(new Stored(1, "mine"));

        assertThat(store.replace(0, "stale")).isFalse();
        assertThat(store.load()).contains(new Stored(1, "mine"));
    }

    @Test
    void withoutALocalReplicaWhatWasReadIsKeptForTheRefreshPeriod() {
        replica.local = false;
        assertThat(store.load()).isEmpty();
        replica.change(new Stored(1, "elsewhere"));
        // The clock is fixed: still within REMOTE_REFRESH of the first read.
        assertThat(store.load()).isEmpty();
        assertThat(replica.reads).isEqualTo(1);
        assertThat(store.replace(1, "next")).isTrue();
        assertThat(store.load()).contains(new Stored(2, "next"));
    }

    @Test
    void aStoreFailureOtherThanAConflictFailsTheCommand() {
        MetaReservationStore failing = new MetaReservationStore(new Replica() {
            @Override
            public void replace(String volumeId, long expectedVersion, String state) {
                throw new ApiException(503, "NO_QUORUM", "metadata quorum lost");
            }
        }, "v1", Clock.systemUTC());
        assertThatThrownBy(() -> failing.replace(0, "x")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("metadata quorum lost");
    }
}
