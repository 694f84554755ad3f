package dev.cellar.server.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RedisStyleLoggerTest {
    @Test
    void timestampIsRedisFormat() {
        assertThat(RedisStyleLogger.timestamp(LocalDateTime.of(2026, 11, 1, 4, 7, 9, 5_000_000)).toString())
                .isEqualTo("01 Nov 2026 04:07:09.005");
        assertThat(RedisStyleLogger.timestamp(LocalDateTime.of(1999, 1, 31, 23, 59, 59, 999_999_999)).toString())
                .isEqualTo("31 Jan 1999 23:59:59.999");
    }

    @Test
    void timestampMatchesTheJdkFormatterEverywhere() {
        DateTimeFormatter jdk = DateTimeFormatter.ofPattern("dd MMM yyyy HH:mm:ss.SSS", Locale.ENGLISH);
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            LocalDateTime t = LocalDateTime.of(random.nextInt(1970, 2100), random.nextInt(1, 13), random.nextInt(1, 29),
                    random.nextInt(24), random.nextInt(60), random.nextInt(60), random.nextInt(1_000_000_000));
            assertThat(RedisStyleLogger.timestamp(t).toString()).isEqualTo(jdk.format(t));
        }
    }
}
