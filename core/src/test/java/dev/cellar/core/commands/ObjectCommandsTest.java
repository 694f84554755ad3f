package dev.cellar.core.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Reply;
import dev.cellar.core.testing.TestEngine;
import dev.cellar.core.values.ValueType;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ObjectCommandsTest {
    private final TestEngine t = TestEngine.create();

    @AfterEach
    void close() {
        t.close();
    }

    private Reply enc(String key) {
        return t.exec("OBJECT", "ENCODING", key);
    }

    @Test
    void stringEncodingsFollowRedisRules() {
        t.exec("SET", "i", "-9223372036854775808");
        t.exec("SET", "big", "12345678901234567890");
        t.exec("SET", "lead", "007");
        t.exec("SET", "e", "x".repeat(44));
        t.exec("SET", "r", "x".repeat(45));
        t.exec("SET", "longkey".repeat(40), "short");
        assertThat(enc("i")).isEqualTo(Reply.bulk("int"));
        assertThat(enc("big")).isEqualTo(Reply.bulk("embstr"));
        assertThat(enc("lead")).isEqualTo(Reply.bulk("embstr"));
        assertThat(enc("e")).isEqualTo(Reply.bulk("embstr"));
        assertThat(enc("r")).isEqualTo(Reply.bulk("raw"));
        assertThat(enc("longkey".repeat(40))).isEqualTo(Reply.bulk("embstr"));
        assertThat(enc("nokey")).isEqualTo(Reply.NULL);
    }

    @Test
    void stringBuiltInPlaceIsRaw() {
        t.cellar.withLock(() -> {
            t.cellar.engine().db(0).setRawString("k".getBytes(), "abc".getBytes());
            t.cellar.engine().settleMemory();
            return null;
        });
        assertThat(enc("k")).isEqualTo(Reply.bulk("raw"));
        t.exec("COPY", "k", "k2");
        assertThat(enc("k2")).isEqualTo(Reply.bulk("raw"));
    }

    @Test
    void collectionEncodingComesFromTheValue() {
        KeyTestValue.insert(t, 0, "l", ValueType.LIST, "a");
        assertThat(enc("l")).isEqualTo(Reply.bulk("testenc"));
        assertThat(t.exec("OBJECT", "REFCOUNT", "l")).isEqualTo(Reply.ONE);
    }

    @Test
    void refcountOfSharedIntegers() {
        t.exec("SET", "small", "9999");
        t.exec("SET", "large", "10000");
        t.exec("SET", "s", "abc");
        assertThat(t.exec("OBJECT", "REFCOUNT", "small")).isEqualTo(Reply.of(2147483647));
        assertThat(t.exec("OBJECT", "REFCOUNT", "large")).isEqualTo(Reply.ONE);
        assertThat(t.exec("OBJECT", "REFCOUNT", "s")).isEqualTo(Reply.ONE);
        assertThat(t.exec("OBJECT", "REFCOUNT", "nokey")).isEqualTo(Reply.NULL);
        t.exec("CONFIG", "SET", "maxmemory", "1gb", "maxmemory-policy", "allkeys-lru");
        assertThat(t.exec("OBJECT", "REFCOUNT", "small")).isEqualTo(Reply.ONE);
    }

    @Test
    void idletimeUnderLruAndFreqUnderLfu() {
        t.exec("SET", "k", "v");
        t.clock.advance(65_000);
        assertThat(t.exec("OBJECT", "IDLETIME", "k")).isEqualTo(Reply.of(65));
        assertThat(t.exec("OBJECT", "IDLETIME", "k")).isEqualTo(Reply.of(65));
        assertThat(t.exec("OBJECT", "FREQ", "k")).isEqualTo(Reply.error(ObjectCommands.LFU_NOT_SELECTED));
        assertThat(t.exec("OBJECT", "FREQ", "nokey")).isEqualTo(Reply.NULL);
        t.exec("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu");
        t.exec("SET", "f", "v");
        assertThat(t.exec("OBJECT", "FREQ", "f")).isEqualTo(Reply.of(5));
        assertThat(t.exec("OBJECT", "IDLETIME", "f")).isEqualTo(Reply.error(ObjectCommands.LFU_SELECTED));
        assertThat(t.exec("OBJECT", "IDLETIME", "nokey")).isEqualTo(Reply.NULL);
        assertThat(ObjectCommands.LFU_NOT_SELECTED).isEqualTo("ERR An LFU maxmemory policy is not selected,"
                + " access frequency not tracked. Please note that when switching between policies at runtime"
                + " LRU and LFU data will take some time to adjust.");
    }

    @Test
    void lfuCounterGrowsWithAccessAndDecaysWithTime() {
        t.exec("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu", "lfu-log-factor", "0");
        t.exec("SET", "f", "v");
        for (int n = 0; n < 20; n++) {
            t.exec("GET", "f");
        }
        assertThat(t.exec("OBJECT", "FREQ", "f")).isEqualTo(Reply.of(25));
        t.exec("CONFIG", "SET", "lfu-decay-time", "2");
        t.clock.advance(10 * 60_000);
        assertThat(t.exec("OBJECT", "FREQ", "f")).isEqualTo(Reply.of(20));
    }

    @Test
    void helpAndSubcommandErrors() {
        List<Reply> help = ((Reply.Array) t.exec("OBJECT", "HELP")).items();
        assertThat(help).hasSize(15).startsWith(
                new Reply.Simple("OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"));
        assertThat(t.exec("OBJECT")).isEqualTo(Reply.error("ERR wrong number of arguments for 'object' command"));
        assertThat(t.exec("OBJECT", "foo")).isEqualTo(Reply.error("ERR unknown subcommand 'foo'. Try OBJECT HELP."));
        assertThat(t.exec("OBJECT", "ENCODING"))
                .isEqualTo(Reply.error("ERR wrong number of arguments for 'object|encoding' command"));
        assertThat(t.exec("OBJECT", "HELP", "x"))
                .isEqualTo(Reply.error("ERR wrong number of arguments for 'object|help' command"));
    }

    @Test
    void memoryUsageEstimatesOneKey() {
        t.exec("SET", "small", "v");
        t.exec("SET", "big", "x".repeat(1000));
        long small = ((Reply.Int) t.exec("MEMORY", "USAGE", "small")).value();
        long big = ((Reply.Int) t.exec("MEMORY", "USAGE", "big")).value();
        assertThat(small).isBetween(16L, 64L);
        assertThat(big).isBetween(1000L, 1100L);
        assertThat(t.exec("MEMORY", "USAGE", "big", "SAMPLES", "0")).isEqualTo(Reply.of(big));
        assertThat(t.exec("MEMORY", "USAGE", "nokey")).isEqualTo(Reply.NULL);
        assertThat(t.exec("MEMORY", "USAGE", "nokey", "SAMPLES", "x"))
                .isEqualTo(Reply.error("ERR value is not an integer or out of range"));
        assertThat(t.exec("MEMORY", "USAGE", "big", "SAMPLES", "-1")).isEqualTo(Reply.error("ERR syntax error"));
        assertThat(t.exec("MEMORY", "USAGE", "big", "foo")).isEqualTo(Reply.error("ERR syntax error"));
        assertThat(t.exec("MEMORY", "USAGE"))
                .isEqualTo(Reply.error("ERR wrong number of arguments for 'memory|usage' command"));
        assertThat(((Reply.Array) t.exec("MEMORY", "HELP")).items()).hasSize(6);
    }
}
