package io.keel.api.dto;

/**
 * One VM NIC: {@code slot}, its fixed place in the machine; {@code state}, "attached" or
 * "detaching" while a running guest is being asked to release it.
 */
public record VmNicView(int slot, String network, String mac, String state) {}
