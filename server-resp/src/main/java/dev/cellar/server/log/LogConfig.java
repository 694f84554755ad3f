package dev.cellar.server.log;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Where and how much the server logs: {@code loglevel} and {@code logfile} as Redis reads them.
 * Changes apply at once to every logger (CONFIG SET loglevel).
 */
public final class LogConfig {
    /** Redis's levels, least severe first. */
    public static final int DEBUG = 0;
    /** {@code verbose}. */
    public static final int VERBOSE = 1;
    /** {@code notice}, the default. */
    public static final int NOTICE = 2;
    /** {@code warning}. */
    public static final int WARNING = 3;
    /** {@code nothing}. */
    public static final int NOTHING = 4;

    private static volatile int level = NOTICE;
    private static volatile PrintStream out = System.out;
    private static volatile char role = 'M';

    private LogConfig() {}

    /** The current threshold. */
    public static int level() {
        return level;
    }

    /** Sets the threshold from Redis's name ({@code debug verbose notice warning nothing}). */
    public static void setLevel(String name) {
        level = switch (name.toLowerCase(Locale.ROOT)) {
            case "debug" -> DEBUG;
            case "verbose" -> VERBOSE;
            case "notice" -> NOTICE;
            case "warning" -> WARNING;
            case "nothing" -> NOTHING;
            default -> throw new IllegalArgumentException("Invalid log level '" + name + "'");
        };
    }

    /** Sets the log file; empty means standard output. */
    public static void setFile(String path) {
        if (path == null || path.isEmpty()) {
            out = System.out;
            return;
        }
        try {
            out = new PrintStream(new FileOutputStream(path, true), true, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("Can't open the log file: " + e.getMessage());
        }
    }

    /** The role character of log lines ({@code M} for a master). */
    public static char role() {
        return role;
    }

    static PrintStream out() {
        return out;
    }
}
