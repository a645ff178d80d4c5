package io.keel.ha;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the engine needs to know about a kind of HA resource, and nothing else: whether it uses
 * node capacity and whether it can move while running. The engine never branches on a kind's
 * name, so iSCSI LUN paths, NFS shares or S3 gateways register as new values of this record
 * (see {@link ResourceKinds}) without touching the managers.
 *
 * @param name            the prefix of the resource ids of this kind ({@code vm} in {@code vm:web})
 * @param usesCapacity    whether instances consume node RAM and vCPUs; when false their demand must be none
 * @param liveMigratable  whether a running instance can move without stopping; others are relocated
 *                        (stopped, then started on the target)
 */
public record ResourceKind(String name, boolean usesCapacity, boolean liveMigratable) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    public static final ResourceKind VM = new ResourceKind("vm", true, true);
    /** The admin panel's virtual IP: runs on exactly one healthy node and may move freely. */
    public static final ResourceKind VIP = new ResourceKind("vip", false, false);
    /**
     * The active (ALUA active/optimized) path of one iSCSI LUN, {@code iscsi:VOLUME}: a target
     * portal state, not a process with RAM of its own, and it cannot be handed over live (the
     * initiators see the old path go standby and the new one go active), so it is relocated. It
     * may run only on the nodes of its target group ({@link ResourceSpec#allowedNodes()}).
     */
    public static final ResourceKind ISCSI = new ResourceKind("iscsi", false, false);

    public ResourceKind {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a resource kind is a lower-case word: " + name);
        }
    }
}
