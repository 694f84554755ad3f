package dev.cellar.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Reply;
import dev.cellar.core.testing.TestEngine;
import dev.cellar.spi.eviction.EvictionContext.Candidate;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The eviction pool of Redis's evict.c: 16 best candidates kept across calls, ghosts skipped. */
class PooledPolicyTest {

    private static Candidate lru(String key, long idle) {
        return new Candidate(0, key.getBytes(), idle, -1, -1);
    }

    private static String[] keys(PooledPolicy p) {
        return Arrays.stream(p.pool()).map(c -> new String(c.key())).toArray(String[]::new);
    }

    @Test
    void poolKeepsTheSixteenBestSortedWorstFirst() {
        AllKeysLru p = new AllKeysLru();
        for (int i = 0; i < 40; i++) {
            p.offer(lru("k" + i, (i * 37) % 40));
        }
        Candidate[] pool = p.pool();
        assertThat(pool).hasSize(16);
        for (int i = 0; i < 16; i++) {
            assertThat(pool[i].idleMillis()).isEqualTo(24 + i);
        }
        p.offer(lru("worse", 1));
        assertThat(keys(p)).doesNotContain("worse");
        p.offer(lru("best", 1000));
        assertThat(keys(p)[15]).isEqualTo("best");
        assertThat(p.pool()[0].idleMillis()).isEqualTo(25);
    }

    @Test
    void aKeyOfferedAgainIsNotDuplicated() {
        AllKeysLru p = new AllKeysLru();
        p.offer(lru("a", 5));
        p.offer(lru("b", 7));
        p.offer(lru("a", 9));
        assertThat(keys(p)).containsExactly("b", "a");
    }

    @Test
    void volatileTtlAndLfuScoreAsRedis() {
        VolatileTtl ttl = new VolatileTtl();
        ttl.offer(new Candidate(0, "late".getBytes(), -1, -1, 2000));
        ttl.offer(new Candidate(0, "soon".getBytes(), -1, -1, 1000));
        assertThat(keys(ttl)).containsExactly("late", "soon");
        AllKeysLfu lfu = new AllKeysLfu();
        lfu.offer(new Candidate(0, "hot".getBytes(), -1, 200, -1));
        lfu.offer(new Candidate(0, "cold".getBytes(), -1, 1, -1));
        assertThat(keys(lfu)).containsExactly("hot", "cold");
    }

    @Test
    void aPooledKeyDeletedSinceItWasSampledIsNotEvicted() {
        try (TestEngine t = TestEngine.create("maxmemory-policy", "allkeys-lru", "cellar-random-seed", "5")) {
            for (int i = 0; i < 200; i++) {
                t.exec("SET", "k" + i, "v");
            }
            t.clock.advance(100_000);
            for (int i = 0; i < 200; i++) {
                if (i % 10 != 0) {
                    t.exec("GET", "k" + i);
                }
            }
            long used = t.cellar.withLock(() -> t.cellar.engine().usedMemory());
            // Fill the pool with the idle keys, then delete them all before the next eviction.
            t.exec("CONFIG", "SET", "maxmemory", Long.toString(used - 1));
            t.exec("GET", "x");
            for (int i = 0; i < 200; i += 10) {
                t.exec("DEL", "k" + i);
            }
            t.exec("SET", "big", "x".repeat(2000));
            t.exec("GET", "x");
            long evictedAfterDeletes = t.propagatedText().stream().filter(l -> l.startsWith("0 DEL k")).count();
            assertThat(t.cellar.withLock(() -> t.cellar.engine().stats().evictedKeys)).isGreaterThan(1);
            assertThat(evictedAfterDeletes).isGreaterThan(0);
            assertThat(t.exec("DBSIZE")).isInstanceOf(Reply.Int.class);
        }
    }
}
