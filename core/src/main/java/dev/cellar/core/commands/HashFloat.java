package dev.cellar.core.commands;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * The x87 80-bit {@code long double} arithmetic HINCRBYFLOAT does, emulated exactly: parsing as
 * Redis's {@code string2ld} (glibc {@code strtold}), addition rounded to a 64-bit mantissa, and
 * formatting as {@code ld2string(..., LD_STR_HUMAN)} ({@code "%.17Lf"} without trailing zeros).
 *
 * <p>Numbers: a finite value is {@code mantissa * 2^exponent} with {@code |mantissa| < 2^64}, the
 * extended format's 64-bit significand (explicit integer bit). The smallest step is
 * {@code 2^-16445} (the smallest subnormal), values at or above {@code 2^16384} are infinite.
 * Every operation first computes the exact result with big integers and then rounds once,
 * to nearest with ties to even, which is what the FPU does in its default mode; printing is exact
 * too (glibc's {@code printf} rounds the exact binary value the same way). Slow but rare: Redis
 * users call HINCRBYFLOAT far less often than they read.
 *
 * <p>Private to the hash family until the integrator unifies it with INCRBYFLOAT's twin.
 */
final class HashFloat {
    /** Redis's {@code MAX_LONG_DOUBLE_CHARS}: string2ld refuses inputs this long or longer. */
    static final int MAX_CHARS = 5 * 1024;
    /** Exponent of the least significant bit of the smallest subnormal. */
    private static final int MIN_LSB_EXP = -16445;
    /** Values whose magnitude reaches {@code 2^MAX_EXP} are infinite. */
    private static final int MAX_EXP = 16384;
    private static final int MANTISSA_BITS = 64;

    /** A parsed or computed value: finite, or an infinity. */
    record Ext(BigInteger mantissa, int exponent, int infinity) {
        static final Ext ZERO = new Ext(BigInteger.ZERO, 0, 0);
        static final Ext POS_INF = new Ext(BigInteger.ZERO, 0, 1);
        static final Ext NEG_INF = new Ext(BigInteger.ZERO, 0, -1);

        boolean isInfinite() {
            return infinity != 0;
        }
    }

    private HashFloat() {}

    // ------------------------------------------------------------------ parsing

    /**
     * Parses as Redis's {@code string2ld}: the whole input must be a {@code strtold} number (decimal
     * or hexadecimal, {@code inf}/{@code infinity} allowed, NaN refused), with no leading space;
     * results that overflow to infinity or underflow to zero are refused.
     *
     * @return the value, or null when refused
     */
    static Ext parse(byte[] s) {
        int len = s.length;
        if (len == 0 || len >= MAX_CHARS) {
            return null;
        }
        // string2ld copies into a C string: strtold stops at an embedded NUL.
        for (int k = 0; k < len; k++) {
            if (s[k] == 0) {
                len = k;
                break;
            }
        }
        if (len == 0 || isSpace(s[0])) {
            return null;
        }
        int i = 0;
        boolean negative = false;
        if (s[i] == '+' || s[i] == '-') {
            negative = s[i] == '-';
            i++;
        }
        String rest = new String(s, i, len - i, StandardCharsets.ISO_8859_1);
        if (rest.equalsIgnoreCase("inf") || rest.equalsIgnoreCase("infinity")) {
            return negative ? Ext.NEG_INF : Ext.POS_INF;
        }
        if (i + 1 < len && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
            return parseHex(s, i + 2, len, negative);
        }
        return parseDecimal(s, i, len, negative);
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\u000b' || b == '\f' || b == '\r';
    }

    private static Ext parseDecimal(byte[] s, int from, int to, boolean negative) {
        int i = from;
        StringBuilder digits = new StringBuilder();
        int fractionDigits = 0;
        boolean any = false;
        while (i < to && isDigit(s[i])) {
            digits.append((char) s[i++]);
            any = true;
        }
        if (i < to && s[i] == '.') {
            i++;
            while (i < to && isDigit(s[i])) {
                digits.append((char) s[i++]);
                fractionDigits++;
                any = true;
            }
        }
        if (!any) {
            return null;
        }
        long exp10 = 0;
        if (i < to && (s[i] == 'e' || s[i] == 'E')) {
            long[] parsed = exponent(s, i + 1, to);
            if (parsed == null) {
                return null;
            }
            exp10 = parsed[0];
            i = to;
        }
        if (i != to) {
            return null;
        }
        BigInteger d = new BigInteger(digits.toString());
        if (d.signum() == 0) {
            return Ext.ZERO;
        }
        exp10 -= fractionDigits;
        // Cheap bounds first: decimal magnitudes far outside the format need no big arithmetic.
        long magnitude = d.toString().length() + exp10;
        if (magnitude > 5000) {
            return null;
        }
        if (magnitude < -5000) {
            return null;
        }
        Ext v = exp10 >= 0
                ? round(negative, d.multiply(BigInteger.TEN.pow((int) exp10)), BigInteger.ONE, 0)
                : round(negative, d, BigInteger.TEN.pow((int) -exp10), 0);
        return v.isInfinite() || v.mantissa().signum() == 0 ? null : v;
    }

    private static Ext parseHex(byte[] s, int from, int to, boolean negative) {
        int i = from;
        BigInteger m = BigInteger.ZERO;
        long exp2 = 0;
        boolean any = false;
        while (i < to && Character.digit(s[i], 16) >= 0) {
            m = m.shiftLeft(4).add(BigInteger.valueOf(Character.digit(s[i++], 16)));
            any = true;
        }
        if (i < to && s[i] == '.') {
            i++;
            while (i < to && Character.digit(s[i], 16) >= 0) {
                m = m.shiftLeft(4).add(BigInteger.valueOf(Character.digit(s[i++], 16)));
                exp2 -= 4;
                any = true;
            }
        }
        if (!any) {
            return null;
        }
        if (i < to && (s[i] == 'p' || s[i] == 'P')) {
            long[] parsed = exponent(s, i + 1, to);
            if (parsed == null) {
                return null;
            }
            exp2 += parsed[0];
            i = to;
        }
        if (i != to) {
            return null;
        }
        if (m.signum() == 0) {
            return Ext.ZERO;
        }
        long top = m.bitLength() + exp2;
        if (top > MAX_EXP + 1 || top < MIN_LSB_EXP - 2) {
            return null;
        }
        Ext v = round(negative, m, BigInteger.ONE, (int) exp2);
        return v.isInfinite() || v.mantissa().signum() == 0 ? null : v;
    }

    /** An exponent {@code [+-]digits} spanning the whole range; saturates; null when malformed. */
    private static long[] exponent(byte[] s, int from, int to) {
        int i = from;
        boolean negative = false;
        if (i < to && (s[i] == '+' || s[i] == '-')) {
            negative = s[i] == '-';
            i++;
        }
        if (i >= to) {
            return null;
        }
        long e = 0;
        for (; i < to; i++) {
            if (!isDigit(s[i])) {
                return null;
            }
            e = Math.min(100_000_000L, e * 10 + (s[i] - '0'));
        }
        return new long[] {negative ? -e : e};
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    // ------------------------------------------------------------------ arithmetic

    /** {@code a + b} as the FPU computes it; an infinity when it overflows (or an operand is one). */
    static Ext add(Ext a, Ext b) {
        if (a.isInfinite() || b.isInfinite()) {
            // inf + -inf is NaN; the caller refuses both alike.
            return a.isInfinite() ? a : b;
        }
        if (a.mantissa().signum() == 0) {
            return b;
        }
        if (b.mantissa().signum() == 0) {
            return a;
        }
        int e = Math.min(a.exponent(), b.exponent());
        BigInteger sum = a.mantissa().shiftLeft(a.exponent() - e).add(b.mantissa().shiftLeft(b.exponent() - e));
        return round(sum.signum() < 0, sum.abs(), BigInteger.ONE, e);
    }

    /**
     * Rounds {@code num / den * 2^exp2} (num, den positive) to the extended format, to nearest with
     * ties to even, honouring the subnormal range; the sign is applied last.
     */
    private static Ext round(boolean negative, BigInteger num, BigInteger den, int exp2) {
        if (num.signum() == 0) {
            return Ext.ZERO;
        }
        // Scale so that the quotient has 66 or 67 bits: two more than the mantissa, plus a remainder.
        int k = num.bitLength() - den.bitLength();
        int shift = MANTISSA_BITS + 2 - k;
        BigInteger[] qr = shift >= 0
                ? num.shiftLeft(shift).divideAndRemainder(den)
                : num.divideAndRemainder(den.shiftLeft(-shift));
        BigInteger q = qr[0];
        boolean sticky = qr[1].signum() != 0;
        long lsbExp = (long) exp2 - shift;
        int qBits = q.bitLength();
        long drop = Math.max(qBits - MANTISSA_BITS, MIN_LSB_EXP - lsbExp);
        BigInteger m;
        if (drop > qBits) {
            m = BigInteger.ZERO;
        } else {
            int d = (int) drop;
            m = q.shiftRight(d);
            BigInteger rest = q.subtract(m.shiftLeft(d));
            int cmp = rest.compareTo(BigInteger.ONE.shiftLeft(d - 1));
            if (cmp > 0 || (cmp == 0 && (sticky || m.testBit(0)))) {
                m = m.add(BigInteger.ONE);
            }
        }
        long e = lsbExp + drop;
        if (m.bitLength() > MANTISSA_BITS) {
            m = m.shiftRight(1);
            e++;
        }
        if (m.signum() == 0) {
            return Ext.ZERO;
        }
        if (m.bitLength() + e > MAX_EXP) {
            return negative ? Ext.NEG_INF : Ext.POS_INF;
        }
        return new Ext(negative ? m.negate() : m, (int) e, 0);
    }

    // ------------------------------------------------------------------ formatting

    /** The text Redis stores and replies: {@code "%.17Lf"} with trailing zeros (and point) removed. */
    static byte[] format(Ext v) {
        if (v.isInfinite()) {
            throw new IllegalArgumentException("infinite");
        }
        BigInteger m = v.mantissa();
        int e = v.exponent();
        BigDecimal exact = e >= 0
                ? new BigDecimal(m.shiftLeft(e))
                : new BigDecimal(m.multiply(BigInteger.valueOf(5).pow(-e)), -e);
        String text = exact.setScale(17, RoundingMode.HALF_EVEN).toPlainString();
        int end = text.length();
        while (text.charAt(end - 1) == '0') {
            end--;
        }
        if (text.charAt(end - 1) == '.') {
            end--;
        }
        text = text.substring(0, end);
        if (text.equals("-0")) {
            text = "0";
        }
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
