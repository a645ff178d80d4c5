package io.keel.compute.qmp;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One command as sent: {@code {"execute": name, "arguments": {...}, "id": id}}. The id is always
 * a number this side chose, so a reply is matched to exactly one command. An empty
 * {@code arguments} object is left off the wire, as QEMU's own clients do.
 */
public record QmpCommand(String name, ObjectNode arguments, long id) {
    // QAPI names: letters, digits, '-' and '_' (qmp_capabilities, query-status, x-...). Anything else
    // is a caller's mistake we would rather report here than as a CommandNotFound from QEMU.
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,127}");

    public QmpCommand {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a QMP command name: '" + name + "'");
        }
        arguments = Objects.requireNonNull(arguments, "arguments").deepCopy();
    }

    /** A command without arguments. */
    public QmpCommand(String name, long id) {
        this(name, JsonNodeFactory.instance.objectNode(), id);
    }

    @Override
    public ObjectNode arguments() {
        return arguments.deepCopy();
    }
}
