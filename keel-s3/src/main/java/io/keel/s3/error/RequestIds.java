package io.keel.s3.error;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Request ids in the shape AWS uses: {@code x-amz-request-id} is 16 upper-case hex digits,
 * {@code x-amz-id-2} (HostId) is base64. Tools such as awscli print them; support asks for them.
 * The random source is injected so tests can be deterministic; production passes a SecureRandom
 * (ids must not be guessable when they show up in logs handed to others).
 */
public final class RequestIds {
    private final RandomGenerator random;
    private final String nodeTag;

    /** {@code nodeTag} names the gateway node; it is folded into every HostId. */
    public RequestIds(RandomGenerator random, String nodeTag) {
        this.random = Objects.requireNonNull(random, "random");
        this.nodeTag = Objects.requireNonNull(nodeTag, "nodeTag");
    }

    public record Ids(String requestId, String hostId) {
        public Ids {
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(hostId, "hostId");
        }
    }

    public Ids next() {
        byte[] id = new byte[8];
        random.nextBytes(id);
        byte[] host = new byte[24];
        random.nextBytes(host);
        String requestId = HexFormat.of().withUpperCase().formatHex(id);
        String hostId = Base64.getEncoder().encodeToString(host) + "/" + nodeTag;
        return new Ids(requestId, hostId);
    }
}
