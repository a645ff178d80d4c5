package io.keel.node.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.block.BlockIoException;
import io.keel.storage.volume.LeaseHeldException;
import io.keel.storage.volume.VolumeHandle;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StandbyBlockDeviceTest {
    private final byte[] disk = new byte[8192];
    private final List<VolumeHandle> taken = new ArrayList<>();
    private final List<VolumeHandle> givenBack = new ArrayList<>();
    private final AtomicInteger closed = new AtomicInteger();

    private StandbyBlockDevice device(StandbyBlockDevice.Leaser leaser) {
        return new StandbyBlockDevice(new MemoryVolume(disk, false, 0), leaser, new IoMeters(new SimpleMeterRegistry()),
                closed::incrementAndGet);
    }

    private StandbyBlockDevice.Leaser leaser() {
        return new StandbyBlockDevice.Leaser() {
            @Override
            public VolumeHandle take() {
                VolumeHandle h = new MemoryVolume(disk, true, 7);
                taken.add(h);
                return h;
            }

            @Override
            public void giveBack(VolumeHandle handle) {
                givenBack.add(handle);
            }
        };
    }

    @Test
    void readsNeedNoLeaseAndTheFirstWriteTakesIt() throws Exception {
        disk[100] = 42;
        StandbyBlockDevice d = device(leaser());
        ByteBuffer b = ByteBuffer.allocate(4096);
        d.read(0, b);
        assertThat(b.get(100)).isEqualTo((byte) 42);
        d.flush(); // nothing of this client's to make durable
        assertThat(taken).isEmpty();
        assertThat(d.active()).isFalse();

        d.write(4096, ByteBuffer.wrap(new byte[] {1, 2, 3}), false);
        assertThat(taken).hasSize(1);
        assertThat(disk[4097]).isEqualTo((byte) 2);
        d.writeZeroes(4096, 1, true);
        d.activate();
        assertThat(taken).hasSize(1); // one lease, taken once
        ByteBuffer after = ByteBuffer.allocate(3);
        d.read(4096, after);
        assertThat(after.array()).containsExactly(0, 2, 3);

        d.close();
        d.close();
        assertThat(givenBack).containsExactlyElementsOf(taken);
        assertThat(closed).hasValue(1);
    }

    @Test
    void aStandbyClosedBeforeAnyWriteNeverTakesTheLease() {
        StandbyBlockDevice d = device(leaser());
        d.close();
        assertThat(taken).isEmpty();
        assertThat(givenBack).isEmpty();
        assertThat(closed).hasValue(1);
        assertThatThrownBy(() -> d.write(0, ByteBuffer.allocate(1), false)).isInstanceOf(BlockIoException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void theLeaseIsWaitedForWhileTheSourceLetsGoOfIt() throws Exception {
        AtomicInteger tries = new AtomicInteger();
        VolumeHandle h = VolumeExports.waitForLease("v1", () -> {
            if (tries.incrementAndGet() < 4) {
                throw new LeaseHeldException("v1", "n2", Instant.EPOCH);
            }
            return new MemoryVolume(disk, true, 9);
        }, Duration.ofSeconds(10), 1);
        assertThat(h.epoch()).isEqualTo(9);
        assertThat(tries).hasValue(4);
    }

    @Test
    void aLeaseHeldLongerThanTheWaitFailsTheWriteWithEio() {
        AtomicInteger tries = new AtomicInteger();
        assertThatThrownBy(() -> VolumeExports.waitForLease("v1", () -> {
            tries.incrementAndGet();
            throw new LeaseHeldException("v1", "n2", Instant.EPOCH);
        }, Duration.ofMillis(30), 1))
                .isInstanceOfSatisfying(BlockIoException.class,
                        e -> assertThat(e.kind()).isEqualTo(BlockIoException.Kind.EIO))
                .hasMessageContaining("is open for writing by n2").hasMessageContaining("still held after 30 ms");
        assertThat(tries.get()).isGreaterThan(1);
    }
}
