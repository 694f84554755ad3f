package dev.cellar.persistence.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ValueReader.parseDouble: a listpack score's text")
class ScoreParsingTest {

    @Test
    @DisplayName("integers take the fast path and give exactly what parsing the digits gives")
    void integersAsParsed() {
        SplittableRandom random = new SplittableRandom(11);
        String[] edges = {"0", "-0", "7", "-7", "007", "999999999999999999", "-999999999999999999",
            "9007199254740993", "123456789012345678", "1700000123"};
        for (String e : edges) {
            assertSame(e);
        }
        for (int i = 0; i < 100_000; i++) {
            long v = random.nextLong() / (1L << random.nextInt(64));
            assertSame(Long.toString(v));
        }
    }

    @Test
    @DisplayName("everything else still parses as before: decimals, exponents, infinities, junk")
    void othersAsBefore() {
        assertThat(parse("1.5")).isEqualTo(1.5);
        assertThat(parse("-2.5e3")).isEqualTo(-2500.0);
        assertThat(parse("1234567890123456789")).isEqualTo(1234567890123456789.0); // 19 digits: the slow path
        assertThat(parse("inf")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(parse("-inf")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(parse("-")).isNaN();
        assertThat(parse("12a")).isNaN();
        assertThat(parse("")).isNaN();
    }

    private static void assertSame(String digits) {
        assertThat(Double.doubleToRawLongBits(parse(digits))).as(digits)
                .isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(digits)));
    }

    private static double parse(String s) {
        return ValueReader.parseDouble(s.getBytes(StandardCharsets.US_ASCII));
    }
}
