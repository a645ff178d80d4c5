package io.keel.node.service;

import io.keel.api.ApiException;
import io.keel.meta.cluster.ClusterCommand;
import java.time.Clock;
import java.time.Duration;

/**
 * Deletes a volume whose last writer has just gone: the NBD server gives its write lease back when
 * its last connection closes, a moment after QEMU exits, and until then the deletion is refused.
 */
final class VolumeDeletion {
    private static final Duration RETRY = Duration.ofMillis(250);

    private VolumeDeletion() {}

    static void deleteWhenReleased(MetaGateway meta, String volumeId, Clock clock, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            try {
                meta.submit(new ClusterCommand.DeleteVolume(volumeId, clock.instant()));
                return;
            } catch (ApiException e) {
                boolean leased = e.status() == 409 && e.getMessage().contains("open for writing");
                if (!leased || System.nanoTime() >= deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(RETRY);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ApiException.conflict("interrupted while deleting volume " + volumeId);
            }
        }
    }
}
