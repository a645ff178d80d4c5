package io.keel.meta.cluster;

import java.util.Objects;

/**
 * A room, row or rack. Rows live in rooms, racks in rows; nodes live in racks. Names are unique
 * among siblings. The defaults ("Default room/row/rack") always exist.
 */
public record Location(String id, Type type, String name, String parentId) {
    public enum Type { ROOM, ROW, RACK }

    public static final String DEFAULT_ROOM = "default-room";
    public static final String DEFAULT_ROW = "default-row";
    public static final String DEFAULT_RACK = "default-rack";

    public Location {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        if ((type == Type.ROOM) != (parentId == null)) {
            throw new IllegalArgumentException("a room has no parent; rows and racks have one");
        }
    }
}
