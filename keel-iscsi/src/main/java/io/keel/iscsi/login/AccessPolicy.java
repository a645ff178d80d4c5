package io.keel.iscsi.login;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who may log in to a target and how they must prove it.
 *
 * @param allowedInitiators initiator IQNs allowed in; empty means any initiator
 * @param initiatorChap     if present, initiators must authenticate with CHAP using it;
 *                          if empty, AuthMethod=None is accepted
 * @param targetChap        if present, the target answers a mutual CHAP challenge with it;
 *                          if empty, an initiator asking for mutual CHAP is refused
 */
public record AccessPolicy(Set<String> allowedInitiators, Optional<ChapSecret> initiatorChap,
        Optional<ChapSecret> targetChap) {
    public AccessPolicy {
        allowedInitiators = Set.copyOf(Objects.requireNonNull(allowedInitiators, "allowedInitiators"));
        Objects.requireNonNull(initiatorChap, "initiatorChap");
        Objects.requireNonNull(targetChap, "targetChap");
        if (targetChap.isPresent() && initiatorChap.isEmpty()) {
            throw new IllegalArgumentException("mutual CHAP needs initiator CHAP as well");
        }
    }

    public static AccessPolicy open() {
        return new AccessPolicy(Set.of(), Optional.empty(), Optional.empty());
    }

    public boolean admits(String initiatorName) {
        return allowedInitiators.isEmpty() || allowedInitiators.contains(initiatorName);
    }
}
