package io.keel.node.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.keel.api.dto.PeerView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Objects;

/**
 * Who this node is in which cluster, kept in {@code <dataDir>/identity.json} (mode 0600: it
 * holds the node credential). Its presence is what makes a restart a resume rather than a new
 * bootstrap or join. {@code peers} is the last known metadata group, enough to reach it again.
 */
public record NodeIdentity(
        String clusterId,
        String nodeId,
        String nodeSecret,
        String raftGroupId,
        List<PeerView> peers) {

    public static final String FILE = "identity.json";

    public NodeIdentity {
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(nodeSecret, "nodeSecret");
        Objects.requireNonNull(raftGroupId, "raftGroupId");
        peers = List.copyOf(peers);
    }

    public NodeIdentity withPeers(List<PeerView> newPeers) {
        return new NodeIdentity(clusterId, nodeId, nodeSecret, raftGroupId, newPeers);
    }

    public static boolean exists(Path dataDir) {
        return Files.isRegularFile(dataDir.resolve(FILE));
    }

    public static NodeIdentity load(Path dataDir) throws IOException {
        Path f = dataDir.resolve(FILE);
        try {
            return new ObjectMapper().readValue(f.toFile(), NodeIdentity.class);
        } catch (IOException e) {
            throw new IOException("cannot read node identity " + f + ": " + e.getMessage(), e);
        }
    }

    /** Written to a temporary file and moved into place, so a crash never leaves half a file. */
    public void save(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        Path tmp = dataDir.resolve(FILE + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), this);
        Files.move(tmp, dataDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public String toString() {
        return "NodeIdentity[clusterId=" + clusterId + ", nodeId=" + nodeId + "]";
    }
}
