package dev.cellar.core.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Reply;
import dev.cellar.core.testing.TestEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExpireCommandsTest {
    private final TestEngine t = TestEngine.create();
    private final long now = t.clock.currentTimeMillis();

    @AfterEach
    void close() {
        t.close();
    }

    private static Reply i(long v) {
        return Reply.of(v);
    }

    private static Reply err(String m) {
        return Reply.error(m);
    }

    @Test
    void expireFamilySetsAbsoluteTimesAndPropagatesPexpireat() {
        t.exec("SET", "k", "v");
        assertThat(t.exec("EXPIRE", "k", "100")).isEqualTo(i(1));
        assertThat(t.exec("PEXPIRETIME", "k")).isEqualTo(i(now + 100_000));
        assertThat(t.exec("PEXPIRE", "k", "5000")).isEqualTo(i(1));
        assertThat(t.exec("PTTL", "k")).isEqualTo(i(5000));
        assertThat(t.exec("EXPIREAT", "k", Long.toString(now / 1000 + 50))).isEqualTo(i(1));
        assertThat(t.exec("PEXPIREAT", "k", Long.toString(now + 7777), "xx")).isEqualTo(i(1));
        assertThat(t.propagatedText()).containsExactly("0 SET k v",
                "0 PEXPIREAT k " + (now + 100_000),
                "0 PEXPIREAT k " + (now + 5000),
                "0 PEXPIREAT k " + (now / 1000 + 50) * 1000,
                "0 PEXPIREAT k " + (now + 7777) + " xx");
    }

    @Test
    void optionsArePropagatedAsSent() {
        t.exec("SET", "k", "v");
        t.exec("EXPIRE", "k", "10", "nx");
        t.exec("PEXPIRE", "k", "20000", "GT");
        assertThat(t.propagatedText()).endsWith("0 PEXPIREAT k " + (now + 10_000) + " nx",
                "0 PEXPIREAT k " + (now + 20_000) + " GT");
    }

    @Test
    void missingKeyIsNotExpired() {
        assertThat(t.exec("EXPIRE", "nokey", "10")).isEqualTo(i(0));
        assertThat(t.exec("EXPIRE", "nokey", "-10")).isEqualTo(i(0));
        assertThat(t.propagatedText()).isEmpty();
    }

    @Test
    void timeInThePastDeletesTheKeyAndPropagatesDel() {
        t.exec("SET", "a", "v");
        t.exec("SET", "b", "v");
        t.exec("SET", "c", "v");
        assertThat(t.exec("EXPIRE", "a", "-1")).isEqualTo(i(1));
        assertThat(t.exec("PEXPIREAT", "b", "1")).isEqualTo(i(1));
        t.exec("CONFIG", "SET", "lazyfree-lazy-expire", "yes");
        assertThat(t.exec("EXPIRE", "c", "0")).isEqualTo(i(1));
        assertThat(t.exec("EXISTS", "a", "b", "c")).isEqualTo(i(0));
        assertThat(t.propagatedText()).endsWith("0 DEL a", "0 DEL b", "0 UNLINK c");
    }

    @Test
    void nxXxGtLtDecideByTheCurrentExpiry() {
        t.exec("SET", "k", "v");
        assertThat(t.exec("EXPIRE", "k", "100", "XX")).isEqualTo(i(0));
        assertThat(t.exec("EXPIRE", "k", "100", "GT")).isEqualTo(i(0));
        assertThat(t.exec("EXPIRE", "k", "100", "LT")).isEqualTo(i(1));
        assertThat(t.exec("EXPIRE", "k", "200", "NX")).isEqualTo(i(0));
        assertThat(t.exec("EXPIRE", "k", "50", "GT")).isEqualTo(i(0));
        assertThat(t.exec("EXPIRE", "k", "100", "GT")).isEqualTo(i(0));
        assertThat(t.exec("EXPIRE", "k", "200", "GT")).isEqualTo(i(1));
        assertThat(t.exec("EXPIRE", "k", "300", "LT")).isEqualTo(i(0));
        assertThat(t.exec("EXPIRE", "k", "150", "LT", "XX")).isEqualTo(i(1));
        assertThat(t.exec("TTL", "k")).isEqualTo(i(150));
        assertThat(t.exec("EXPIRE", "k", "-1", "GT")).isEqualTo(i(0));
        assertThat(t.exec("EXISTS", "k")).isEqualTo(i(1));
        assertThat(t.exec("EXPIRE", "k", "-1", "LT")).isEqualTo(i(1));
        assertThat(t.exec("EXISTS", "k")).isEqualTo(i(0));
    }

    @Test
    void optionErrorsComeBeforeTheTimeIsParsed() {
        t.exec("SET", "k", "v");
        assertThat(t.exec("EXPIRE", "k", "10", "NX", "XX"))
                .isEqualTo(err("ERR NX and XX, GT or LT options at the same time are not compatible"));
        assertThat(t.exec("EXPIRE", "k", "10", "NX", "GT"))
                .isEqualTo(err("ERR NX and XX, GT or LT options at the same time are not compatible"));
        assertThat(t.exec("EXPIRE", "k", "10", "GT", "LT"))
                .isEqualTo(err("ERR GT and LT options at the same time are not compatible"));
        assertThat(t.exec("EXPIRE", "k", "x", "foo")).isEqualTo(err("ERR Unsupported option foo"));
        assertThat(t.exec("EXPIRE", "k", "x")).isEqualTo(err("ERR value is not an integer or out of range"));
        assertThat(t.exec("EXPIRE", "k")).isEqualTo(err("ERR wrong number of arguments for 'expire' command"));
    }

    @Test
    void overflowingTimesAreInvalid() {
        t.exec("SET", "k", "v");
        assertThat(t.exec("EXPIRE", "k", "9223372036854775807"))
                .isEqualTo(err("ERR invalid expire time in 'expire' command"));
        assertThat(t.exec("EXPIRE", "k", "-9223372036854775807"))
                .isEqualTo(err("ERR invalid expire time in 'expire' command"));
        assertThat(t.exec("PEXPIRE", "k", "9223372036854775807"))
                .isEqualTo(err("ERR invalid expire time in 'pexpire' command"));
        assertThat(t.exec("EXPIREAT", "k", "9223372036854776"))
                .isEqualTo(err("ERR invalid expire time in 'expireat' command"));
        assertThat(t.exec("PEXPIREAT", "k", "9223372036854775807")).isEqualTo(i(1));
        assertThat(t.exec("EXPIREAT", "k", "9223372036854775")).isEqualTo(i(1));
    }

    @Test
    void ttlFamilyRepliesAsRedis() {
        t.exec("SET", "k", "v");
        assertThat(t.exec("TTL", "nokey")).isEqualTo(i(-2));
        assertThat(t.exec("PTTL", "nokey")).isEqualTo(i(-2));
        assertThat(t.exec("EXPIRETIME", "nokey")).isEqualTo(i(-2));
        assertThat(t.exec("PEXPIRETIME", "nokey")).isEqualTo(i(-2));
        assertThat(t.exec("TTL", "k")).isEqualTo(i(-1));
        assertThat(t.exec("PTTL", "k")).isEqualTo(i(-1));
        assertThat(t.exec("EXPIRETIME", "k")).isEqualTo(i(-1));
        assertThat(t.exec("PEXPIRETIME", "k")).isEqualTo(i(-1));
        t.exec("PEXPIRE", "k", "1499");
        assertThat(t.exec("TTL", "k")).isEqualTo(i(1));
        t.exec("PEXPIRE", "k", "1500");
        assertThat(t.exec("TTL", "k")).isEqualTo(i(2));
        t.exec("PEXPIREAT", "k", "99999999999499");
        assertThat(t.exec("EXPIRETIME", "k")).isEqualTo(i(99999999999L));
        t.exec("PEXPIREAT", "k", "99999999999500");
        assertThat(t.exec("EXPIRETIME", "k")).isEqualTo(i(100000000000L));
    }

    @Test
    void keyExpiresLazilyOnAccess() {
        t.exec("SET", "k", "v", "PX", "100");
        t.clock.advance(99);
        assertThat(t.exec("PTTL", "k")).isEqualTo(i(1));
        t.clock.advance(1);
        assertThat(t.exec("TTL", "k")).isEqualTo(i(-2));
        assertThat(t.propagatedText()).last().isEqualTo("0 DEL k");
    }

    @Test
    void persistRemovesTheExpiry() {
        t.exec("SET", "k", "v", "EX", "100");
        assertThat(t.exec("PERSIST", "k")).isEqualTo(i(1));
        assertThat(t.exec("PERSIST", "k")).isEqualTo(i(0));
        assertThat(t.exec("PERSIST", "nokey")).isEqualTo(i(0));
        assertThat(t.exec("TTL", "k")).isEqualTo(i(-1));
        assertThat(t.propagatedText()).endsWith("0 PERSIST k");
        assertThat(t.propagatedText()).hasSize(2);
    }

    @Test
    void expireInvalidatesWatch() {
        var other = t.cellar.newSession();
        t.exec("SET", "k", "v");
        t.exec("WATCH", "k");
        t.execOther(other, "EXPIRE", "k", "100");
        t.exec("MULTI");
        t.exec("GET", "k");
        assertThat(t.exec("EXEC")).isEqualTo(Reply.NULL_ARRAY);
    }
}
