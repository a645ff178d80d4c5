package io.keel.s3store.data;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** How {@link VolumeObjectData} behaves when its reservation log fails, loses an answer, or is overtaken. */
@Timeout(value = 20, unit = SECONDS)
class VolumeObjectDataReservationTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path root;

    private StorageFixture storage;
    private final InMemoryIndexShard shard = new InMemoryIndexShard();
    private final ReservationLog reservations = new IndexShardReservationLog(shard);
    private VolumeObjectData data;

    @BeforeEach
    void start() {
        storage = new StorageFixture(root, 3);
        VolumeDataOptions options = VolumeDataOptions.defaults("gw1").withBufferSize(MIB)
                .withReservationStep(2L * MIB).withVolumeSize(64L * MIB);
        data = new VolumeObjectData(storage.volumes(storage.client(), "gw1"), reservations, options);
    }

    @AfterEach
    void stop() throws Exception {
        data.close();
        storage.close();
    }

    private static byte[] bytes(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private DataLocation put(byte[] body) throws IOException {
        return data.write(new ByteArrayInputStream(body), body.length);
    }

    private byte[] get(DataLocation loc) throws IOException {
        try (InputStream in = data.open(loc, 0, loc.length())) {
            return in.readAllBytes();
        }
    }

    private static DataLocation.Segment only(DataLocation loc) {
        assertThat(loc.segments()).hasSize(1);
        return loc.segments().getFirst();
    }

    @Test
    void noOffsetIsHandedOutWhileItsReservationCannotBeMade() throws IOException {
        byte[] a = bytes(1, 5000);
        DataLocation la = put(a);
        String volume = only(la).volumeId();
        assertThat(reservations.highWater(volume)).isEqualTo(2L * MIB);

        shard.unavailable(true);
        // 3 MiB reach past the 2 MiB reserved: the PUT fails rather than write unreserved space.
        assertThatThrownBy(() -> put(bytes(2, 3 * MIB))).isInstanceOf(IOException.class)
                .hasMessageContaining("unavailable");
        // Small bodies still fit in what was reserved before.
        byte[] b = bytes(3, 9000);
        DataLocation lb = put(b);
        shard.unavailable(false);

        byte[] c = bytes(4, 3 * MIB);
        DataLocation lc = put(c);
        assertThat(only(lc).volumeId()).isEqualTo(volume);
        assertThat(only(lc).offset() + only(lc).length()).isLessThanOrEqualTo(reservations.highWater(volume));
        assertThat(get(la)).isEqualTo(a);
        assertThat(get(lb)).isEqualTo(b);
        assertThat(get(lc)).isEqualTo(c);
    }

    @Test
    void aReservationWhoseAnswerWasLostIsRetriedInTheSameVolume() throws IOException {
        DataLocation la = put(bytes(1, 100));
        String volume = only(la).volumeId();
        shard.loseNextAnswer();
        assertThatThrownBy(() -> put(bytes(2, 3 * MIB))).isInstanceOf(IOException.class);
        long mark = reservations.highWater(volume);

        byte[] again = bytes(2, 3 * MIB);
        DataLocation retried = put(again);
        assertThat(only(retried).volumeId()).isEqualTo(volume);
        assertThat(reservations.highWater(volume)).isEqualTo(mark);
        assertThat(get(retried)).isEqualTo(again);
    }

    @Test
    void aVolumeWhoseMarkMovedUnderItIsLeftForANewOne() throws IOException {
        byte[] a = bytes(1, 100);
        DataLocation la = put(a);
        String volume = only(la).volumeId();
        // Another writer took the volume over and reserved past this one's mark.
        assertThat(reservations.reserve(volume, 2L * MIB, 10L * MIB)).isEqualTo(10L * MIB);

        byte[] c = bytes(2, 3 * MIB);
        DataLocation lc = put(c);
        assertThat(only(lc).volumeId()).isNotEqualTo(volume);
        assertThat(reservations.activeVolume("gw1")).hasValue(only(lc).volumeId());
        assertThat(reservations.highWater(volume)).isEqualTo(10L * MIB);
        assertThat(get(la)).isEqualTo(a);
        assertThat(get(lc)).isEqualTo(c);
    }

    @Test
    void anotherProcessUnderTheSameWriterIdIsNoticedAtTheSwitch() throws IOException {
        DataLocation la = put(bytes(1, 100));
        assertThat(reservations.activate("gw1", only(la).volumeId(), "elsewhere")).isTrue();
        // This instance's volume fills up (its mark is overtaken) and it tries to switch.
        reservations.reserve(only(la).volumeId(), 2L * MIB, 64L * MIB);
        assertThatThrownBy(() -> put(bytes(2, 3 * MIB))).isInstanceOf(IOException.class)
                .hasMessageContaining("same writer id");
    }

    @Test
    void volumesTooSmallForAChunkRefuseLargeBodiesInsteadOfLooping() throws IOException {
        VolumeDataOptions tiny = VolumeDataOptions.defaults("gw2").withPackThreshold(64 * 1024)
                .withReservationStep(256 * 1024).withVolumeSize(512 * 1024);
        try (VolumeObjectData d = new VolumeObjectData(storage.volumes(storage.client(), "gw2"), reservations, tiny)) {
            byte[] small = bytes(1, 1000);
            DataLocation ls = d.write(new ByteArrayInputStream(small), small.length);
            assertThatThrownBy(() -> d.write(new ByteArrayInputStream(bytes(2, 200_000)), -1))
                    .isInstanceOf(IOException.class).hasMessageContaining("no data volume");
            try (InputStream in = d.open(ls, 0, ls.length())) {
                assertThat(in.readAllBytes()).isEqualTo(small);
            }
        }
    }
}
