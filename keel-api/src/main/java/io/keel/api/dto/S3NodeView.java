package io.keel.api.dto;

/** A gateway node of the S3 cluster, by id and name. */
public record S3NodeView(String node, String nodeName) {}
