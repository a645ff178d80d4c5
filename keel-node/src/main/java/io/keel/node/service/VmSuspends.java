package io.keel.node.service;

import io.keel.api.ApiException;
import io.keel.api.dto.VmSavedStateView;
import io.keel.meta.cluster.ClusterCommand;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.StoragePolicy;
import io.keel.meta.cluster.Vm;
import io.keel.meta.cluster.VmSavedState;
import io.keel.meta.cluster.Volume;
import io.keel.meta.cluster.VolumeCommands;
import java.time.Instant;

/** What the API decides for a suspend (ADR 0021): the state volume's name, size and policy; and the view. */
final class VmSuspends {
    private static final long MIB = 1L << 20;
    private static final int MAX_NAME = 63;

    private VmSuspends() {}

    /**
     * The state volume is named {@code NAME-state} (or {@code vmstate-ID} when that is too long or
     * taken), takes the boot disk's policy, and is sized RAM plus an eighth plus 64 MiB: QEMU's
     * stream is the RAM pages with an 8-byte header each (zero pages only a header) and the device
     * state, a few MiB. It is thin, so only the bytes written take space.
     */
    static ClusterCommand.SuspendVm command(ClusterState s, Vm v, String volumeId, Instant at) {
        String name = v.name() + "-state";
        if (name.length() > MAX_NAME || s.volumeByIdOrName(name).isPresent()) {
            name = "vmstate-" + v.id();
        }
        String policy = policy(s, v);
        return new ClusterCommand.SuspendVm(v.id(), new ClusterCommand.CreateVolume(volumeId, name, size(v.ramBytes()),
                VolumeCommands.DEFAULT_CHUNK, policy, at), at);
    }

    /**
     * The state volume of memory snapshot {@code snapshotName} (ADR 0024): sized and placed like a
     * suspend's, named {@code NAME-snap-SNAPSHOT-state} (or {@code vmsnap-ID-state}).
     */
    static ClusterCommand.CreateVolume snapshotStateVolume(ClusterState s, Vm v, String snapshotName,
            String snapshotId, Instant at) {
        String name = v.name() + "-snap-" + snapshotName + "-state";
        if (name.length() > MAX_NAME || s.volumeByIdOrName(name).isPresent()) {
            name = "vmsnap-" + snapshotId + "-state";
        }
        return new ClusterCommand.CreateVolume(snapshotId + "-state", name, size(v.ramBytes()),
                VolumeCommands.DEFAULT_CHUNK, policy(s, v), at);
    }

    private static String policy(ClusterState s, Vm v) {
        String policy = v.disks().isEmpty() ? null
                : s.volume(v.disks().getFirst().volumeId()).map(Volume::policy).orElse(null);
        if (policy == null) {
            // A replicated one: a diskless VM's saved state has no policy of its own to follow.
            policy = s.policies().stream().filter(p -> !p.erasureCoded()).map(StoragePolicy::name).findFirst()
                    .orElseThrow(() -> ApiException.conflict("the cluster has no replicated storage policy for VM "
                            + v.name() + "'s saved state"));
        }
        return policy;
    }

    static long size(long ramBytes) {
        long want = ramBytes + ramBytes / 8 + 64 * MIB;
        return (want + MIB - 1) / MIB * MIB;
    }

    static VmSavedStateView view(ClusterState s, VmSavedState x) {
        String volumeName = s.volume(x.volumeId()).map(Volume::name).orElse("(deleted)");
        int progress = x.saved() ? 100 : x.ramBytes() <= 0 ? 0 : (int) Math.min(99, x.stateBytes() * 100 / x.ramBytes());
        return new VmSavedStateView(x.volumeId(), volumeName, x.saved(), x.stateBytes(), x.ramBytes(), progress,
                x.requestedAt(), x.saveMillis());
    }
}
