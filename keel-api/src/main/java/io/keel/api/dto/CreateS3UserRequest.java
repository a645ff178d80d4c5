package io.keel.api.dto;

/** A new S3 user; {@code displayName} left out: the part of the e-mail address before '@'. */
public record CreateS3UserRequest(String email, String displayName) {}
