package dev.cellar.core.values;

import java.util.Arrays;

/** Score and lexicographic intervals of sorted set commands (Redis's {@code zrangespec}, {@code zlexrangespec}). */
public final class ZRange {
    private ZRange() {}

    /** A score interval; either end may be open. */
    public record Score(double min, double max, boolean minEx, boolean maxEx) {
        /** Whether a score is at or above the lower end. */
        public boolean gteMin(double v) {
            return minEx ? v > min : v >= min;
        }

        /** Whether a score is at or below the upper end. */
        public boolean lteMax(double v) {
            return maxEx ? v < max : v <= max;
        }

        /** Whether no score can lie inside. */
        public boolean isEmpty() {
            return min > max || (min == max && (minEx || maxEx));
        }
    }

    /** The bound {@code -}: below every string. Compared by identity. */
    public static final byte[] MIN_STRING = new byte[0];
    /** The bound {@code +}: above every string. Compared by identity. */
    public static final byte[] MAX_STRING = new byte[0];

    /** A lexicographic interval; the ends may be {@link #MIN_STRING} or {@link #MAX_STRING}. */
    public record Lex(byte[] min, byte[] max, boolean minEx, boolean maxEx) {
        /** Whether a member is at or above the lower end. */
        public boolean gteMin(byte[] v) {
            int c = compare(v, min);
            return minEx ? c > 0 : c >= 0;
        }

        /** Whether a member is at or below the upper end. */
        public boolean lteMax(byte[] v) {
            int c = compare(v, max);
            return maxEx ? c < 0 : c <= 0;
        }

        /** Whether no member can lie inside. */
        public boolean isEmpty() {
            int c = compare(min, max);
            return c > 0 || (c == 0 && (minEx || maxEx));
        }
    }

    /** Redis's {@code sdscmplex}: byte order, with the two infinite strings at the ends. */
    static int compare(byte[] a, byte[] b) {
        if (a == b) {
            return 0;
        }
        if (a == MIN_STRING || b == MAX_STRING) {
            return -1;
        }
        if (a == MAX_STRING || b == MIN_STRING) {
            return 1;
        }
        return Arrays.compareUnsigned(a, b);
    }
}
