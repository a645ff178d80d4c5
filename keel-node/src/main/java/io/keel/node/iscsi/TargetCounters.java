package io.keel.node.iscsi;

/** What one target on one node has served since it started there. */
public record TargetCounters(int sessions, long readOps, long writeOps, long readBytes, long writeBytes) {
    public static final TargetCounters NONE = new TargetCounters(0, 0, 0, 0, 0);
}
