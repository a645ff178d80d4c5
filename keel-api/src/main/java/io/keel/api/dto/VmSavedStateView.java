package io.keel.api.dto;

import java.time.Instant;

/**
 * The saved machine state of a suspended VM, or of one being suspended (ADR 0021): the volume it is
 * in, {@code saved} once all of it is there, {@code stateBytes} written (so far), {@code progress}
 * as a percent of the guest's RAM while saving (QEMU skips zero pages, so a save may finish well
 * below 100), and {@code saveMillis} once saved.
 */
public record VmSavedStateView(String volume, String volumeName, boolean saved, long stateBytes, long ramBytes,
        int progress, Instant requestedAt, Long saveMillis) {}
