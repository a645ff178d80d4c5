package io.keel.node.ha;

import io.keel.meta.cluster.ClusterCommand;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Metadata writes of the HA engine's local side, each on a virtual thread of its own. A write can
 * block for the Raft request timeout (8 s) just as the node is being cut off, and the local
 * resource manager's step must not wait for it: its self-fence has to land on time. A write
 * already under way is not started again ({@code key}: the same decision's write).
 */
final class AsyncCommands implements Consumer<ClusterCommand> {
    private static final Logger log = LoggerFactory.getLogger(AsyncCommands.class);

    private final Consumer<ClusterCommand> submit;
    private final Function<ClusterCommand, Object> key;
    private final Set<Object> inFlight = ConcurrentHashMap.newKeySet();

    AsyncCommands(Consumer<ClusterCommand> submit, Function<ClusterCommand, Object> key) {
        this.submit = Objects.requireNonNull(submit, "submit");
        this.key = Objects.requireNonNull(key, "key");
    }

    @Override
    public void accept(ClusterCommand command) {
        run(command, () -> { }, e -> log.info("{} not written: {}", command.getClass().getSimpleName(), e.getMessage()));
    }

    /** Writes {@code command}, then runs {@code done} or {@code failed}; false if its write is already under way. */
    boolean run(ClusterCommand command, Runnable done, Consumer<RuntimeException> failed) {
        Object k = key.apply(command);
        if (!inFlight.add(k)) {
            return false;
        }
        Thread.ofVirtual().name("ha-write").start(() -> {
            try {
                submit.accept(command);
                done.run();
            } catch (RuntimeException e) {
                failed.accept(e);
            } finally {
                inFlight.remove(k);
            }
        });
        return true;
    }

    /** The same decision's write: a migration by its id, a report batch by its node, others as they are. */
    static Object defaultKey(ClusterCommand c) {
        return switch (c) {
            case ClusterCommand.StartVmMigration m -> "migration " + m.migrationId();
            case ClusterCommand.ReportHa r -> "reports " + r.nodeId();
            default -> c;
        };
    }
}
