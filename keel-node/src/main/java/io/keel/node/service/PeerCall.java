package io.keel.node.service;

import io.keel.meta.cluster.NodeRecord;
import java.io.IOException;

/** Calls of another node's internal API with this node's credential. */
public interface PeerCall {
    /** A node's answer: its HTTP status and body (an error body for a status other than 2xx). */
    record Reply(int status, String body) {
        public boolean ok() {
            return status / 100 == 2;
        }
    }

    /** A GET; the answer's body, or an IOException saying why not (a status other than 200 included). */
    String get(NodeRecord node, String path) throws IOException, InterruptedException;

    /** A POST of a JSON body; whatever the node answered, or an IOException when it could not be reached. */
    Reply post(NodeRecord node, String path, String json) throws IOException, InterruptedException;
}
