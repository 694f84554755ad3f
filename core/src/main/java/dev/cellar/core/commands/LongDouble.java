package dev.cellar.core.commands;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * A C {@code long double} as Redis computes with it on x86-64: the x87 80-bit extended format,
 * a 64-bit mantissa with an explicit integer bit and a 15-bit exponent. INCRBYFLOAT and
 * HINCRBYFLOAT parse with {@code strtold}, add, and print with {@code "%.17Lf"}; this class does the
 * same arithmetic exactly, so results agree with Redis digit for digit.
 *
 * <p>Exactness: a finite value is {@code mantissa * 2^exponent} with {@code mantissa < 2^64}. Parsing
 * computes the decimal (or hexadecimal) text's exact rational value and rounds it once to the
 * nearest representable value, ties to even, as glibc's {@code strtold} does; addition adds exactly
 * and rounds once, as the FPU does in round-to-nearest with 64-bit precision; formatting rounds the
 * exact binary value to 17 decimals, ties to even, as glibc's {@code printf} does. Subnormal values
 * (gradual underflow below {@code 2^-16382}) and overflow to infinity follow the same format.
 */
public final class LongDouble {
    /** Redis's {@code MAX_LONG_DOUBLE_CHARS}: longer text is not parsed. */
    public static final int MAX_CHARS = 5 * 1024;

    private static final int MANTISSA_BITS = 64;
    /** Exponent of the smallest subnormal, {@code 2^-16445}: the mantissa scale at the bottom of the range. */
    private static final int MIN_EXPONENT = -16445;
    /** Largest exponent with a 64-bit mantissa below {@code 2^16384}. */
    private static final int MAX_EXPONENT = 16384 - MANTISSA_BITS;
    private static final int FORMAT_DECIMALS = 17;
    private static final BigInteger FORMAT_SCALE = BigInteger.TEN.pow(FORMAT_DECIMALS);

    private enum Kind { FINITE, INFINITE, NAN }

    /** Positive zero. */
    public static final LongDouble ZERO = new LongDouble(Kind.FINITE, false, BigInteger.ZERO, 0);
    private static final LongDouble POSITIVE_INFINITY = new LongDouble(Kind.INFINITE, false, BigInteger.ZERO, 0);
    private static final LongDouble NEGATIVE_INFINITY = new LongDouble(Kind.INFINITE, true, BigInteger.ZERO, 0);
    private static final LongDouble NAN = new LongDouble(Kind.NAN, false, BigInteger.ZERO, 0);

    private final Kind kind;
    private final boolean negative;
    private final BigInteger mantissa;
    private final int exponent;

    private LongDouble(Kind kind, boolean negative, BigInteger mantissa, int exponent) {
        this.kind = kind;
        this.negative = negative;
        this.mantissa = mantissa;
        this.exponent = exponent;
    }

    /** The value of a 64-bit integer (always exact: the mantissa has 64 bits). */
    public static LongDouble of(long value) {
        if (value == 0) {
            return ZERO;
        }
        BigInteger m = BigInteger.valueOf(value);
        return round(value < 0, m.abs(), BigInteger.ONE, 0);
    }

    /**
     * Parses text as Redis's {@code getLongDoubleFromObject} does with {@code strtold}: optional
     * sign, decimal or {@code 0x} hexadecimal notation with an optional exponent, or {@code inf} /
     * {@code infinity}; no spaces, nothing after the number, at most {@value #MAX_CHARS} bytes.
     * Values that overflow, or that are not zero yet round to zero, are refused, as is NaN.
     *
     * @throws NumberFormatException when Redis would answer {@code ERR value is not a valid float}
     */
    public static LongDouble parse(byte[] text) {
        if (text.length == 0 || text.length > MAX_CHARS) {
            throw new NumberFormatException("not a long double");
        }
        Parser p = new Parser(text);
        LongDouble v = p.number();
        if (p.pos != text.length || v == null || v.kind == Kind.NAN || p.rangeError) {
            throw new NumberFormatException("not a long double");
        }
        return v;
    }

    /** Whether the value is neither infinite nor NaN. */
    public boolean isFinite() {
        return kind == Kind.FINITE;
    }

    /** Whether the value is NaN. */
    public boolean isNaN() {
        return kind == Kind.NAN;
    }

    /** Whether the value is an infinity. */
    public boolean isInfinite() {
        return kind == Kind.INFINITE;
    }

    /** The sum, rounded to the nearest long double (ties to even); may be infinite or NaN. */
    public LongDouble add(LongDouble other) {
        if (kind == Kind.NAN || other.kind == Kind.NAN) {
            return NAN;
        }
        if (kind == Kind.INFINITE || other.kind == Kind.INFINITE) {
            if (kind == Kind.INFINITE && other.kind == Kind.INFINITE && negative != other.negative) {
                return NAN;
            }
            return kind == Kind.INFINITE ? this : other;
        }
        if (other.mantissa.signum() == 0) {
            return mantissa.signum() == 0 ? (negative && other.negative ? this : ZERO) : this;
        }
        if (mantissa.signum() == 0) {
            return other;
        }
        int low = Math.min(exponent, other.exponent);
        BigInteger a = mantissa.shiftLeft(exponent - low);
        BigInteger b = other.mantissa.shiftLeft(other.exponent - low);
        BigInteger sum = (negative ? a.negate() : a).add(other.negative ? b.negate() : b);
        if (sum.signum() == 0) {
            return ZERO;
        }
        return scaled(sum.signum() < 0, sum.abs(), low);
    }

    /**
     * Formats as Redis's {@code ld2string(..., LD_STR_HUMAN)}: {@code "%.17Lf"} with trailing zeros
     * and a trailing point removed, {@code -0} printed as {@code 0}; {@code inf} / {@code -inf}
     * for infinities.
     */
    public String format() {
        if (kind == Kind.INFINITE) {
            return negative ? "-inf" : "inf";
        }
        if (kind == Kind.NAN) {
            return negative ? "-nan" : "nan";
        }
        String digits;
        if (exponent >= 0) {
            digits = mantissa.shiftLeft(exponent).toString();
        } else {
            BigInteger den = BigInteger.ONE.shiftLeft(-exponent);
            BigInteger[] qr = mantissa.multiply(FORMAT_SCALE).divideAndRemainder(den);
            BigInteger q = roundHalfEven(qr[0], qr[1], den);
            BigInteger[] parts = q.divideAndRemainder(FORMAT_SCALE);
            String fraction = parts[1].toString();
            StringBuilder sb = new StringBuilder(parts[0].toString());
            if (parts[1].signum() != 0) {
                sb.append('.');
                sb.append("0".repeat(FORMAT_DECIMALS - fraction.length()));
                int end = fraction.length();
                while (fraction.charAt(end - 1) == '0') {
                    end--;
                }
                sb.append(fraction, 0, end);
            }
            digits = sb.toString();
        }
        if (negative && !digits.equals("0")) {
            return "-" + digits;
        }
        return digits;
    }

    /** {@link #format()} as bytes. */
    public byte[] toBytes() {
        return format().getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return format();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LongDouble d && kind == d.kind && negative == d.negative
                && mantissa.equals(d.mantissa) && exponent == d.exponent;
    }

    @Override
    public int hashCode() {
        return (kind.hashCode() * 31 + mantissa.hashCode()) * 31 + exponent + (negative ? 1 : 0);
    }

    // ------------------------------------------------------------------ rounding

    /** Rounds {@code num / den} (both positive) to the nearest long double. */
    private static LongDouble round(boolean negative, BigInteger num, BigInteger den, int scale2) {
        // value = num / den * 2^scale2; find e with 2^63 <= value / 2^e < 2^64, then round.
        // num / den lies in (2^(a-b-1), 2^(a-b+1)) for bit lengths a and b, so this first guess
        // gives a quotient of 64 or 65 bits; one correction suffices.
        int e = Math.max(MIN_EXPONENT, num.bitLength() - den.bitLength() + scale2 - MANTISSA_BITS);
        BigInteger[] qr = divideScaled(num, den, scale2 - e);
        if (qr[0].bitLength() > MANTISSA_BITS) {
            e++;
            qr = divideScaled(num, den, scale2 - e);
        }
        BigInteger q = roundHalfEven(qr[0], qr[1], denominator(den, scale2 - e));
        if (q.bitLength() > MANTISSA_BITS) {
            q = q.shiftRight(1);
            e++;
        }
        if (e > MAX_EXPONENT) {
            return negative ? NEGATIVE_INFINITY : POSITIVE_INFINITY;
        }
        if (q.signum() == 0) {
            return negative ? new LongDouble(Kind.FINITE, true, BigInteger.ZERO, 0) : ZERO;
        }
        return new LongDouble(Kind.FINITE, negative, q, e);
    }

    /** Rounds the positive integer {@code value * 2^exponent}. */
    private static LongDouble scaled(boolean negative, BigInteger value, int exponent) {
        return round(negative, value, BigInteger.ONE, exponent);
    }

    /** {@code num * 2^shift / den} as quotient and remainder. */
    private static BigInteger[] divideScaled(BigInteger num, BigInteger den, int shift) {
        return shift >= 0 ? num.shiftLeft(shift).divideAndRemainder(den)
                : num.divideAndRemainder(den.shiftLeft(-shift));
    }

    private static BigInteger denominator(BigInteger den, int shift) {
        return shift >= 0 ? den : den.shiftLeft(-shift);
    }

    private static BigInteger roundHalfEven(BigInteger q, BigInteger r, BigInteger den) {
        int c = r.shiftLeft(1).compareTo(den);
        if (c > 0 || (c == 0 && q.testBit(0))) {
            return q.add(BigInteger.ONE);
        }
        return q;
    }

    // ------------------------------------------------------------------ parsing

    /** A cursor over {@code strtold}'s grammar (C locale). */
    private static final class Parser {
        private final byte[] s;
        int pos;
        /** Set when a finite literal overflowed, or was not zero yet rounded to zero (strtold's ERANGE). */
        boolean rangeError;

        Parser(byte[] s) {
            this.s = s;
        }

        private int peek(int offset) {
            int i = pos + offset;
            return i < s.length ? s[i] & 0xff : -1;
        }

        /** Parses a number from the start; null when nothing could be parsed. */
        LongDouble number() {
            boolean negative = false;
            int c = peek(0);
            if (c == '+' || c == '-') {
                negative = c == '-';
                pos++;
            }
            if (matchWord("infinity") || matchWord("inf")) {
                return negative ? NEGATIVE_INFINITY : POSITIVE_INFINITY;
            }
            if (matchWord("nan")) {
                return NAN;
            }
            if (peek(0) == '0' && (peek(1) == 'x' || peek(1) == 'X')
                    && (hexDigit(peek(2)) >= 0 || (peek(2) == '.' && hexDigit(peek(3)) >= 0))) {
                pos += 2;
                return hex(negative);
            }
            return decimal(negative);
        }

        private boolean matchWord(String word) {
            int n = word.length();
            if (pos + n > s.length) {
                return false;
            }
            for (int i = 0; i < n; i++) {
                if (Character.toLowerCase(s[pos + i]) != word.charAt(i)) {
                    return false;
                }
            }
            pos += n;
            return true;
        }

        private LongDouble decimal(boolean negative) {
            StringBuilder digits = new StringBuilder();
            int fractionDigits = 0;
            boolean any = false;
            while (isDigit(peek(0))) {
                digits.append((char) peek(0));
                pos++;
                any = true;
            }
            if (peek(0) == '.' && (any || isDigit(peek(1)))) {
                pos++;
                while (isDigit(peek(0))) {
                    digits.append((char) peek(0));
                    fractionDigits++;
                    pos++;
                    any = true;
                }
            }
            if (!any) {
                return null;
            }
            long exp = exponent('e', 'E');
            BigInteger n = new BigInteger(digits.toString());
            if (n.signum() == 0) {
                return negative ? new LongDouble(Kind.FINITE, true, BigInteger.ZERO, 0) : ZERO;
            }
            long e10 = exp - fractionDigits;
            // The value is below 10^(d + e10) and at least 10^(d - 1 + e10): decide far-out cases
            // without building huge powers (the long double range is about 3.6e-4951 .. 1.19e4932).
            int d = n.toString().length();
            if (d - 1 + e10 > 4933 || d + e10 < -4952) {
                rangeError = true;
                return ZERO;
            }
            LongDouble v = e10 >= 0 ? round(negative, n.multiply(BigInteger.TEN.pow((int) e10)), BigInteger.ONE, 0)
                    : round(negative, n, BigInteger.TEN.pow((int) -e10), 0);
            return rangeChecked(v);
        }

        private LongDouble hex(boolean negative) {
            BigInteger n = BigInteger.ZERO;
            long fractionDigits = 0;
            while (hexDigit(peek(0)) >= 0) {
                n = n.shiftLeft(4).add(BigInteger.valueOf(hexDigit(peek(0))));
                pos++;
            }
            if (peek(0) == '.') {
                pos++;
                while (hexDigit(peek(0)) >= 0) {
                    n = n.shiftLeft(4).add(BigInteger.valueOf(hexDigit(peek(0))));
                    fractionDigits++;
                    pos++;
                }
            }
            long exp = exponent('p', 'P');
            if (n.signum() == 0) {
                return negative ? new LongDouble(Kind.FINITE, true, BigInteger.ZERO, 0) : ZERO;
            }
            long e2 = exp - 4 * fractionDigits;
            long top = n.bitLength() + e2;
            if (top > 16384 + 1 || top < MIN_EXPONENT - 2) {
                rangeError = true;
                return ZERO;
            }
            return rangeChecked(round(negative, n, BigInteger.ONE, (int) e2));
        }

        /** Records strtold's range errors that Redis refuses: overflow, and underflow to zero. */
        private LongDouble rangeChecked(LongDouble v) {
            if (v.kind == Kind.INFINITE || v.mantissa.signum() == 0) {
                rangeError = true;
            }
            return v;
        }

        /** An optional exponent ({@code e12}, {@code p-3}), saturated far beyond the format's range. */
        private long exponent(char lower, char upper) {
            int c = peek(0);
            if (c != lower && c != upper) {
                return 0;
            }
            int sign = 1;
            int at = 1;
            if (peek(1) == '+' || peek(1) == '-') {
                sign = peek(1) == '-' ? -1 : 1;
                at = 2;
            }
            if (!isDigit(peek(at))) {
                return 0;
            }
            pos += at;
            long e = 0;
            while (isDigit(peek(0))) {
                if (e < 100_000_000) {
                    e = e * 10 + (peek(0) - '0');
                }
                pos++;
            }
            return sign * e;
        }

        private static boolean isDigit(int c) {
            return c >= '0' && c <= '9';
        }

        private static int hexDigit(int c) {
            if (c >= '0' && c <= '9') {
                return c - '0';
            }
            if (c >= 'a' && c <= 'f') {
                return c - 'a' + 10;
            }
            if (c >= 'A' && c <= 'F') {
                return c - 'A' + 10;
            }
            return -1;
        }
    }
}
