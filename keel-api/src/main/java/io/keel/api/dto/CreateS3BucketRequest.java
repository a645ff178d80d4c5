package io.keel.api.dto;

/** A new bucket; {@code owner} is an S3 user's id or e-mail address. */
public record CreateS3BucketRequest(String name, String owner) {}
