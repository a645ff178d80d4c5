package io.keel.api.dto;

import java.util.List;

/**
 * Who may log in to a group's targets: {@code initiators} are IQNs, empty for any initiator;
 * {@code chapUser} null when no CHAP is asked for; {@code mutualChap} whether the targets also
 * prove themselves to the initiator. Secrets are write-only: no view carries them.
 */
public record IscsiAccessView(List<String> initiators, String chapUser, boolean mutualChap) {}
