package dev.cellar.core.differential;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.core.testing.Differential;
import dev.cellar.core.testing.Differential.Cmd;
import dev.cellar.core.testing.Differential.Compare;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every family at once over one small key set, so keys change type, collide with commands of
 * other types (WRONGTYPE), move between databases and are copied, renamed and expired, against the
 * real Redis 7.0. OBJECT ENCODING is compared exactly: the encodings are about memory, and they must
 * switch where Redis's do. The family tests go deeper; this one checks that the families compose.
 */
class AllTypesDifferentialTest {
    private static final String[] KEYS = {"a", "b", "c", "d", "e", "f", "g", "h"};

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void everyFamilyAgreesWithRedis(long seed) throws Exception {
        List<String> mismatches = Differential.run(seed, 5000, AllTypesDifferentialTest::next,
                "hash-max-listpack-entries", "8", "zset-max-listpack-entries", "8", "set-max-intset-entries", "8",
                "list-max-listpack-size", "4");
        assertThat(mismatches).as(Differential.report(mismatches)).isEmpty();
    }

    private static String key(Random r) {
        return KEYS[r.nextInt(KEYS.length)];
    }

    private static String member(Random r) {
        return r.nextInt(3) == 0 ? Integer.toString(r.nextInt(20)) : "m" + r.nextInt(12);
    }

    private static String value(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> Integer.toString(r.nextInt(100) - 50);
            case 1 -> "x".repeat(r.nextInt(80));
            default -> "v" + r.nextInt(50);
        };
    }

    static Cmd next(Random r) {
        String k = key(r);
        String k2 = key(r);
        switch (r.nextInt(40)) {
            case 0: return Cmd.exact("SET", k, value(r));
            case 1: return Cmd.exact("GET", k);
            case 2: return Cmd.exact("APPEND", k, value(r));
            case 3: return Cmd.exact("INCRBY", k, Integer.toString(r.nextInt(10)));
            case 4: return Cmd.exact("STRLEN", k);
            case 5: return Cmd.exact("RPUSH", k, value(r), value(r));
            case 6: return Cmd.exact("LPUSH", k, value(r));
            case 7: return Cmd.exact("LPOP", k);
            case 8: return Cmd.exact("LRANGE", k, "0", "-1");
            case 9: return Cmd.exact("LMOVE", k, k2, r.nextBoolean() ? "LEFT" : "RIGHT", "RIGHT");
            case 10: return Cmd.exact("HSET", k, member(r), value(r));
            case 11: return Cmd.exact("HGET", k, member(r));
            case 12: return Cmd.of(Compare.UNORDERED_PAIRS, "HGETALL", k);
            case 13: return Cmd.exact("HDEL", k, member(r));
            case 14: return Cmd.exact("HINCRBY", k, member(r), "3");
            case 15: return Cmd.exact("SADD", k, member(r), member(r));
            case 16: return Cmd.exact("SREM", k, member(r));
            case 17: return Cmd.unordered("SMEMBERS", k);
            case 18: return Cmd.unordered("SINTER", k, k2);
            case 19: return Cmd.exact("SUNIONSTORE", k, k, k2);
            case 20: return Cmd.exact("ZADD", k, Integer.toString(r.nextInt(10)), member(r));
            case 21: return Cmd.exact("ZRANGE", k, "0", "-1", "WITHSCORES");
            case 22: return Cmd.exact("ZINCRBY", k, "1.5", member(r));
            case 23: return Cmd.exact("ZREM", k, member(r));
            case 24: return Cmd.exact("ZUNIONSTORE", k, "2", k, k2);
            case 25: return Cmd.exact("TYPE", k);
            case 26: return Cmd.exact("OBJECT", "ENCODING", k);
            case 27: return Cmd.exact("DEL", k);
            case 28: return Cmd.exact("EXISTS", k, k2);
            case 29: return Cmd.exact("RENAME", k, k2);
            case 30: return Cmd.exact("COPY", k, k2, "REPLACE");
            case 31: return Cmd.exact("PEXPIREAT", k, Long.toString(4_000_000_000_000L + r.nextInt(1000)));
            case 32: return Cmd.exact("PERSIST", k);
            case 33: return Cmd.exact("PEXPIRETIME", k);
            case 34: return Cmd.exact("MOVE", k, "1");
            case 35: return Cmd.exact("SWAPDB", "0", "1");
            case 36: return Cmd.of(Compare.UNORDERED, "KEYS", "*");
            case 37: return Cmd.exact("DBSIZE");
            case 38: return Cmd.exact("LLEN", k);
            default: return r.nextInt(50) == 0 ? Cmd.exact("FLUSHDB") : Cmd.exact("SCARD", k);
        }
    }
}
