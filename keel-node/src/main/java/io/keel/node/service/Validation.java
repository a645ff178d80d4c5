package io.keel.node.service;

import io.keel.api.ApiException;
import io.keel.meta.cluster.Names;

/** Checks input before it reaches Raft, so bad input is refused even while the quorum is lost. */
final class Validation {
    private Validation() {}

    static void clusterName(String name) {
        Names.validateClusterName(name).ifPresent(reason -> {
            throw ApiException.invalid(reason);
        });
    }

    static void nodeName(String name) {
        Names.validateNodeName(name).ifPresent(reason -> {
            throw ApiException.invalid(reason);
        });
    }
}
