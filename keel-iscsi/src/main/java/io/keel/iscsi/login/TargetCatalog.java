package io.keel.iscsi.login;

import java.util.Optional;

/** What login needs to know about the targets behind a portal. Must be thread-safe. */
public interface TargetCatalog {

    /** The access policy of the named target, or empty if there is no such target. */
    Optional<AccessPolicy> access(String targetName);

    /** Who may open a discovery session. */
    AccessPolicy discoveryAccess();

    /** The portal group tag declared in every normal-session login (RFC 7143 13.9). */
    int portalGroupTag();
}
