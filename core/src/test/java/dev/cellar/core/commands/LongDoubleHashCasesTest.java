package dev.cellar.core.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** LongDouble's emulation of x87 long double as HINCRBYFLOAT uses it, against answers the real Redis 7.0 gave. */
class LongDoubleHashCasesTest {

    static String incr(String stored, String increment) {
        LongDouble a;
        LongDouble b;
        try {
            a = LongDouble.parse(stored.getBytes(StandardCharsets.ISO_8859_1));
            b = LongDouble.parse(increment.getBytes(StandardCharsets.ISO_8859_1));
        } catch (NumberFormatException e) {
            return "invalid";
        }
        LongDouble sum = a.add(b);
        return sum.isInfinite() ? "inf" : sum.format();
    }

    /** Parsing and printing one value (as HINCRBYFLOAT of a new field prints it). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1e-5000|invalid",
        "1e-4940|0",
        "1e-4950|0",
        "3.6451995318824746025e-4951|0",
        "1e-4952|invalid",
        "2e-4951|0",
        "1.9e-4951|0",
        "1.8e-4951|invalid",
        ".5|0.5",
        "5.|5",
        "+.5e1|5",
        "1e|invalid",
        "0x1p-3|0.125",
        "0x.8|0.5",
        "0X1P+2|4",
        "1_0|invalid",
        "0x|invalid",
        "-|invalid",
        "00012|12",
        "1e+2|100",
        "0x1p16384|invalid",
        "1.18973149535723176509e4932|invalid",
        "0.1|0.1",
        "-0|0",
        "-1e-20|0",
        "123456789012345678901234567890|123456789012345678899921813504",
        "0.000000000000000005|0",
        "0.000000000000000015|0.00000000000000002",
        "0.000000000000000025|0.00000000000000002",
        "nan|invalid",
        "' 1'|invalid",
        "'1 '|invalid",
    })
    void parsesAndPrintsAsRedis(String input, String expected) {
        assertThat(incr("0", input)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0.1|0.2|0.3",
        "0.3|-0.3|0",
        "1e17|0.5|100000000000000000.5",
        "1|1e-18|1",
        "1|1e-17|1.00000000000000001",
        "5.0e3|0|5000",
        "inf|1|inf",
        "1e4932|1e4932|inf",
        "10.5|-20.25|-9.75",
        "3.0|1.0e-300|3",
    })
    void addsAsTheFpuDoes(String stored, String increment, String expected) {
        assertThat(incr(stored, increment)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void largestFiniteValuePrintsInFull() {
        // Redis prints all 4933 digits of (2^64 - 1) * 2^16320 exactly, as glibc's printf does.
        java.math.BigInteger max = java.math.BigInteger.ONE.shiftLeft(64).subtract(java.math.BigInteger.ONE)
                .shiftLeft(16320);
        assertThat(incr("0", "0x1.fffffffffffffffep16383")).isEqualTo(max.toString());
        assertThat(incr("0", "1.18973149535723176502e4932")).isEqualTo(max.toString());
        assertThat(max.toString()).startsWith("1189731495357231765021263853030970205169").hasSize(4933);
    }
}
