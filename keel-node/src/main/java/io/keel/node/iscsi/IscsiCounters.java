package io.keel.node.iscsi;

import io.keel.block.BlockIoException;
import io.keel.iscsi.scsi.LunBackend;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * I/O served by this node's targets, per target IQN, since the node started: the API's target
 * view and the metrics ({@code keel_iscsi_*_total}) read the same counters. Counting wraps the
 * LUN's backend, so only I/O that reached the volume counts.
 */
public final class IscsiCounters {
    private final MeterRegistry registry;
    private final Map<String, Target> byIqn = new ConcurrentHashMap<>();

    private static final class Target {
        final LongAdder readOps = new LongAdder();
        final LongAdder writeOps = new LongAdder();
        final LongAdder readBytes = new LongAdder();
        final LongAdder writeBytes = new LongAdder();
    }

    public IscsiCounters(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    private Target target(String iqn) {
        return byIqn.computeIfAbsent(iqn, k -> {
            Target t = new Target();
            FunctionCounter.builder("keel_iscsi_read_ops", t.readOps, LongAdder::sum).tag("target", k)
                    .description("SCSI reads served by this node's target").register(registry);
            FunctionCounter.builder("keel_iscsi_write_ops", t.writeOps, LongAdder::sum).tag("target", k)
                    .description("SCSI writes served by this node's target").register(registry);
            FunctionCounter.builder("keel_iscsi_read_bytes", t.readBytes, LongAdder::sum).tag("target", k)
                    .baseUnit("bytes").register(registry);
            FunctionCounter.builder("keel_iscsi_write_bytes", t.writeBytes, LongAdder::sum).tag("target", k)
                    .baseUnit("bytes").register(registry);
            return t;
        });
    }

    /** The counters of every target this node served, by IQN. */
    public Map<String, TargetCounters> snapshot(java.util.function.ToIntFunction<String> sessions) {
        Map<String, TargetCounters> out = new java.util.HashMap<>();
        byIqn.forEach((iqn, t) -> out.put(iqn, new TargetCounters(sessions.applyAsInt(iqn), t.readOps.sum(),
                t.writeOps.sum(), t.readBytes.sum(), t.writeBytes.sum())));
        return out;
    }

    LunBackend wrap(String iqn, LunBackend backend) {
        Target t = target(iqn);
        return new LunBackend() {
            @Override
            public long size() {
                return backend.size();
            }

            @Override
            public int blockSize() {
                return backend.blockSize();
            }

            @Override
            public boolean readOnly() {
                return backend.readOnly();
            }

            @Override
            public String uniqueId() {
                return backend.uniqueId();
            }

            @Override
            public void read(long offset, ByteBuffer dst) throws BlockIoException {
                int n = dst.remaining();
                backend.read(offset, dst);
                t.readOps.increment();
                t.readBytes.add(n);
            }

            @Override
            public void write(long offset, ByteBuffer src, boolean fua) throws BlockIoException {
                int n = src.remaining();
                backend.write(offset, src, fua);
                t.writeOps.increment();
                t.writeBytes.add(n);
            }

            @Override
            public void flush() throws BlockIoException {
                backend.flush();
            }

            @Override
            public void unmap(long offset, long length) throws BlockIoException {
                backend.unmap(offset, length);
            }

            @Override
            public void close() throws BlockIoException {
                backend.close();
            }
        };
    }
}
