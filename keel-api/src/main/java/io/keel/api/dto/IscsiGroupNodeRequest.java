package io.keel.api.dto;

/**
 * A member of a new group: {@code node} id or name; {@code address} the IP its portal listens on,
 * null for the node's management address.
 */
public record IscsiGroupNodeRequest(String node, String address) {}
