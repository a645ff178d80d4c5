package io.keel.storage.volume;

import io.keel.storage.chunk.DiskFullException;
import io.keel.storage.chunk.InvalidRequestException;
import io.keel.storage.chunk.StaleEpochException;
import java.util.List;
import java.util.stream.Collectors;

/** Turns replica failures into the volume errors a block protocol reports. */
final class Failures {
    private Failures() {}

    static VolumeIoException.Kind kindOf(Throwable e) {
        return switch (e) {
            case DiskFullException d -> VolumeIoException.Kind.ENOSPC;
            case InvalidRequestException i -> VolumeIoException.Kind.EINVAL;
            case VolumeIoException v -> v.kind();
            default -> VolumeIoException.Kind.EIO;
        };
    }

    static StaleEpochException staleEpoch(List<ReplicaIo.Outcome> outcomes) {
        for (ReplicaIo.Outcome o : outcomes) {
            if (o.error() instanceof StaleEpochException s) {
                return s;
            }
        }
        return null;
    }

    /**
     * The error for an operation that failed on every replica: ENOSPC only when every replica
     * was full, since a single full disk among broken ones is not the client's problem to solve.
     */
    static VolumeIoException allFailed(String what, String volumeId, long index, List<ReplicaIo.Outcome> failed) {
        VolumeIoException.Kind kind = VolumeIoException.Kind.EIO;
        if (!failed.isEmpty() && failed.stream().allMatch(o -> kindOf(o.error()) == VolumeIoException.Kind.ENOSPC)) {
            kind = VolumeIoException.Kind.ENOSPC;
        } else if (failed.stream().anyMatch(o -> kindOf(o.error()) == VolumeIoException.Kind.EINVAL)) {
            kind = VolumeIoException.Kind.EINVAL;
        }
        VolumeIoException e = new VolumeIoException(kind, what + " failed on every replica of chunk " + index
                + " of volume " + volumeId + ": " + describe(failed));
        failed.forEach(o -> e.addSuppressed(o.error()));
        return e;
    }

    static String describe(List<ReplicaIo.Outcome> failed) {
        return failed.stream().map(o -> o.replica() + " (" + o.error().getMessage() + ")")
                .collect(Collectors.joining(", "));
    }
}
