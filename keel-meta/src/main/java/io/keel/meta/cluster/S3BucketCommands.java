package io.keel.meta.cluster;

import io.keel.meta.cluster.S3Command.CreateBucket;
import io.keel.meta.cluster.S3Command.DeleteBucket;
import io.keel.meta.cluster.S3Command.EmptySeal;
import io.keel.meta.cluster.S3Command.SetBucketSetting;
import io.keel.meta.cluster.S3Command.SetBucketVersioning;
import java.nio.charset.StandardCharsets;

/** Bucket control records (ADR 0039); their objects live in the sharded index (ADR 0040). */
final class S3BucketCommands {
    /**
     * Buckets per user. Listing a user's buckets scans every bucket record, and S3's ListBuckets
     * answers in one page by default, so this stays a number one page can show.
     */
    static final int MAX_BUCKETS_PER_USER = 1000;

    private final ClusterCodec codec;

    S3BucketCommands(ClusterCodec codec) {
        this.codec = codec;
    }

    Plan create(ClusterState state, CreateBucket c) {
        S3Cluster s3 = S3Commands.cluster(state);
        Checks.valid(Names.validateId("bucket id", c.id()));
        Checks.valid(S3Names.validateBucketName(c.name()));
        Checks.required(c.at(), "time");
        S3User owner = S3Commands.user(state, c.ownerId());
        String shard = Checks.required(c.indexShard(), "index shard");
        if (!s3.indexShards().contains(shard)) {
            throw Rejection.notFound("the S3 cluster has no index shard " + Names.quote(shard));
        }
        var existing = state.s3().bucket(c.name());
        if (existing.isPresent()) {
            S3Bucket b = existing.get();
            if (b.id().equals(c.id()) && b.ownerId().equals(owner.id()) && b.createdAt().equals(c.at())) {
                return new Plan(codec, b.id()); // the same request delivered twice (see VolumeCommands.isReplay)
            }
            // The gateway reads the owner from the state to answer BucketAlreadyOwnedByYou or BucketAlreadyExists.
            throw Rejection.conflict("bucket " + Names.quote(b.name()) + " already exists"
                    + (b.ownerId().equals(owner.id()) ? " and is owned by " + Names.quote(owner.email())
                    : ": bucket names are unique across the S3 cluster"));
        }
        if (owner.suspended()) {
            throw Rejection.conflict("S3 user " + Names.quote(owner.email()) + " is suspended");
        }
        var all = state.s3().buckets();
        if (all.stream().anyMatch(b -> b.id().equals(c.id()))) {
            throw Rejection.conflict("bucket id " + Names.quote(c.id()) + " is taken");
        }
        long owned = all.stream().filter(b -> b.ownerId().equals(owner.id())).count();
        if (owned >= MAX_BUCKETS_PER_USER) {
            throw Rejection.conflict("S3 user " + Names.quote(owner.email()) + " owns " + owned + " buckets, the"
                    + " most a user can have");
        }
        S3Bucket b = new S3Bucket(c.id(), c.name(), owner.id(), c.at(), S3Bucket.Versioning.UNVERSIONED, shard, 1);
        return new Plan(codec, b.id()).put(S3State.bucketKey(b.name()), b);
    }

    /**
     * Emptiness is known only to the index shards, which the metadata cannot read; what it can check
     * is that the shards' answer still holds (see {@link EmptySeal}).
     */
    Plan delete(ClusterState state, DeleteBucket c) {
        S3Commands.cluster(state);
        S3Bucket b = bucket(state, c.name());
        EmptySeal seal = Checks.required(c.seal(), "emptiness seal");
        Checks.required(c.at(), "time");
        Checks.required(seal.sealedUntil(), "seal expiry");
        if (!b.id().equals(seal.bucketId())) {
            throw Rejection.conflict("the emptiness seal is for bucket id " + Names.quote(seal.bucketId())
                    + ", an earlier bucket named " + Names.quote(b.name()) + ", not the current one ("
                    + Names.quote(b.id()) + "): check it is empty again");
        }
        if (seal.indexLayout() != b.indexLayout()) {
            throw Rejection.conflict("the index of bucket " + Names.quote(b.name()) + " moved on to layout "
                    + b.indexLayout() + " since it was sealed under layout " + seal.indexLayout()
                    + " (a key range split or moved): seal it again");
        }
        if (!c.at().isBefore(seal.sealedUntil())) {
            throw Rejection.conflict("the emptiness seal of bucket " + Names.quote(b.name()) + " expired at "
                    + seal.sealedUntil() + ": objects may have been written since; check it is empty again");
        }
        Plan plan = new Plan(codec, b.id()).delete(S3State.bucketKey(b.name()));
        // The documents go with the bucket: a bucket created again under the name starts without them.
        for (S3BucketSetting.Kind kind : S3BucketSetting.Kind.values()) {
            if (state.s3().hasBucketSettingRecord(b.name(), kind)) {
                plan.delete(S3State.bucketSettingKey(b.name(), kind));
            }
        }
        return plan;
    }

    Plan versioning(ClusterState state, SetBucketVersioning c) {
        S3Commands.cluster(state);
        S3Bucket b = bucket(state, c.name());
        S3Bucket.Versioning v = Checks.required(c.versioning(), "versioning state");
        if (v == S3Bucket.Versioning.UNVERSIONED) {
            throw Rejection.invalid("versioning can be enabled or suspended, not turned off: objects keep the"
                    + " version ids they were given (as in S3)");
        }
        return new Plan(codec, b.id()).put(S3State.bucketKey(b.name()), b.withVersioning(v));
    }

    /** Content is the gateway's to validate; the metadata bounds the size, as it does for certificates. */
    Plan setting(ClusterState state, SetBucketSetting c) {
        S3Commands.cluster(state);
        S3Bucket b = bucket(state, c.name());
        S3BucketSetting.Kind kind = Checks.required(c.kind(), "setting kind");
        String key = S3State.bucketSettingKey(b.name(), kind);
        if (c.document() == null) {
            return new Plan(codec, b.id()).delete(key); // clearing an absent document is what was asked
        }
        int bytes = c.document().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > kind.maxBytes()) {
            throw Rejection.invalid("the " + kind.keySegment() + " document of bucket " + Names.quote(b.name())
                    + " is " + bytes + " bytes; at most " + kind.maxBytes() + " are allowed");
        }
        if (c.document().isBlank()) {
            throw Rejection.invalid("the " + kind.keySegment() + " document is empty: clear the setting instead");
        }
        return new Plan(codec, b.id()).put(key, new S3BucketSetting(b.id(), kind, c.document()));
    }

    private static S3Bucket bucket(ClusterState state, String name) {
        Checks.required(name, "bucket name");
        return state.s3().bucket(name).orElseThrow(() -> Rejection.notFound("no bucket " + Names.quote(name)));
    }
}
