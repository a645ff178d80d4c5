package io.keel.compute.qmp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An asynchronous event from QEMU (STOP, RESUME, SHUTDOWN, RESET, BLOCK_IO_ERROR, ...). Events
 * without a {@code data} member have an empty {@code data} object here, so readers need not
 * tell "absent" from "empty".
 */
public record QmpEvent(String name, ObjectNode data, Timestamp timestamp) implements QmpMessage {
    public QmpEvent {
        Objects.requireNonNull(name, "name");
        data = Objects.requireNonNull(data, "data").deepCopy();
        Objects.requireNonNull(timestamp, "timestamp");
    }

    @Override
    public ObjectNode data() {
        return data.deepCopy();
    }

    /**
     * When QEMU emitted the event, by QEMU's clock. Kept as the two integers QEMU sends because QEMU
     * sends -1/-1 when it could not read its clock, which is no instant.
     */
    public record Timestamp(long seconds, long microseconds) {
        public Optional<Instant> instant() {
            if (seconds < 0 || microseconds < 0 || microseconds >= 1_000_000) {
                return Optional.empty();
            }
            return Optional.of(Instant.ofEpochSecond(seconds, microseconds * 1000));
        }
    }
}
