package io.keel.node.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.keel.api.auth.PasswordHasher;
import io.keel.api.auth.SessionTokens;
import io.keel.api.dto.JoinRequest;
import io.keel.api.dto.JoinResponse;
import io.keel.api.dto.PeerView;
import io.keel.meta.cluster.ClusterCodec;
import io.keel.meta.cluster.ClusterCommand;
import io.keel.meta.cluster.ClusterSecrets;
import io.keel.meta.cluster.CommandResult;
import io.keel.meta.cluster.Inventory;
import io.keel.meta.cluster.JoinTokens;
import io.keel.meta.cluster.Location;
import io.keel.meta.cluster.NodeRecord;
import io.keel.meta.cluster.Secrets;
import io.keel.meta.raft.MetaClient;
import io.keel.meta.raft.MetaUnavailableException;
import io.keel.meta.raft.Peer;
import io.keel.node.config.NodeConfig;
import io.keel.node.membership.MetadataHost;
import io.keel.node.service.Credentials;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The two ways a node without an identity enters a cluster: bootstrap a new one, or join one. */
final class ClusterEntry {
    private static final Logger log = LoggerFactory.getLogger(ClusterEntry.class);
    static final String INITIAL_PASSWORD_FILE = "initial-superadmin-password";

    private final NodeConfig config;
    private final Inventory inventory;
    private final SecureRandom random;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    ClusterEntry(NodeConfig config, Inventory inventory, SecureRandom random, Clock clock) {
        this.config = config;
        this.inventory = inventory;
        this.random = random;
        this.clock = clock;
    }

    /**
     * Creates a new cluster with this node as its only metadata member. A bootstrap that died
     * half-way left no identity file, so its metadata directory is discarded and it starts over.
     */
    NodeIdentity bootstrap(MetadataHostFactory hosts) throws IOException {
        String clusterId = UUID.randomUUID().toString();
        String nodeId = UUID.randomUUID().toString();
        String groupId = UUID.randomUUID().toString();
        String nodeSecret = new Credentials(random).newNodeSecret();
        char[] password = superadminPassword();
        ClusterSecrets secrets = new ClusterSecrets(new PasswordHasher().hash(password), SessionTokens.newSigningKey(random));
        Instant now = clock.instant();
        NodeRecord first = new NodeRecord(nodeId, config.name(), config.advertiseAddress(), config.apiPort(),
                config.raftPort(), Secrets.sha256Hex(nodeSecret), now, false, false, Location.DEFAULT_RACK, inventory, Map.of());
        Peer self = new Peer(nodeId, config.advertiseAddress(), config.raftPort());

        deleteRecursively(NodeDaemon.metaDir(config));
        try (MetadataHost host = hosts.create(nodeId, groupId)) {
            host.ensureStarted(List.of(self));
            try (MetaClient client = new MetaClient(groupId, List.of(self), Duration.ofSeconds(10))) {
                ClusterCodec codec = new ClusterCodec();
                byte[] result = client.submit(codec.encode(new ClusterCommand.InitCluster(clusterId, now, secrets,
                        JoinTokens.generate(random, 1, now, JoinTokens.DEFAULT_TTL), first))).result();
                if (codec.decodeResult(result) instanceof CommandResult.Rejected r) {
                    throw new IOException("bootstrap refused: " + r.message());
                }
            } catch (MetaUnavailableException e) {
                throw new IOException("the new metadata service did not elect itself leader: " + e.getMessage(), e);
            }
        }
        NodeIdentity identity = new NodeIdentity(clusterId, nodeId, nodeSecret, groupId,
                List.of(new PeerView(nodeId, config.advertiseAddress(), config.apiPort(), config.raftPort())));
        identity.save(config.dataDir());
        log.info("bootstrapped cluster {} as node {} ({})", clusterId, config.name(), nodeId);
        return identity;
    }

    /** Asks the node at {@code address} (host:port of its API) to admit this one. */
    NodeIdentity join(String address, String token, InternalHttp http) throws IOException {
        JoinRequest req = new JoinRequest(token, config.name(), config.advertiseAddress(), config.apiPort(),
                config.raftPort(), inventory);
        HttpRequest httpReq = HttpRequest.newBuilder(http.uri(address, "/api/v1/internal/join"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(req)))
                .build();
        HttpResponse<String> resp;
        try {
            resp = http.client().send(httpReq, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IOException("cannot reach the management node at " + address + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while joining", e);
        }
        if (resp.statusCode() != 200) {
            String message = resp.body();
            try {
                message = json.readTree(resp.body()).path("message").asText(message);
            } catch (IOException ignored) {
                // Not our JSON error: show the body as it came.
            }
            throw new IOException("join refused by " + address + " (HTTP " + resp.statusCode() + "): " + message);
        }
        JoinResponse joined = json.readValue(resp.body(), JoinResponse.class);
        NodeIdentity identity = new NodeIdentity(joined.clusterId(), joined.nodeId(), joined.nodeSecret(),
                joined.raftGroupId(), joined.peers());
        identity.save(config.dataDir());
        log.info("joined cluster {} as node {} ({})", joined.clusterId(), config.name(), joined.nodeId());
        return identity;
    }

    private char[] superadminPassword() throws IOException {
        if (config.superadminPasswordFile() != null) {
            String p = Files.readString(config.superadminPasswordFile(), StandardCharsets.UTF_8).strip();
            if (p.length() < 8) {
                throw new IOException("the superadmin password in " + config.superadminPasswordFile()
                        + " is too short: use at least 8 characters");
            }
            return p.toCharArray();
        }
        String generated = PasswordHasher.generatePassword(random);
        Path f = config.dataDir().resolve(INITIAL_PASSWORD_FILE);
        Files.deleteIfExists(f);
        Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(f, generated + "\n", StandardCharsets.UTF_8);
        log.info("generated the superadmin password; it is in {} (readable by this user only)", f);
        return generated.toCharArray();
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @FunctionalInterface
    interface MetadataHostFactory {
        MetadataHost create(String nodeId, String groupId);
    }
}
