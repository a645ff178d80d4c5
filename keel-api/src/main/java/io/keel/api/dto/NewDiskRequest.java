package io.keel.api.dto;

/** A new empty volume for a VM: its size ("10G") and storage policy (default: the VM's). */
public record NewDiskRequest(String size, String policy) {}
