package io.keel.meta.shard;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * How a shard id maps to its Raft group and its directory. The group id is derived, not stored, so
 * every node (members, gateways) computes the same one from the shard id alone.
 */
public final class ShardGroups {
    /** Shard ids name a directory, so they are restricted to a safe file-name alphabet. */
    private static final Pattern SHARD_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final String GROUP_NAME_PREFIX = "keel-s3index-";

    private ShardGroups() {
    }

    /** @throws IllegalArgumentException if the id is not 1-63 of [A-Za-z0-9._-], starting alphanumeric */
    public static String checkShardId(String shardId) {
        Objects.requireNonNull(shardId, "shardId");
        if (!SHARD_ID.matcher(shardId).matches()) {
            throw new IllegalArgumentException("shard id must be 1-63 characters of [A-Za-z0-9._-] starting"
                    + " with a letter or digit: '" + shardId + "'");
        }
        return shardId;
    }

    /** The Raft group id of a shard: the name-based (version 3) UUID of "keel-s3index-" + shard id. */
    public static UUID groupId(String shardId) {
        checkShardId(shardId);
        return UUID.nameUUIDFromBytes((GROUP_NAME_PREFIX + shardId).getBytes(StandardCharsets.UTF_8));
    }
}
