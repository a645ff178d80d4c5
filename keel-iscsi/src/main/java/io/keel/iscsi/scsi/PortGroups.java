package io.keel.iscsi.scsi;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The ALUA view of one LUN's ports at one moment, as REPORT TARGET PORT GROUPS reports it: the
 * local group's state is this node's {@link PathState}; every other group is active/optimized if
 * the node says it holds the active path, standby if another group does, and unavailable while
 * nobody knows (the HA engine has not decided yet).
 */
public record PortGroups(TargetPorts ports, AluaState local, OptionalInt activeGroup) {

    public record Group(int id, AluaState state, List<Integer> relativeTargetPorts) {
        public Group {
            Objects.requireNonNull(state, "state");
            relativeTargetPorts = List.copyOf(Objects.requireNonNull(relativeTargetPorts, "relativeTargetPorts"));
        }
    }

    public PortGroups {
        Objects.requireNonNull(ports, "ports");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(activeGroup, "activeGroup");
    }

    public List<Group> groups() {
        List<Group> out = new ArrayList<>();
        int own = ports.local().groupId();
        for (int id : ports.groupIds()) {
            List<Integer> members = ports.all().stream().filter(p -> p.groupId() == id)
                    .map(TargetPort::relativePortId).toList();
            AluaState state;
            if (id == own) {
                state = local;
            } else if (activeGroup.isEmpty()) {
                state = AluaState.UNAVAILABLE;
            } else {
                state = activeGroup.getAsInt() == id ? AluaState.ACTIVE_OPTIMIZED : AluaState.STANDBY;
            }
            out.add(new Group(id, state, members));
        }
        return out;
    }

    /** REPORT TARGET PORT GROUPS parameter data (SPC-4 6.36), length format 0 or extended format 1. */
    byte[] report(boolean extended) {
        List<Group> groups = groups();
        int size = extended ? 8 : 4;
        for (Group g : groups) {
            size += 8 + 4 * g.relativeTargetPorts().size();
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putInt(0, size - 4);
        int at = 4;
        if (extended) {
            b.put(4, (byte) 0x10); // format type 1
            // Implicit transition time: how long an initiator should wait through TRANSITIONING.
            b.put(5, (byte) IMPLICIT_TRANSITION_SECONDS);
            at = 8;
        }
        for (Group g : groups) {
            b.put(at, (byte) g.state().code()); // PREF 0: no group is preferred over the active one
            b.put(at + 1, (byte) SUPPORTED_STATES);
            b.putShort(at + 2, (short) g.id());
            b.put(at + 7, (byte) g.relativeTargetPorts().size());
            at += 8;
            for (int port : g.relativeTargetPorts()) {
                b.putShort(at + 2, (short) port);
                at += 4;
            }
        }
        return b.array();
    }

    /** T_SUP, U_SUP, S_SUP, AO_SUP: the states {@link AluaState} has. */
    static final int SUPPORTED_STATES = 0x80 | 0x08 | 0x04 | 0x01;
    static final int IMPLICIT_TRANSITION_SECONDS = 30;
}
