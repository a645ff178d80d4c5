package io.keel.meta.cluster;

import java.util.Locale;

/** No two pieces of one chunk may share one of these. Ordered from smallest to largest. */
public enum FailureDomain {
    DISK, HOST, RACK, ROW, ROOM;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
