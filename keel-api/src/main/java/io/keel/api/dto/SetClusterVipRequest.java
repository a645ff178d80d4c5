package io.keel.api.dto;

/** {@code address}: {@code ADDRESS/PREFIX} (IPv4), {@code iface}: the interface every node puts it on. */
public record SetClusterVipRequest(String address, String iface) {}
