package dev.cellar.core.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.core.testing.Differential.Cmd;
import dev.cellar.core.testing.ReplayCheck;
import dev.cellar.core.testing.TestEngine;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How sorted set writes reach persistence, checked against Redis 7.0.15's AOF. */
class ZSetPropagationTest {
    private final TestEngine t = TestEngine.create();

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void incrementsArePropagatedVerbatim() {
        t.exec("ZADD", "z", "INCR", "5", "a");
        t.exec("ZINCRBY", "z", "2", "a");
        t.exec("ZADD", "z", "GT", "CH", "10", "a", "1", "b");
        assertThat(t.propagatedText()).containsExactly(
                "0 ZADD z INCR 5 a", "0 ZINCRBY z 2 a", "0 ZADD z GT CH 10 a 1 b");
    }

    @Test
    void multiKeyPopsBecomeZpopWithThePoppedCount() {
        t.exec("ZADD", "z", "1", "a", "2", "b", "3", "c");
        t.exec("ZMPOP", "2", "none", "z", "MIN", "COUNT", "2");
        t.exec("ZMPOP", "1", "z", "MAX", "COUNT", "10");
        t.exec("ZADD", "z", "1", "a");
        t.exec("BZMPOP", "0", "1", "z", "MAX");
        t.exec("ZADD", "z", "1", "a");
        t.exec("ZPOPMIN", "z", "5");
        assertThat(t.propagatedText()).containsExactly(
                "0 ZADD z 1 a 2 b 3 c", "0 ZPOPMIN z 2", "0 ZPOPMAX z 1",
                "0 ZADD z 1 a", "0 ZPOPMAX z 1",
                "0 ZADD z 1 a", "0 ZPOPMIN z 5");
    }

    @Test
    void noOpsAreNotPropagated() {
        t.exec("ZADD", "z", "1", "a");
        t.exec("ZPOPMIN", "z", "0");
        t.exec("ZPOPMIN", "none");
        t.exec("ZREM", "z", "x");
        t.exec("ZADD", "z", "NX", "5", "a");
        t.exec("ZREMRANGEBYSCORE", "z", "5", "6");
        t.exec("ZRANGESTORE", "d", "z", "5", "6");
        t.exec("ZUNIONSTORE", "d", "1", "none");
        t.exec("ZMPOP", "1", "none", "MIN");
        assertThat(t.propagatedText()).containsExactly("0 ZADD z 1 a");
    }

    @Test
    void storeCommandsArePropagatedVerbatimIncludingTheDeletingOnes() {
        t.exec("ZADD", "z", "1", "a");
        t.exec("ZRANGESTORE", "d", "z", "0", "-1");
        t.exec("ZRANGESTORE", "d", "z", "5", "6");
        assertThat(t.propagatedText()).containsExactly(
                "0 ZADD z 1 a", "0 ZRANGESTORE d z 0 -1", "0 ZRANGESTORE d z 5 6");
    }

    @Test
    void aRandomWorkloadReplaysToTheSameDataSet() {
        ZSetDifferentialTest.Gen gen = new ZSetDifferentialTest.Gen(16);
        Random r = new Random(5);
        for (int i = 0; i < 4000; i++) {
            Cmd c = gen.apply(r);
            t.exec(c.argv());
        }
        ReplayCheck.assertReplayMatches(t);
    }

    @Test
    void aWorkloadCrossingEncodingsReplaysToTheSameDataSet() {
        try (TestEngine small = TestEngine.create("zset-max-listpack-entries", "4")) {
            ZSetDifferentialTest.Gen gen = new ZSetDifferentialTest.Gen(12);
            Random r = new Random(9);
            for (int i = 0; i < 3000; i++) {
                small.exec(gen.apply(r).argv());
            }
            ReplayCheck.assertReplayMatches(small);
        }
    }
}
