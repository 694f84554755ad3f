package dev.cellar.server.log;

import java.io.PrintStream;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * A logger printing Redis's line format: {@code pid:M 21 Nov 2024 14:22:01.123 * message}, where
 * the character before the message is the level ({@code . - * #} for debug, verbose, notice,
 * warning). SLF4J's TRACE, DEBUG, INFO and WARN/ERROR map to those four; Netty's own chatter counts
 * one level lower, so {@code verbose} is not flooded with it.
 */
final class RedisStyleLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd MMM yyyy HH:mm:ss.SSS", Locale.ROOT);
    private static final long PID = ProcessHandle.current().pid();
    private static final char[] MARKS = {'.', '-', '*', '#'};

    private final boolean library;

    RedisStyleLogger(String name) {
        this.name = name;
        this.library = name.startsWith("io.netty") || name.startsWith("reactor") || name.startsWith("io.lettuce")
                || name.startsWith("redis.clients");
    }

    private int redisLevel(Level level) {
        int l = switch (level) {
            case TRACE -> LogConfig.DEBUG;
            case DEBUG -> LogConfig.VERBOSE;
            case INFO -> LogConfig.NOTICE;
            case WARN, ERROR -> LogConfig.WARNING;
        };
        return library && l < LogConfig.WARNING ? Math.max(LogConfig.DEBUG, l - 1) : l;
    }

    private boolean enabled(Level level) {
        return redisLevel(level) >= LogConfig.level() && LogConfig.level() != LogConfig.NOTHING;
    }

    @Override
    public boolean isTraceEnabled() {
        return enabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return enabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return enabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return enabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return enabled(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern, Object[] arguments,
            Throwable throwable) {
        String message = MessageFormatter.basicArrayFormat(messagePattern, arguments);
        StringBuilder sb = new StringBuilder(64 + message.length());
        sb.append(PID).append(':').append(LogConfig.role()).append(' ')
                .append(TIME.format(LocalDateTime.now())).append(' ')
                .append(MARKS[redisLevel(level)]).append(' ').append(message);
        PrintStream out = LogConfig.out();
        synchronized (out) {
            out.println(sb);
            if (throwable != null) {
                throwable.printStackTrace(out);
            }
        }
    }
}
