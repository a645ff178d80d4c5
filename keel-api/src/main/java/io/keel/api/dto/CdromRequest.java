package io.keel.api.dto;

/** The ISO image (name or id) to put in a VM's CD-ROM drive. */
public record CdromRequest(String image) {}
