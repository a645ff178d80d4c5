package io.keel.node.s3;

import io.keel.meta.cluster.ClusterCommand;
import io.keel.meta.cluster.VolumeCommands;
import io.keel.node.service.MetaGateway;
import io.keel.node.storage.StorageStack;
import io.keel.s3store.data.DataVolumes;
import io.keel.storage.volume.LeaseHeldException;
import io.keel.storage.volume.VolumeException;
import io.keel.storage.volume.VolumeHandle;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The S3 gateway's data volumes on this node (ADR 0042): created in the metadata under the S3
 * cluster's storage policy, written through the node's shared write handles (so the healer
 * repairs them like any volume this node writes), read without a lease from any node.
 */
final class NodeDataVolumes implements DataVolumes {
    private final MetaGateway meta;
    private final StorageStack storage;
    private final String policy;
    private final Clock clock;
    private final SecureRandom random;

    NodeDataVolumes(MetaGateway meta, StorageStack storage, String policy, Clock clock, SecureRandom random) {
        this.meta = Objects.requireNonNull(meta, "meta");
        this.storage = Objects.requireNonNull(storage, "storage");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public String create(String name, long sizeBytes) throws IOException {
        String id = "v" + HexFormat.of().toHexDigits(random.nextLong()).substring(1);
        try {
            meta.submit(new ClusterCommand.CreateVolume(id, name, sizeBytes, VolumeCommands.DEFAULT_CHUNK, policy,
                    clock.instant()));
        } catch (RuntimeException e) {
            throw new IOException("cannot create S3 data volume " + name + ": " + e.getMessage(), e);
        }
        return id;
    }

    @Override
    public VolumeHandle openWritable(String volumeId) throws IOException {
        try {
            return storage.writableHandle(volumeId);
        } catch (LeaseHeldException e) {
            // As it is: the data layer then starts a volume of its own.
            throw e;
        } catch (VolumeException e) {
            throw new IOException("cannot open S3 data volume " + volumeId + " for writing: " + e.getMessage(), e);
        }
    }

    @Override
    public VolumeHandle openReadOnly(String volumeId) throws IOException {
        try {
            return storage.readOnlyHandle(volumeId);
        } catch (VolumeException e) {
            throw new IOException("cannot open S3 data volume " + volumeId + ": " + e.getMessage(), e);
        }
    }
}
