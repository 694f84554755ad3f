package dev.cellar.core.engine;

import dev.cellar.core.Numbers;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/** Argument parsing with Redis's error replies. */
public final class Args {
    private Args() {}

    /** A 64-bit integer argument; {@code ERR value is not an integer or out of range} otherwise. */
    public static long parseLong(byte[] arg) {
        return parseLong(arg, Errors.NOT_INTEGER);
    }

    /** A 64-bit integer argument, with the given error message when it is not one. */
    public static long parseLong(byte[] arg, String error) {
        try {
            return Numbers.parseLong(arg);
        } catch (NumberFormatException e) {
            throw new CommandError(error);
        }
    }

    /** A double argument; {@code ERR value is not a valid float} otherwise. */
    public static double parseDouble(byte[] arg) {
        return parseDouble(arg, Errors.NOT_FLOAT);
    }

    /** A double argument, with the given error message when it is not one. */
    public static double parseDouble(byte[] arg, String error) {
        try {
            return Numbers.parseDouble(arg);
        } catch (NumberFormatException e) {
            throw new CommandError(error);
        }
    }

    /**
     * A blocking timeout in seconds (decimals allowed), as Redis's {@code getTimeoutFromObjectOrReply};
     * returns milliseconds, 0 for "forever".
     */
    public static long parseTimeoutMillis(byte[] arg) {
        double seconds;
        try {
            seconds = Numbers.parseDouble(arg);
        } catch (NumberFormatException e) {
            throw new CommandError(Errors.TIMEOUT_NOT_FLOAT);
        }
        // Redis 7.0 rounds milliseconds up and casts to long long: a value that does not fit
        // (1e16 seconds, inf) comes out negative, and -0.0001 rounds up to 0, "forever"
        double ms = Math.ceil(seconds * 1000);
        if (ms <= -1 || ms >= 0x1p63) {
            throw new CommandError(Errors.TIMEOUT_NEGATIVE);
        }
        return (long) ms;
    }

    /** Whether an argument equals an ASCII keyword, ignoring case. */
    public static boolean is(byte[] arg, String keyword) {
        int n = keyword.length();
        if (arg.length != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            int a = arg[i];
            int b = keyword.charAt(i);
            if (a != b && Character.toLowerCase(a) != Character.toLowerCase(b)) {
                return false;
            }
        }
        return true;
    }

    /** An argument as text (UTF-8). */
    public static String text(byte[] arg) {
        return new String(arg, StandardCharsets.UTF_8);
    }

    /** An argument as lower-case ASCII text, for command and keyword names. */
    public static String lower(byte[] arg) {
        return new String(arg, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
    }

    /** UTF-8 bytes of a string. */
    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The decimal bytes of a long. */
    public static byte[] bytes(long v) {
        return Long.toString(v).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The argument as text, cut to at most {@code max} characters, for error messages. */
    static String printable(byte[] arg, int max) {
        String s = new String(arg, StandardCharsets.UTF_8);
        return s.length() <= max ? s : s.substring(0, Math.max(0, max));
    }

    /** Copies of arguments {@code from} to the end. */
    public static byte[][] tail(byte[][] argv, int from) {
        return Arrays.copyOfRange(argv, from, argv.length);
    }

    /**
     * A SCAN cursor as Redis's {@code parseScanCursorOrReply} reads it with {@code strtoul}: decimal,
     * optional sign (a minus wraps around), no leading space, the empty string is 0.
     */
    public static long parseScanCursor(byte[] arg) {
        int len = arg.length;
        for (int i = 0; i < len; i++) {
            if (arg[i] == 0) {
                len = i;
                break;
            }
        }
        if (len == 0) {
            return 0;
        }
        int i = 0;
        boolean negative = false;
        if (arg[0] == '+' || arg[0] == '-') {
            negative = arg[0] == '-';
            i++;
        }
        if (i == len) {
            throw new CommandError(Errors.INVALID_CURSOR);
        }
        long v = 0;
        for (; i < len; i++) {
            int d = arg[i] - '0';
            if (d < 0 || d > 9) {
                throw new CommandError(Errors.INVALID_CURSOR);
            }
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L, 10)) > 0) {
                throw new CommandError(Errors.INVALID_CURSOR);
            }
            long next = v * 10 + d;
            if (Long.compareUnsigned(next, v * 10) < 0) {
                throw new CommandError(Errors.INVALID_CURSOR);
            }
            v = next;
        }
        return negative ? -v : v;
    }
}
