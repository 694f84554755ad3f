package dev.cellar.persistence.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class Crc64Test {
    @Test
    @DisplayName("crc64 of '123456789' is Redis's check value e9c6d914c4b8d9ca")
    void checkValue() {
        assertThat(Crc64.of("123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0xe9c6d914c4b8d9caL);
        assertThat(Crc64.of(new byte[0])).isZero();
    }

    @Test
    @DisplayName("slicing-by-8 agrees with the bit-at-a-time definition at every length and split")
    void slicingMatchesBitwise() {
        Random r = new Random(42);
        for (int len = 0; len < 100; len++) {
            byte[] b = new byte[len];
            r.nextBytes(b);
            long expected = bitwise(b);
            assertThat(Crc64.of(b)).isEqualTo(expected);
            int split = len == 0 ? 0 : r.nextInt(len);
            assertThat(Crc64.update(Crc64.update(0, b, 0, split), b, split, len - split)).isEqualTo(expected);
        }
    }

    private static long bitwise(byte[] b) {
        long poly = Long.reverse(0xad93d23594c935a9L);
        long crc = 0;
        for (byte x : b) {
            crc ^= x & 0xff;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ poly : crc >>> 1;
            }
        }
        return crc;
    }
}
