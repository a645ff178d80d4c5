package io.keel.node.compute;

import io.keel.storage.volume.ReplicaRef;
import io.keel.storage.volume.VolumeHandle;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Supplier;

/** A volume's write handle that only quiesces, noting when it pauses and resumes writes. */
record FakeWriter(String volumeId, long epoch, List<String> events) implements VolumeHandle {
    @Override
    public <T> T quiesce(Supplier<T> action) {
        events.add("quiesce " + volumeId);
        try {
            return action.get();
        } finally {
            events.add("resume " + volumeId);
        }
    }

    @Override
    public long size() {
        return 1 << 30;
    }

    @Override
    public int chunkSize() {
        return 64 << 20;
    }

    @Override
    public boolean writable() {
        return true;
    }

    @Override
    public void read(long offset, ByteBuffer dst) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void write(long offset, ByteBuffer src, boolean fua) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void writeZeroes(long offset, long length, boolean fua) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void flush() {}

    @Override
    public void refresh() {}

    @Override
    public RepairOutcome repair(long index, List<ReplicaRef> remove, int add) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void repairBlocks(long index, ReplicaRef replica, List<Integer> blocks) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean isClosed() {
        return false;
    }

    @Override
    public void close() {}
}
