package dev.cellar.core.engine;

import dev.cellar.core.Numbers;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code save} parameter as Redis 7 reads it: pairs of {@code <seconds> <changes>} separated by
 * single spaces ({@code CONFIG SET save "3600 1 300 100"}), the empty string for none, each number
 * read as C's {@code strtoll} reads it ({@code +5} and {@code 05} are 5, a number too large is the
 * largest long, changes are kept as a C {@code int}), seconds at least 1 and changes at least 0.
 * Anything else, an empty field from a doubled space included, is "Invalid save parameters". The
 * value CONFIG GET shows is the canonical form ({@code "3600 1 300 100"}), as Redis prints it.
 */
public final class SaveParams {
    /** Redis's reason for any value it refuses. */
    public static final String INVALID = "Invalid save parameters";

    private SaveParams() {}

    /** The save points of a value, {@code {seconds, changes}} each; throws IllegalArgumentException(INVALID). */
    public static long[][] parse(String value) {
        if (value.isEmpty()) {
            return new long[0][];
        }
        String[] fields = value.split(" ", -1);
        if (fields.length % 2 != 0) {
            throw new IllegalArgumentException(INVALID);
        }
        List<long[]> points = new ArrayList<>();
        for (int i = 0; i < fields.length; i += 2) {
            long seconds = strtoll(fields[i]);
            long changes = (int) strtoll(fields[i + 1]);
            if (seconds < 1 || changes < 0) {
                throw new IllegalArgumentException(INVALID);
            }
            points.add(new long[] {seconds, changes});
        }
        return points.toArray(new long[0][]);
    }

    /** The canonical form of a value (throws as {@link #parse} does). */
    public static String canonical(String value) {
        StringBuilder sb = new StringBuilder();
        for (long[] p : parse(value)) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(p[0]).append(' ').append(p[1]);
        }
        return sb.toString();
    }

    /** C's {@code strtoll(s, &end, 10)} where the whole field must be consumed (an empty field is 0, as in C). */
    private static long strtoll(String s) {
        int[] end = new int[1];
        long v = Numbers.strtoll(s, end);
        if (end[0] != s.length()) {
            throw new IllegalArgumentException(INVALID);
        }
        return v;
    }
}
