package io.keel.meta.cluster;

import io.keel.meta.cluster.IscsiCommand.AttachLun;
import io.keel.meta.cluster.IscsiCommand.CreateGroup;
import io.keel.meta.cluster.IscsiCommand.DeleteGroup;
import io.keel.meta.cluster.IscsiCommand.DetachLun;
import io.keel.meta.cluster.IscsiCommand.NodeAddress;
import io.keel.meta.cluster.IscsiCommand.ReplaceReservation;
import io.keel.meta.cluster.IscsiCommand.SetAccess;
import io.keel.meta.cluster.IscsiTargetGroup.Access;
import io.keel.meta.cluster.IscsiTargetGroup.Lun;
import io.keel.meta.cluster.IscsiTargetGroup.Target;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** iSCSI target groups, their LUNs, access control and persistent reservations (ADR 0033). */
final class IscsiCommands {
    /** Nodes per group: one target port group each; more paths than this help no initiator. */
    static final int MAX_NODES = 16;
    static final int MAX_LUNS = 256;
    static final int MAX_INITIATORS = 256;
    /** The naming authority of generated IQNs (RFC 3720 3.2.6.3.1: a date and a reversed domain). */
    static final String IQN_PREFIX = "iqn.2026-11.io.keel:";
    private static final Pattern GROUP_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    /** RFC 3720 names: iqn., eui. (16 hex digits) or naa. (16 or 32 hex digits); at most 223 bytes. */
    private static final Pattern INITIATOR = Pattern.compile(
            "iqn\\.\\d{4}-\\d{2}\\.[a-z0-9][a-z0-9.-]*(:[\\x21-\\x7e]*)?|eui\\.[0-9a-f]{16}|naa\\.([0-9a-f]{16}|[0-9a-f]{32})");
    private static final Pattern CHAP_USER = Pattern.compile("[\\x21-\\x7e]{1,255}");
    static final int MIN_SECRET = 12;
    static final int MAX_SECRET = 16;

    private final ClusterCodec codec;

    IscsiCommands(ClusterCodec codec) {
        this.codec = codec;
    }

    Plan plan(ClusterState state, ClusterCommand.Iscsi command) {
        Checks.initialised(state);
        return switch (command) {
            case CreateGroup c -> create(state, c);
            case DeleteGroup c -> delete(state, c);
            case SetAccess c -> access(state, c);
            case AttachLun c -> attach(state, c);
            case DetachLun c -> detach(state, c);
            case ReplaceReservation c -> reservation(state, c);
        };
    }

    private Plan create(ClusterState state, CreateGroup c) {
        Checks.valid(Names.validateId("group id", c.id()));
        Checks.required(c.at(), "time");
        String name = Checks.required(c.name(), "group name");
        if (!GROUP_NAME.matcher(name).matches()) {
            throw Rejection.invalid("target group name " + Names.quote(name) + " is not valid: use 1-63 lower-case"
                    + " Latin letters, digits and hyphens, starting with a letter or digit (it becomes part of the"
                    + " targets' IQNs)");
        }
        if (state.iscsi().group(c.id()).isPresent()) {
            throw Rejection.conflict("target group id " + Names.quote(c.id()) + " is taken");
        }
        if (state.iscsi().groupByIdOrName(name).isPresent()) {
            throw Rejection.conflict("target group " + Names.quote(name) + " already exists");
        }
        List<NodeAddress> asked = c.nodes() == null ? List.of() : c.nodes();
        if (asked.size() > MAX_NODES) {
            throw Rejection.invalid("a target group has at most " + MAX_NODES + " nodes, not " + asked.size());
        }
        var nodes = Checks.distinctNodes(state, asked.stream().map(a -> a == null ? null : a.nodeId()).toList(),
                "a target group needs at least one node (two or more for path failover)");
        String cluster = Checks.initialised(state).id().replace("-", "").toLowerCase(Locale.ROOT);
        List<Target> targets = new ArrayList<>();
        for (NodeAddress a : asked) {
            NodeRecord n = nodes.get(a.nodeId());
            if (!n.inCluster()) {
                throw Rejection.invalid("node " + Checks.describe(n) + " is not in the storage cluster: it cannot"
                        + " serve volumes");
            }
            String address = a.address() == null || a.address().isBlank() ? null : portalAddress(a.address());
            String iqn = IQN_PREFIX + cluster.substring(0, Math.min(12, cluster.length())) + ":" + name + "."
                    + n.name().toLowerCase(Locale.ROOT).replace('_', '-');
            targets.add(new Target(n.id(), iqn, address, targets.size() + 1));
        }
        IscsiTargetGroup g = new IscsiTargetGroup(c.id(), name, targets, List.of(), Access.OPEN, c.at());
        return new Plan(codec, g.id()).put(IscsiState.groupKey(g.id()), g);
    }

    /** A literal IP address a portal can listen on: no host names (the node would resolve them differently). */
    static String portalAddress(String address) {
        java.net.InetAddress ip;
        try {
            ip = java.net.InetAddress.ofLiteral(address.strip());
        } catch (IllegalArgumentException e) {
            throw Rejection.invalid("portal address " + Names.quote(address) + " is not an IP address");
        }
        if (ip.isAnyLocalAddress() || ip.isMulticastAddress()) {
            throw Rejection.invalid("portal address " + ip.getHostAddress() + " is a wildcard or multicast address:"
                    + " give the address of one of the node's interfaces");
        }
        return ip.getHostAddress();
    }

    private Plan delete(ClusterState state, DeleteGroup c) {
        IscsiTargetGroup g = group(state, c.groupId());
        if (!g.luns().isEmpty()) {
            throw Rejection.conflict("target group " + Names.quote(g.name()) + " still presents " + g.luns().size()
                    + " LUN(s): remove them first ('keel iscsi lun remove " + g.name() + " LUN')");
        }
        return new Plan(codec, g.id()).delete(IscsiState.groupKey(g.id())).delete(IscsiState.secretKey(g.id()));
    }

    private Plan access(ClusterState state, SetAccess c) {
        IscsiTargetGroup g = group(state, c.groupId());
        List<String> initiators = c.initiators() == null ? List.of() : c.initiators();
        if (initiators.size() > MAX_INITIATORS) {
            throw Rejection.invalid("at most " + MAX_INITIATORS + " initiators per group, not " + initiators.size());
        }
        Set<String> seen = new HashSet<>();
        List<String> normalised = new ArrayList<>();
        for (String i : initiators) {
            String n = Checks.required(i, "initiator name").strip().toLowerCase(Locale.ROOT);
            if (n.length() > 223 || !INITIATOR.matcher(n).matches()) {
                throw Rejection.invalid("initiator name " + Names.quote(i) + " is not an iSCSI name: iqn.YYYY-MM.domain[:id],"
                        + " eui. with 16 hex digits or naa. with 16 or 32");
            }
            if (seen.add(n)) {
                normalised.add(n);
            }
        }
        IscsiSecrets stored = state.iscsi().secrets(g.id()).orElse(new IscsiSecrets(null, null));
        String chapSecret = secret(c.chapUser(), c.chapSecret(), g.access().chapUser(), stored.chapSecret(), "CHAP");
        String mutualSecret = secret(c.mutualChapUser(), c.mutualChapSecret(), g.access().mutualChapUser(),
                stored.mutualChapSecret(), "mutual CHAP");
        if (c.mutualChapUser() != null && c.chapUser() == null) {
            throw Rejection.invalid("mutual CHAP needs CHAP: set the initiators' CHAP user and secret as well");
        }
        if (chapSecret != null && chapSecret.equals(mutualSecret)) {
            throw Rejection.invalid("the mutual CHAP secret must differ from the CHAP secret (RFC 7143 12.1.3)");
        }
        IscsiTargetGroup next = g.withAccess(new Access(normalised, c.chapUser(), c.mutualChapUser()));
        Plan plan = new Plan(codec, g.id()).put(IscsiState.groupKey(g.id()), next);
        return chapSecret == null ? plan.delete(IscsiState.secretKey(g.id()))
                : plan.put(IscsiState.secretKey(g.id()), new IscsiSecrets(chapSecret, mutualSecret));
    }

    /** The secret to store for {@code user}: the given one, else the stored one when the user is unchanged. */
    private static String secret(String user, String given, String oldUser, String old, String what) {
        if (user == null) {
            if (given != null) {
                throw Rejection.invalid("a " + what + " secret needs a " + what + " user name");
            }
            return null;
        }
        if (!CHAP_USER.matcher(user).matches()) {
            throw Rejection.invalid(what + " user name " + Names.quote(user) + " is not valid: 1-255 printable"
                    + " characters without spaces");
        }
        if (given == null) {
            if (user.equals(oldUser) && old != null) {
                return old;
            }
            throw Rejection.invalid("a " + what + " secret is required for user " + Names.quote(user));
        }
        if (given.length() < MIN_SECRET || given.length() > MAX_SECRET
                || !given.chars().allMatch(ch -> ch >= 0x21 && ch <= 0x7e)) {
            throw Rejection.invalid("a " + what + " secret is " + MIN_SECRET + " to " + MAX_SECRET
                    + " printable characters without spaces (the range initiators such as open-iscsi and Windows"
                    + " accept), not " + given.length());
        }
        return given;
    }

    private Plan attach(ClusterState state, AttachLun c) {
        IscsiTargetGroup g = group(state, c.groupId());
        Volume v = VolumeCommands.ordinary(state, Checks.required(c.volumeId(), "volume"));
        state.iscsi().groupOfVolume(v.id()).ifPresent(other -> {
            throw Rejection.conflict("volume " + Names.quote(v.name()) + " is already LUN "
                    + other.lunOf(v.id()).orElseThrow().lun() + " of target group " + Names.quote(other.name())
                    + ": a volume belongs to at most one target group");
        });
        state.vms().stream().filter(vm -> vm.uses(v.id())).findFirst().ifPresent(vm -> {
            throw Rejection.conflict("volume " + Names.quote(v.name()) + " is a disk of VM " + Names.quote(vm.name())
                    + ": an initiator and the VM would both write it");
        });
        ImageCommands.usingVolume(state, v.id()).ifPresent(i -> {
            throw Rejection.conflict("volume " + Names.quote(v.name()) + " holds image " + Names.quote(i.name()));
        });
        VmSuspendCommands.refuseStateVolume(state, v, "exported over iSCSI");
        if (g.luns().size() >= MAX_LUNS) {
            throw Rejection.conflict("target group " + Names.quote(g.name()) + " has " + MAX_LUNS
                    + " LUNs, the most it can have");
        }
        int lun;
        if (c.lun() != null) {
            lun = c.lun();
            if (lun < 0 || lun > IscsiTargetGroup.MAX_LUN) {
                throw Rejection.invalid("LUN " + lun + " is out of range 0-" + IscsiTargetGroup.MAX_LUN);
            }
            g.lun(lun).ifPresent(l -> {
                throw Rejection.conflict("LUN " + l.lun() + " of target group " + Names.quote(g.name())
                        + " is taken by volume " + Names.quote(state.volume(l.volumeId()).map(Volume::name)
                        .orElse(l.volumeId())));
            });
        } else {
            lun = 0;
            while (g.lun(lun).isPresent()) {
                lun++;
            }
        }
        List<Lun> luns = new ArrayList<>(g.luns());
        luns.add(new Lun(lun, v.id()));
        return new Plan(codec, Integer.toString(lun)).put(IscsiState.groupKey(g.id()), g.withLuns(luns));
    }

    private Plan detach(ClusterState state, DetachLun c) {
        IscsiTargetGroup g = group(state, c.groupId());
        Lun l = g.lun(c.lun()).orElseThrow(() -> Rejection.notFound("target group " + Names.quote(g.name())
                + " has no LUN " + c.lun()));
        return new Plan(codec, l.volumeId()).put(IscsiState.groupKey(g.id()),
                g.withLuns(g.luns().stream().filter(x -> x.lun() != l.lun()).toList()))
                .delete(IscsiState.reservationKey(l.volumeId()));
    }

    private Plan reservation(ClusterState state, ReplaceReservation c) {
        String volumeId = Checks.required(c.volumeId(), "volume id");
        String s = Checks.required(c.state(), "reservation state");
        if (state.iscsi().groupOfVolume(volumeId).isEmpty()) {
            throw Rejection.notFound("volume " + Names.quote(volumeId) + " is no LUN of any target group");
        }
        if (s.length() > IscsiReservation.MAX_STATE_CHARS) {
            throw Rejection.invalid("a reservation state of " + s.length() + " characters is above the limit of "
                    + IscsiReservation.MAX_STATE_CHARS);
        }
        long current = state.iscsi().reservation(volumeId).map(IscsiReservation::version).orElse(0L);
        if (current != c.expectedVersion()) {
            throw Rejection.conflict("the reservation state of volume " + Names.quote(volumeId) + " is at version "
                    + current + ", not " + c.expectedVersion() + ": another target changed it first");
        }
        return new Plan(codec, Long.toString(current + 1)).put(IscsiState.reservationKey(volumeId),
                new IscsiReservation(current + 1, s));
    }

    private static IscsiTargetGroup group(ClusterState state, String groupId) {
        return state.iscsi().group(Checks.required(groupId, "target group id")).orElseThrow(
                () -> Rejection.notFound("no target group " + Names.quote(groupId)));
    }

    /** Refuses an action on a volume while it is a LUN ({@code action}: "deleted", "attached to a VM"). */
    static void refuseLun(ClusterState state, Volume v, String action) {
        state.iscsi().groupOfVolume(v.id()).ifPresent(g -> {
            throw Rejection.conflict("volume " + Names.quote(v.name()) + " is LUN " + g.lunOf(v.id()).orElseThrow().lun()
                    + " of target group " + Names.quote(g.name()) + " and cannot be " + action
                    + ": remove the LUN first");
        });
    }
}
