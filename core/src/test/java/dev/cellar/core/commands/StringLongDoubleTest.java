package dev.cellar.core.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link LongDouble}: strtold parsing, x87 addition and "%.17Lf" printing, with Redis 7.0.15's results. */
class StringLongDoubleTest {

    private static LongDouble ld(String s) {
        return LongDouble.parse(s.getBytes(StandardCharsets.US_ASCII));
    }

    @ParameterizedTest
    @CsvSource({
        "0.1, 0.2, 0.3",
        "10.5, 0.1, 10.6",
        "1, 0.00000000000000001, 1.00000000000000001",
        "0.61760313721590109281590139, 0.4595711777, 1.07717431491590109",
        "-425.136147002276516104757320, -218.100593733546, -643.23674073582251609",
        "-6154455751321388569, 0.426846563212233079244026859952890786, -6154455751321388568.5",
        "6279927094922847181, 2821946869184284483, 9101873964107131664",
        "78.56860, -944.012549, -865.44394899999999998",
        "2.323839672, -3.480213841890576e+19, -34802138418905759998",
        "0.1676122202972997528820, 676373, 676373.16761222029731471",
        "9.570024854379455e-208, 3.6793714265522133e-131, 0",
        "0, -1e-30, 0",
        "0x10, 0x1p-3, 16.125",
        "5., .5, 5.5",
        "+1.5, -0, 1.5",
    })
    void sumsPrintAsRedisPrintsThem(String a, String b, String expected) {
        assertThat(ld(a).add(ld(b)).format()).isEqualTo(expected);
    }

    @Test
    void largeValuesPrintEveryIntegerDigit() {
        assertThat(ld("2.9425770905533756e+155").add(ld("4.3325558879660716e+54")).format()).isEqualTo(
                "29425770905533755999322860258190122758037982950991047637288695593551476283727525966697808386513737"
                        + "1204245664117110048331680549096503200119450516701872914432");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " 1", "1 ", "1e", "1e+", "abc", "nan", "NaN(1)", "0x", "0x.p1", "1e5000", "-1e5000",
        "1e-5000", "--1", "1..2", ".", "infinit", "1\u0000"})
    void textStrtoldWouldRefuseIsRefused(String text) {
        assertThatThrownBy(() -> ld(text)).isInstanceOf(NumberFormatException.class);
    }

    @Test
    void infinityParsesButIsNotFinite() {
        assertThat(ld("inf").isInfinite()).isTrue();
        assertThat(ld("-Infinity").isFinite()).isFalse();
        assertThat(ld("inf").add(ld("-inf")).isNaN()).isTrue();
        assertThat(ld("1e4932").add(ld("1e4932")).isInfinite()).isTrue();
    }

    @Test
    void subnormalsAreKeptNotFlushedToZero() {
        LongDouble tiny = ld("1e-4940");
        assertThat(tiny.isFinite()).isTrue();
        assertThat(tiny).isNotEqualTo(LongDouble.ZERO);
        assertThat(tiny.add(tiny).format()).isEqualTo("0");
    }

    @Test
    void integersAreExact() {
        assertThat(LongDouble.of(Long.MIN_VALUE).format()).isEqualTo("-9223372036854775808");
        assertThat(LongDouble.of(Long.MAX_VALUE).add(LongDouble.of(1)).format()).isEqualTo("9223372036854775808");
        assertThat(LongDouble.of(-7).add(ld("7")).format()).isEqualTo("0");
    }

    @Test
    void textLongerThanRedisLimitIsRefused() {
        assertThat(ld("0." + "1".repeat(LongDouble.MAX_CHARS - 2)).isFinite()).isTrue();
        assertThatThrownBy(() -> ld("0." + "1".repeat(LongDouble.MAX_CHARS - 1)))
                .isInstanceOf(NumberFormatException.class);
    }
}
