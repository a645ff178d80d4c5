package io.keel.api.dto;

/**
 * A storage policy. {@code failureDomain} is disk, host, rack, row or room; {@code overhead} is
 * raw space per byte of data (3.0 for 3 replicas); {@code domainsAvailable} counts the failure
 * domains that hold storage of the policy's tier now, and {@code placeable} says whether that is
 * enough for its pieces.
 */
public record PolicyView(
        String name,
        int tier,
        String failureDomain,
        int replicas,
        String redundancy,
        double overhead,
        int domainsAvailable,
        boolean placeable) {}
