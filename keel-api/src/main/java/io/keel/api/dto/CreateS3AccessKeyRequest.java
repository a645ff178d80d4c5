package io.keel.api.dto;

/** A new access key for {@code user} (id or e-mail address); the API generates id and secret. */
public record CreateS3AccessKeyRequest(String user) {}
