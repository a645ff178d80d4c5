package io.keel.node.service;

import io.keel.meta.cluster.Secrets;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Node credentials: generated at join, stored by the cluster only as a SHA-256 hash (they are
 * 256 random bits, so a fast hash is enough), verified on every node-to-node call.
 */
public final class Credentials {
    private final SecureRandom random;
    /** Verified hashes, so heartbeats do not read the metadata store each time; credentials never change. */
    private final Map<String, String> verified = new ConcurrentHashMap<>();

    public Credentials(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    public SecureRandom random() {
        return random;
    }

    public String newNodeSecret() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    public String shortId() {
        byte[] b = new byte[4];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    boolean verifyNode(String nodeId, String secret, Function<String, Optional<String>> storedHash) {
        if (nodeId == null || secret == null) {
            return false;
        }
        String presented = Secrets.sha256Hex(secret);
        String known = verified.get(nodeId);
        if (known == null) {
            Optional<String> stored = storedHash.apply(nodeId);
            if (stored.isEmpty()) {
                return false;
            }
            known = stored.get();
        }
        boolean ok = MessageDigest.isEqual(presented.getBytes(StandardCharsets.US_ASCII),
                known.getBytes(StandardCharsets.US_ASCII));
        if (ok) {
            verified.put(nodeId, known);
        }
        return ok;
    }
}
