package dev.cellar.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class NumbersTest {
    private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");

    /** The decimal rule as a regex (the form parseDouble checked with String.matches before session 4). */
    private static Double reference(String text) {
        if (!DECIMAL.matcher(text).matches()) {
            return null;
        }
        double v = Double.parseDouble(text);
        String mantissa = text.toLowerCase(Locale.ROOT).replaceAll("e.*", "");
        boolean zero = mantissa.chars().noneMatch(c -> c >= '1' && c <= '9');
        return Double.isInfinite(v) || (v == 0 && !zero) ? null : v;
    }

    private static Double parse(String text) {
        try {
            return Numbers.parseDouble(text.getBytes(StandardCharsets.ISO_8859_1));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Test
    void decimalFormsAgreeWithTheRegexRule() {
        SplittableRandom random = new SplittableRandom(11);
        String alphabet = "0123456789..eE+-x ";
        for (int n = 0; n < 200_000; n++) {
            int len = 1 + random.nextInt(9);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < len; i++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String text = sb.toString();
            Double expected = reference(text);
            if (expected != null || !text.toLowerCase(Locale.ROOT).contains("x")) {
                assertThat(parse(text)).as("'%s'", text).isEqualTo(expected);
            }
        }
    }

    @Test
    void edgeCases() {
        assertThat(parse("1.5")).isEqualTo(1.5);
        assertThat(parse("-.5")).isEqualTo(-0.5);
        assertThat(parse("5.")).isEqualTo(5.0);
        assertThat(parse("+1E3")).isEqualTo(1000.0);
        assertThat(parse("-0")).isEqualTo(-0.0);
        assertThat(parse("0e-999")).isEqualTo(0.0);
        assertThat(parse("inf")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(parse("-Infinity")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(parse("0x1p4")).isEqualTo(16.0);
        assertThat(parse("0x.8")).isEqualTo(0.5);
        assertThat(parse("-0X0.0p9")).isEqualTo(-0.0);
        assertThat(parse("0x1p-2000")).isNull(); // underflows to zero
        assertThat(parse("0x1p2000")).isNull();  // overflows
        for (String bad : new String[] {"", ".", "e5", "1e", "1e+", "1.5d", "1f", " 1", "1 ", "nan", "1e999", "1e-999",
                "--1", "0x", "0xg", "1..2"}) {
            assertThat(parse(bad)).as("'%s'", bad).isNull();
        }
        assertThatThrownBy(() -> Numbers.parseDouble(new byte[5001])).isInstanceOf(NumberFormatException.class);
    }
}
