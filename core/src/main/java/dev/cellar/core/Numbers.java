package dev.cellar.core;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * Redis's number syntax: parsing as {@code string2ll} and {@code strtod} accept it, and formatting
 * as {@code %.17g} prints it, so that replies and stored values match Redis byte for byte.
 */
public final class Numbers {
    private static final MathContext SEVENTEEN = new MathContext(17, RoundingMode.HALF_EVEN);

    private Numbers() {}

    /**
     * C's {@code strtoll(s, &end, 10)}: leading white space, an optional sign, then as many digits as
     * there are, clamped to the long range; no digits is 0. When {@code end} is not null,
     * {@code end[0]} becomes the index after the last digit, or 0 when there was none (C's end
     * pointer), so a caller can require the whole string.
     */
    public static long strtoll(String s, int[] end) {
        int i = 0;
        int n = s.length();
        while (i < n && (s.charAt(i) == ' ' || (s.charAt(i) >= '\t' && s.charAt(i) <= '\r'))) {
            i++;
        }
        boolean negative = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        int digits = i;
        long v = 0;
        boolean overflow = false;
        for (; i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9'; i++) {
            int d = s.charAt(i) - '0';
            if (v > (Long.MAX_VALUE - d) / 10) {
                overflow = true;
            } else {
                v = v * 10 + d;
            }
        }
        if (end != null) {
            end[0] = i == digits ? 0 : i;
        }
        if (i == digits) {
            return 0;
        }
        if (overflow) {
            return negative ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return negative ? -v : v;
    }

    /**
     * Parses a 64-bit integer strictly, as Redis's {@code string2ll}: an optional {@code -}, no
     * {@code +}, no spaces, no leading zeros.
     *
     * @throws NumberFormatException when the bytes are not such an integer or do not fit
     */
    public static long parseLong(byte[] s) {
        int len = s.length;
        if (len == 0 || len > 20) {
            throw new NumberFormatException();
        }
        if (len == 1 && s[0] == '0') {
            return 0;
        }
        int i = 0;
        boolean negative = false;
        if (s[0] == '-') {
            negative = true;
            i = 1;
            if (len == 1) {
                throw new NumberFormatException();
            }
        }
        if (s[i] < '1' || s[i] > '9') {
            throw new NumberFormatException();
        }
        long v = 0;
        for (; i < len; i++) {
            int d = s[i] - '0';
            if (d < 0 || d > 9) {
                throw new NumberFormatException();
            }
            // accumulate negatively so Long.MIN_VALUE fits
            if (v < (Long.MIN_VALUE + d) / 10) {
                throw new NumberFormatException();
            }
            v = v * 10 - d;
        }
        if (!negative) {
            if (v == Long.MIN_VALUE) {
                throw new NumberFormatException();
            }
            v = -v;
        }
        return v;
    }

    /** Whether the bytes are a canonical integer ({@link #parseLong} accepts them). */
    public static boolean isLong(byte[] s) {
        if (s.length == 0 || s.length > 20) {
            return false;
        }
        // Scan first: most strings are not numbers, and a thrown NumberFormatException (a stack
        // trace filled per call) made every SET of a non-numeric value several times slower.
        for (int i = 0; i < s.length; i++) {
            if ((s[i] < '0' || s[i] > '9') && !(i == 0 && s[i] == '-')) {
                return false;
            }
        }
        try {
            parseLong(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Parses a double as Redis's {@code getDoubleFromObject} does with {@code strtod}: decimal or
     * hexadecimal notation, {@code inf}/{@code infinity} with an optional sign, no spaces, no NaN,
     * nothing that overflows or underflows to zero.
     *
     * @throws NumberFormatException when the bytes are not such a number
     */
    public static double parseDouble(byte[] s) {
        int len = s.length;
        if (len == 0 || len > 5000) {
            throw new NumberFormatException();
        }
        String text = new String(s, StandardCharsets.ISO_8859_1);
        int plain = plainDecimal(s);
        if (plain >= 0) {
            // The common form (ZADD's scores, INCRBYFLOAT's increments): checked without a regex.
            double value = Double.parseDouble(text);
            if (Double.isInfinite(value) || (value == 0 && plain == 0)) {
                throw new NumberFormatException(); // out of range, as strtod's ERANGE
            }
            return value;
        }
        int i = 0;
        boolean negative = false;
        if (text.charAt(0) == '+' || text.charAt(0) == '-') {
            negative = text.charAt(0) == '-';
            i = 1;
        }
        String body = text.substring(i);
        String lower = body.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals("inf") || lower.equals("infinity")) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        // Every decimal form was taken above: what is left is hexadecimal or not a number.
        if (!HEX.matcher(lower).matches()) {
            throw new NumberFormatException();
        }
        double value = Double.parseDouble((negative ? "-" : "") + (lower.contains("p") ? lower : lower + "p0"));
        if (Double.isInfinite(value) || Double.isNaN(value)) {
            throw new NumberFormatException();
        }
        if (value == 0 && !isZeroHexLiteral(lower)) {
            throw new NumberFormatException();
        }
        return value;
    }

    private static final java.util.regex.Pattern HEX =
            java.util.regex.Pattern.compile("0x([0-9a-f]+\\.?[0-9a-f]*|\\.[0-9a-f]+)(p[+-]?[0-9]+)?");

    /**
     * Whether {@code s} is a decimal number as strtod reads one: an optional sign, digits with at
     * most one point (at least one digit), an optional exponent ({@code e} or {@code E}, a sign,
     * digits): -1 when it is not, 0 when it is and its mantissa has a non-zero digit, 1 when its
     * mantissa is all zeros.
     */
    private static int plainDecimal(byte[] s) {
        int i = 0;
        int n = s.length;
        if (s[0] == '+' || s[0] == '-') {
            i = 1;
        }
        int digits = 0;
        boolean nonZero = false;
        while (i < n && s[i] >= '0' && s[i] <= '9') {
            nonZero |= s[i] != '0';
            digits++;
            i++;
        }
        if (i < n && s[i] == '.') {
            i++;
            while (i < n && s[i] >= '0' && s[i] <= '9') {
                nonZero |= s[i] != '0';
                digits++;
                i++;
            }
        }
        if (digits == 0) {
            return -1;
        }
        if (i < n && (s[i] == 'e' || s[i] == 'E')) {
            i++;
            if (i < n && (s[i] == '+' || s[i] == '-')) {
                i++;
            }
            int expDigits = 0;
            while (i < n && s[i] >= '0' && s[i] <= '9') {
                expDigits++;
                i++;
            }
            if (expDigits == 0) {
                return -1;
            }
        }
        if (i != n) {
            return -1;
        }
        return nonZero ? 0 : 1;
    }

    /** Whether a hexadecimal number ({@code 0x...}, lower case) has a mantissa of zeros only. */
    private static boolean isZeroHexLiteral(String lower) {
        int end = lower.indexOf('p');
        String mantissa = lower.substring(2, end < 0 ? lower.length() : end);
        for (int k = 0; k < mantissa.length(); k++) {
            char c = mantissa.charAt(k);
            if (c != '0' && c != '.') {
                return false;
            }
        }
        return true;
    }

    /** Formats a double as C's {@code %.17g}, with {@code inf} and {@code -inf}, as Redis replies. */
    public static String formatDouble(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0" : "0";
        }
        BigDecimal rounded = new BigDecimal(d).round(SEVENTEEN);
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent < -4 || exponent >= 17) {
            BigDecimal unscaled = rounded.movePointLeft(exponent);
            String mantissa = stripZeros(unscaled.setScale(16, RoundingMode.UNNECESSARY).toPlainString());
            String sign = exponent < 0 ? "-" : "+";
            int abs = Math.abs(exponent);
            return mantissa + "e" + sign + (abs < 10 ? "0" : "") + abs;
        }
        int decimals = Math.max(0, 16 - exponent);
        return stripZeros(rounded.setScale(decimals, RoundingMode.UNNECESSARY).toPlainString());
    }

    private static String stripZeros(String s) {
        if (s.indexOf('.') < 0) {
            return s;
        }
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        if (s.charAt(end - 1) == '.') {
            end--;
        }
        return s.substring(0, end);
    }
}
