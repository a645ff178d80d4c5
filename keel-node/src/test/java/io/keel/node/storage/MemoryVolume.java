package io.keel.node.storage;

import io.keel.storage.volume.ReplicaRef;
import io.keel.storage.volume.VolumeHandle;
import io.keel.storage.volume.VolumeIoException;
import java.nio.ByteBuffer;
import java.util.List;

/** A volume in memory: several handles share one array, as handles of one volume share its chunks. */
final class MemoryVolume implements VolumeHandle {
    private final byte[] data;
    private final boolean writable;
    private final long epoch;
    private boolean closed;

    MemoryVolume(byte[] data, boolean writable, long epoch) {
        this.data = data;
        this.writable = writable;
        this.epoch = epoch;
    }

    @Override public String volumeId() { return "v1"; }
    @Override public long size() { return data.length; }
    @Override public int chunkSize() { return data.length; }
    @Override public boolean writable() { return writable; }
    @Override public long epoch() { return epoch; }

    @Override
    public synchronized void read(long offset, ByteBuffer dst) {
        check();
        dst.put(data, (int) offset, dst.remaining());
    }

    @Override
    public synchronized void write(long offset, ByteBuffer src, boolean fua) {
        check();
        if (!writable) {
            throw new VolumeIoException(VolumeIoException.Kind.EROFS, "read-only");
        }
        src.get(data, (int) offset, src.remaining());
    }

    @Override
    public synchronized void writeZeroes(long offset, long length, boolean fua) {
        write(offset, ByteBuffer.allocate((int) length), fua);
    }

    @Override public void flush() { check(); }
    @Override public void refresh() {}
    @Override public RepairOutcome repair(long index, List<ReplicaRef> remove, int add) { throw new UnsupportedOperationException(); }
    @Override public void repairBlocks(long index, ReplicaRef replica, List<Integer> blocks) { throw new UnsupportedOperationException(); }
    @Override public synchronized boolean isClosed() { return closed; }
    @Override public synchronized void close() { closed = true; }

    private synchronized void check() {
        if (closed) {
            throw new VolumeIoException(VolumeIoException.Kind.EIO, "closed");
        }
    }
}
