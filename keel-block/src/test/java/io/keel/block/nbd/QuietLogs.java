package io.keel.block.nbd;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Raises the block module's log threshold while fuzzing, where protocol errors are the point. */
final class QuietLogs {
    private QuietLogs() {}

    /** Sets the level of the io.keel.block loggers and returns the previous one. */
    static Level set(Level level) {
        Logger logger = (Logger) LoggerFactory.getLogger("io.keel.block");
        Level previous = logger.getLevel();
        logger.setLevel(level);
        return previous;
    }
}
