package dev.cellar.persistence.rdb;

import java.nio.charset.StandardCharsets;

/**
 * Integer strings as Redis recognizes them ({@code string2ll}): optional minus, no leading zeros,
 * no plus, no spaces, no "-0", within a signed 64-bit range. Only such strings may be stored as
 * integers in listpacks, intsets and int-encoded RDB strings, since they round-trip exactly.
 */
final class Ints {
    private Ints() {}

    private static final byte[] LONG_MIN = Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);

    /** Whether {@code s} is the canonical decimal form of a 64-bit integer. */
    static boolean isCanonical(byte[] s) {
        int len = s.length;
        if (len == 0 || len > 20) {
            return false;
        }
        if (len == 1) {
            return s[0] >= '0' && s[0] <= '9';
        }
        int i = 0;
        boolean negative = s[0] == '-';
        if (negative) {
            i = 1;
        }
        if (s[i] < '1' || s[i] > '9') {
            return false;
        }
        long v = 0;
        for (; i < len; i++) {
            int d = s[i] - '0';
            if (d < 0 || d > 9) {
                return false;
            }
            if (v > (Long.MAX_VALUE - d) / 10) {
                // overflow of the positive accumulator: only Long.MIN_VALUE survives
                return negative && java.util.Arrays.equals(s, LONG_MIN);
            }
            v = v * 10 + d;
        }
        return true;
    }

    /** The value of a string that {@link #isCanonical} accepted. */
    static long parse(byte[] s) {
        int i = 0;
        boolean negative = s[0] == '-';
        if (negative) {
            i = 1;
        }
        long v = 0;
        for (; i < s.length; i++) {
            v = v * 10 - (s[i] - '0');
        }
        return negative ? v : -v;
    }

    /** The decimal form. */
    static byte[] toBytes(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }
}
