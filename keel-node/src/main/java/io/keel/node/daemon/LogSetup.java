package io.keel.node.daemon;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.util.FileSize;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * The daemon logs structured JSON lines to {@code <dataDir>/logs/node.log} (rolled by size and
 * day) for machines, and short text lines to stdout for people. The CLI keeps the quiet default
 * of logback.xml.
 */
final class LogSetup {
    private LogSetup() {}

    static void daemon(Path logDir) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();

        PatternLayoutEncoder text = new PatternLayoutEncoder();
        text.setContext(ctx);
        text.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n");
        text.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(ctx);
        console.setEncoder(text);
        console.start();

        JsonEncoder json = new JsonEncoder();
        json.setContext(ctx);
        json.setWithSequenceNumber(false);
        json.setWithContext(false);
        json.setWithFormattedMessage(true);
        json.setWithMessage(false);
        json.setWithArguments(false);
        json.start();
        RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
        file.setContext(ctx);
        file.setFile(logDir.resolve("node.log").toString());
        SizeAndTimeBasedRollingPolicy<ILoggingEvent> policy = new SizeAndTimeBasedRollingPolicy<>();
        policy.setContext(ctx);
        policy.setParent(file);
        policy.setFileNamePattern(logDir.resolve("node.%d{yyyy-MM-dd}.%i.log.gz").toString());
        policy.setMaxFileSize(FileSize.valueOf("50MB"));
        policy.setMaxHistory(7);
        policy.setTotalSizeCap(FileSize.valueOf("1GB"));
        policy.start();
        file.setRollingPolicy(policy);
        file.setEncoder(json);
        file.start();

        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        root.addAppender(file);
        for (String noisy : new String[] {"org.apache.ratis", "org.eclipse.jetty", "io.javalin"}) {
            ctx.getLogger(noisy).setLevel(Level.WARN);
        }
        // Ratis logs a stack trace at ERROR for every refused connection to a stopped peer; our
        // own heartbeat view and quorum metrics say the same once, in words.
        for (String refused : new String[] {"org.apache.ratis.util.LifeCycle", "org.apache.ratis.netty",
                "org.apache.ratis.server.leader"}) {
            ctx.getLogger(refused).setLevel(Level.OFF);
        }
    }
}
