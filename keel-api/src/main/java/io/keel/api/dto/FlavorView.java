package io.keel.api.dto;

/** A flavor: a VM size preset. {@code ramBytes} is {@code ramMiB} in bytes, for clients that count bytes. */
public record FlavorView(String name, int vcpus, int ramMiB, long ramBytes) {}
