package dev.cellar.core.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.core.testing.ReplayCheck;
import dev.cellar.core.testing.TestEngine;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Design invariant 2 for the keyspace and expiry commands, and the exact forms Redis 7.0 writes. */
class KeyspacePropagationTest {
    private final TestEngine t = TestEngine.create();

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void randomWorkloadReplaysToTheSameDataSet() {
        Random r = new Random(3);
        for (int n = 0; n < 4000; n++) {
            String k = "k" + r.nextInt(10);
            String k2 = "k" + r.nextInt(10);
            String db = Integer.toString(r.nextInt(3));
            switch (r.nextInt(22)) {
                case 0, 1, 2 -> t.exec("SET", k, "v" + r.nextInt(50));
                case 3 -> t.exec("SET", k, Integer.toString(r.nextInt(100)), "PX", Integer.toString(1 + r.nextInt(500)));
                case 4 -> t.exec("EXPIRE", k, Integer.toString(r.nextInt(20) - 2), r.nextBoolean() ? "GT" : "LT");
                case 5 -> t.exec("PEXPIRE", k, Integer.toString(r.nextInt(2000) - 100));
                case 6 -> t.exec("EXPIREAT", k, Long.toString(t.clock.currentTimeMillis() / 1000 + r.nextInt(5) - 1));
                case 7 -> t.exec("PEXPIREAT", k, Long.toString(t.clock.currentTimeMillis() + r.nextInt(3000) - 500), "NX");
                case 8 -> t.exec("PERSIST", k);
                case 9 -> t.exec("RENAME", k, k2);
                case 10 -> t.exec("RENAMENX", k, k2);
                case 11 -> t.exec("COPY", k, k2, "DB", db, "REPLACE");
                case 12 -> t.exec("MOVE", k, db);
                case 13 -> t.exec("SWAPDB", db, Integer.toString(r.nextInt(3)));
                case 14 -> t.exec("SELECT", db);
                case 15 -> t.exec("DEL", k, k2);
                case 16 -> t.exec("UNLINK", k);
                case 17 -> t.exec("SCAN", "0", "COUNT", "100");
                case 18 -> t.exec("RANDOMKEY");
                case 19 -> {
                    if (r.nextInt(20) == 0) {
                        t.exec(r.nextBoolean() ? "FLUSHDB" : "FLUSHALL");
                    }
                }
                case 20 -> t.cron();
                default -> t.clock.advance(r.nextInt(200));
            }
        }
        ReplayCheck.assertReplayMatches(t);
    }

    @Test
    void expiryIsPropagatedInAbsoluteForm() {
        long now = t.clock.currentTimeMillis();
        t.exec("SET", "k", "v");
        t.exec("EXPIRE", "k", "10", "LT");
        t.exec("EXPIREAT", "k", Long.toString(now / 1000 + 5));
        t.exec("PEXPIRE", "k", "1", "LT");
        assertThat(t.propagatedText()).containsExactly("0 SET k v",
                "0 PEXPIREAT k " + (now + 10_000) + " LT",
                "0 PEXPIREAT k " + (now / 1000 + 5) * 1000,
                "0 PEXPIREAT k " + (now + 1) + " LT");
    }

    @Test
    void activeExpiryAndLazyExpiryPropagateSingleDels() {
        for (int n = 0; n < 30; n++) {
            t.exec("SET", "t" + n, "x", "PX", "50");
        }
        t.propagated.clear();
        t.clock.advance(100);
        t.cron();
        assertThat(t.propagatedText()).hasSize(30).allMatch(l -> l.startsWith("0 DEL t"));
    }

    @Test
    void moveCopyAndSwapdbGoAsSentInTheSourceDatabase() {
        t.exec("SET", "a", "1");
        t.exec("COPY", "a", "b", "DB", "2");
        t.exec("MOVE", "a", "1");
        t.exec("SWAPDB", "1", "2");
        t.exec("RENAME", "nokey", "x");
        t.exec("PERSIST", "b");
        assertThat(t.propagatedText()).containsExactly("0 SET a 1", "0 COPY a b DB 2", "0 MOVE a 1",
                "0 SWAPDB 1 2");
        ReplayCheck.assertReplayMatches(t);
    }

    @Test
    void expiredTargetOfMoveIsDeletedInItsOwnDatabase() {
        t.exec("SELECT", "1");
        t.exec("SET", "a", "old", "PX", "10");
        t.exec("SELECT", "0");
        t.exec("SET", "a", "new");
        t.clock.advance(20);
        assertThat(t.exec("MOVE", "a", "1")).isEqualTo(dev.cellar.api.Reply.ONE);
        assertThat(t.propagatedText()).endsWith("1 MULTI", "1 DEL a", "0 MOVE a 1", "0 EXEC");
        ReplayCheck.assertReplayMatches(t);
    }
}
