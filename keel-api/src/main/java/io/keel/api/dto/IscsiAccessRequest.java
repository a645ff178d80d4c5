package io.keel.api.dto;

import java.util.List;

/**
 * A group's whole access setting, replacing the previous one. {@code initiators}: IQNs allowed to
 * log in, empty for any. {@code chapUser} null means no CHAP (then no secret may be given);
 * otherwise {@code chapSecret} is the secret initiators answer with. The mutual pair, when given,
 * is what the targets answer with, and needs one-way CHAP as well.
 */
public record IscsiAccessRequest(List<String> initiators, String chapUser, String chapSecret, String mutualChapUser,
        String mutualChapSecret) {
    // The request passes through services that may log it; the secrets must not go with it.
    @Override
    public String toString() {
        return "IscsiAccessRequest[initiators=" + initiators + ", chapUser=" + chapUser + ", chapSecret="
                + mask(chapSecret) + ", mutualChapUser=" + mutualChapUser + ", mutualChapSecret="
                + mask(mutualChapSecret) + "]";
    }

    private static String mask(String secret) {
        return secret == null ? "null" : "***";
    }
}
