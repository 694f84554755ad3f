package dev.cellar.persistence.aof;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The AOF's RESP encoder writes lengths digit by digit; they must read as {@link Long#toString}. */
class RespTest {
    @Test
    void headersSpellEveryNumberAsDecimal() {
        long[] numbers = {0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 65535, 123456789, 1_000_000_000,
            Integer.MAX_VALUE, Long.MAX_VALUE, -1, -9, -10, -12345, Long.MIN_VALUE + 1, Long.MIN_VALUE};
        Resp resp = new Resp(16);
        StringBuilder expected = new StringBuilder();
        for (long n : numbers) {
            resp.header('$', n);
            expected.append('$').append(n).append("\r\n");
        }
        for (long n = 0; n < 100_000; n += 7) {
            resp.header('*', n);
            expected.append('*').append(n).append("\r\n");
        }
        assertThat(new String(resp.toByteArray(), StandardCharsets.US_ASCII)).isEqualTo(expected.toString());
    }

    @Test
    void commandsAreArraysOfBulkStrings() {
        Resp resp = new Resp(4);
        resp.command(Resp.bytes("SET"), Resp.bytes("k"), new byte[0], Resp.bytes("0123456789"));
        assertThat(new String(resp.toByteArray(), StandardCharsets.US_ASCII))
                .isEqualTo("*4\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n$10\r\n0123456789\r\n");
    }
}
