package io.keel.node.service;

import io.keel.meta.cluster.NodeRecord;
import java.io.IOException;

/** A GET of another node's internal API with this node's credential; the answer's body, or why not. */
@FunctionalInterface
public interface PeerCall {
    String get(NodeRecord node, String path) throws IOException, InterruptedException;
}
