package dev.cellar.server.log;

import java.io.PrintStream;
import java.time.LocalDateTime;
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
    /** English month abbreviations, as Redis's strftime prints them ({@code %b} in the C locale). */
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
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
                .append(timestamp(LocalDateTime.now())).append(' ')
                .append(MARKS[redisLevel(level)]).append(' ').append(message);
        PrintStream out = LogConfig.out();
        synchronized (out) {
            out.println(sb);
            if (throwable != null) {
                throwable.printStackTrace(out);
            }
        }
    }

    /**
     * {@code dd MMM yyyy HH:mm:ss.SSS}, written by hand: a {@code DateTimeFormatter} with month
     * names loads the JDK's locale data on the first line logged (about 20 ms of start-up).
     */
    static StringBuilder timestamp(LocalDateTime t) {
        StringBuilder sb = new StringBuilder(24);
        two(sb, t.getDayOfMonth()).append(' ').append(MONTHS[t.getMonthValue() - 1]).append(' ').append(t.getYear())
                .append(' ');
        two(sb, t.getHour()).append(':');
        two(sb, t.getMinute()).append(':');
        two(sb, t.getSecond()).append('.');
        int ms = t.getNano() / 1_000_000;
        return sb.append((char) ('0' + ms / 100)).append((char) ('0' + ms / 10 % 10)).append((char) ('0' + ms % 10));
    }

    private static StringBuilder two(StringBuilder sb, int v) {
        return sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }
}
