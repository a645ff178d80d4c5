package io.keel.api.dto;

/**
 * A storage policy. {@code failureDomain} is disk, host, rack, row or room. {@code replicas} is
 * the copy count of a replicated policy and 0 for an erasure-coded one, whose mode is {@code ec}
 * ("5+2", null for replicated policies); {@code redundancy} reads "3 replicas" or "EC 5+2".
 * {@code pieces} is how many failure domains each chunk needs (replicas, or M+N fragments);
 * {@code overhead} is raw space per byte of data (3.0 for 3 replicas, 1.4 for EC 5+2);
 * {@code domainsAvailable} counts the failure domains that hold storage of the policy's tier now,
 * and {@code placeable} says whether that is enough for its pieces. {@code holdsVolumes} is true
 * (it was false for erasure-coded policies before erasure-coded volumes existed); erasure-coded
 * policies hold plain volumes, not images, clones, snapshots or S3 data.
 */
public record PolicyView(
        String name,
        int tier,
        String failureDomain,
        int replicas,
        String redundancy,
        double overhead,
        int domainsAvailable,
        boolean placeable,
        String ec,
        int pieces,
        boolean holdsVolumes) {

    /** A replicated policy's view (the answer before erasure coding). */
    public PolicyView(String name, int tier, String failureDomain, int replicas, String redundancy, double overhead,
            int domainsAvailable, boolean placeable) {
        this(name, tier, failureDomain, replicas, redundancy, overhead, domainsAvailable, placeable, null, replicas,
                true);
    }
}
