package io.keel.api.dto;

/**
 * One node's share of rebuilding, node to node: chunks its healer found needing repair in its last
 * round, chunks and bytes it rebuilt since it started, and its rebuild rate over the last sampling
 * step in bytes per second.
 */
public record NodeRebuildView(long pendingChunks, long chunksRebuilt, long bytesRebuilt, double bytesPerSecond) {}
