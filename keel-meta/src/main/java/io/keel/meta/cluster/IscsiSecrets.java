package io.keel.meta.cluster;

/**
 * A target group's CHAP secrets. CHAP proves knowledge of the secret itself, so it is kept, not a
 * hash of it; it lives under a key of its own and prints as stars.
 */
public record IscsiSecrets(String chapSecret, String mutualChapSecret) {
    @Override
    public String toString() {
        return "IscsiSecrets[chapSecret=" + (chapSecret == null ? "none" : "***") + ", mutualChapSecret="
                + (mutualChapSecret == null ? "none" : "***") + "]";
    }
}
