package io.keel.s3store.data;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link VolumeObjectData} lays out object bytes.
 *
 * @param writerId          this gateway's name in the {@link ReservationLog}: one live instance per id
 * @param volumeSize        logical size of each data volume; volumes are thin, so this bounds only
 *                          the address space one volume offers before the next is created
 * @param packThreshold     bodies shorter than this are packed at 4 KiB-aligned offsets; longer
 *                          ones get chunk-aligned extents
 * @param reservationStep   how far past the current need one reservation reaches, so that one
 *                          durable record covers many allocations
 * @param bufferSize        bytes read from a body and written to the volume at a time (4 KiB multiple)
 * @param writeDepth        buffers of one large body being written while the next is read; a
 *                          large PUT holds {@code writeDepth + 1} buffers
 * @param unknownSizeExtent extent reserved for a large body whose size is not announced; the unused
 *                          tail is address space only, never allocated storage
 * @param releaseGrace      how long a released range stays readable before it is trimmed: a GET
 *                          that began on the old version streams it to the end (ADR 0056)
 */
public record VolumeDataOptions(String writerId, long volumeSize, int packThreshold, long reservationStep,
        int bufferSize, int writeDepth, long unknownSizeExtent, Duration releaseGrace) {

    public static final long DEFAULT_VOLUME_SIZE = 1L << 40;
    public static final int DEFAULT_PACK_THRESHOLD = 1 << 20;
    public static final long DEFAULT_RESERVATION_STEP = 1L << 30;
    public static final int DEFAULT_BUFFER_SIZE = 4 << 20;
    public static final int DEFAULT_WRITE_DEPTH = 1;
    public static final long DEFAULT_UNKNOWN_SIZE_EXTENT = 256L << 20;
    public static final Duration DEFAULT_RELEASE_GRACE = Duration.ofSeconds(60);

    public VolumeDataOptions {
        Objects.requireNonNull(writerId, "writerId");
        if (writerId.isEmpty()) {
            throw new IllegalArgumentException("writerId is empty");
        }
        if (packThreshold < VolumeObjectData.BLOCK) {
            throw new IllegalArgumentException("packThreshold must be at least 4 KiB: " + packThreshold);
        }
        if (bufferSize < VolumeObjectData.BLOCK || bufferSize % VolumeObjectData.BLOCK != 0) {
            throw new IllegalArgumentException("bufferSize must be a positive multiple of 4 KiB: " + bufferSize);
        }
        if (writeDepth < 1) {
            throw new IllegalArgumentException("writeDepth must be at least 1: " + writeDepth);
        }
        if (reservationStep < packThreshold) {
            throw new IllegalArgumentException("reservationStep must cover at least one packed body: "
                    + reservationStep);
        }
        if (volumeSize < reservationStep) {
            throw new IllegalArgumentException("volumeSize must hold at least one reservation: " + volumeSize);
        }
        if (unknownSizeExtent <= 0) {
            throw new IllegalArgumentException("unknownSizeExtent must be positive: " + unknownSizeExtent);
        }
        Objects.requireNonNull(releaseGrace, "releaseGrace");
        if (releaseGrace.isNegative()) {
            throw new IllegalArgumentException("releaseGrace must not be negative: " + releaseGrace);
        }
    }

    /**
     * 1 TiB volumes, 1 MiB packing threshold, 1 GiB reservations, 4 MiB buffers (one written while
     * the next is read), 256 MiB unknown-size extents, released ranges readable for 60 s.
     */
    public static VolumeDataOptions defaults(String writerId) {
        return new VolumeDataOptions(writerId, DEFAULT_VOLUME_SIZE, DEFAULT_PACK_THRESHOLD, DEFAULT_RESERVATION_STEP,
                DEFAULT_BUFFER_SIZE, DEFAULT_WRITE_DEPTH, DEFAULT_UNKNOWN_SIZE_EXTENT, DEFAULT_RELEASE_GRACE);
    }

    public VolumeDataOptions withVolumeSize(long bytes) {
        return new VolumeDataOptions(writerId, bytes, packThreshold, reservationStep, bufferSize, writeDepth,
                unknownSizeExtent, releaseGrace);
    }

    public VolumeDataOptions withPackThreshold(int bytes) {
        return new VolumeDataOptions(writerId, volumeSize, bytes, reservationStep, bufferSize, writeDepth,
                unknownSizeExtent, releaseGrace);
    }

    public VolumeDataOptions withReservationStep(long bytes) {
        return new VolumeDataOptions(writerId, volumeSize, packThreshold, bytes, bufferSize, writeDepth,
                unknownSizeExtent, releaseGrace);
    }

    public VolumeDataOptions withBufferSize(int bytes) {
        return new VolumeDataOptions(writerId, volumeSize, packThreshold, reservationStep, bytes, writeDepth,
                unknownSizeExtent, releaseGrace);
    }

    public VolumeDataOptions withWriteDepth(int buffers) {
        return new VolumeDataOptions(writerId, volumeSize, packThreshold, reservationStep, bufferSize, buffers,
                unknownSizeExtent, releaseGrace);
    }

    public VolumeDataOptions withUnknownSizeExtent(long bytes) {
        return new VolumeDataOptions(writerId, volumeSize, packThreshold, reservationStep, bufferSize,
                writeDepth, bytes, releaseGrace);
    }

    public VolumeDataOptions withReleaseGrace(Duration grace) {
        return new VolumeDataOptions(writerId, volumeSize, packThreshold, reservationStep, bufferSize, writeDepth,
                unknownSizeExtent, grace);
    }
}
