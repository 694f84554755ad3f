package dev.cellar.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Reply;
import dev.cellar.core.testing.TestEngine;
import dev.cellar.spi.expiry.ExpiryContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActiveExpireCycleTest {

    /** A context whose databases always have keys, with a scripted stale ratio and a ticking clock. */
    static final class FakeContext implements ExpiryContext {
        final int effort;
        final int expiredPerSample;
        final long nanosPerSample;
        final long budget;
        final List<Integer> counts = new ArrayList<>();
        long nanos;

        FakeContext(int effort, int expiredPerSample, long nanosPerSample, long budget) {
            this.effort = effort;
            this.expiredPerSample = expiredPerSample;
            this.nanosPerSample = nanosPerSample;
            this.budget = budget;
        }

        @Override
        public int databases() {
            return 1;
        }

        @Override
        public long expiresSize(int db) {
            return 1_000_000;
        }

        @Override
        public long expiresCapacity(int db) {
            return 2_000_000;
        }

        @Override
        public int hz() {
            return 10;
        }

        @Override
        public int effort() {
            return effort;
        }

        @Override
        public long timeBudgetNanos() {
            return budget;
        }

        @Override
        public long nanoTime() {
            return nanos;
        }

        @Override
        public Sample sample(int db, int count) {
            counts.add(count);
            nanos += nanosPerSample;
            return new Sample(count, Math.min(count, expiredPerSample));
        }
    }

    @Test
    void keysPerLoopGrowWithEffort() {
        FakeContext low = new FakeContext(1, 0, 0, Long.MAX_VALUE);
        new ActiveExpireCycle().cycle(low);
        assertThat(low.counts).containsExactly(20);
        FakeContext high = new FakeContext(10, 0, 0, Long.MAX_VALUE);
        new ActiveExpireCycle().cycle(high);
        assertThat(high.counts).containsExactly(65);
    }

    @Test
    void repeatsWhileMoreThanTheAcceptableShareIsStale() {
        // 2 of 20 is 10%: acceptable at effort 1 (10%), not at effort 2 (9%) where 25 are sampled.
        FakeContext atOne = new FakeContext(1, 2, 0, Long.MAX_VALUE);
        new ActiveExpireCycle().cycle(atOne);
        assertThat(atOne.counts).hasSize(1);
        FakeContext three = new FakeContext(1, 3, 1, 1000);
        new ActiveExpireCycle().cycle(three);
        assertThat(three.counts.size()).isGreaterThan(1);
    }

    @Test
    void stopsAtTheTimeBudgetCheckedEvery16Iterations() {
        FakeContext c = new FakeContext(1, 20, 1_000_000, 25_000_000);
        new ActiveExpireCycle().cycle(c);
        assertThat(c.counts).hasSize(32);
    }

    @Test
    void budgetIsAQuarterOfATickPlusEffort() {
        try (TestEngine t = TestEngine.create()) {
            var expiry = t.cellar.activeExpiry();
            assertThat(t.cellar.withLock(expiry::timeBudgetNanos)).isEqualTo(250_000_000L);
            t.exec("CONFIG", "SET", "hz", "10");
            assertThat(t.cellar.withLock(expiry::timeBudgetNanos)).isEqualTo(25_000_000L);
            t.exec("CONFIG", "SET", "active-expire-effort", "10");
            assertThat(t.cellar.withLock(expiry::timeBudgetNanos)).isEqualTo(43_000_000L);
        }
    }

    @Test
    void cronRemovesMostExpiredKeysWithoutAnyAccess() {
        try (TestEngine t = TestEngine.create()) {
            for (int i = 0; i < 5000; i++) {
                t.exec("SET", "gone" + i, "v", "PX", "100");
                if (i % 2 == 0) {
                    t.exec("SET", "kept" + i, "v", "EX", "1000");
                } else {
                    t.exec("SET", "kept" + i, "v");
                }
            }
            t.propagated.clear();
            t.clock.advance(200);
            t.cron();
            long left = ((Reply.Int) t.exec("DBSIZE")).value();
            // The cycle stops once at most 10% of a sample is stale, so a few may remain.
            assertThat(left).isBetween(5000L, 5000L + 5000 / 5);
            assertThat(t.propagatedText()).allMatch(l -> l.startsWith("0 DEL gone"));
            assertThat(t.propagatedText()).hasSize((int) (10_000 - left));
            assertThat(t.cellar.withLock(() -> t.cellar.engine().stats().expiredKeys)).isEqualTo(10_000 - left);
            for (int i = 0; i < 20; i++) {
                t.cron();
            }
            assertThat(((Reply.Int) t.exec("DBSIZE")).value()).isLessThanOrEqualTo(left);
        }
    }

    @Test
    void cronVisitsEveryDatabase() {
        try (TestEngine t = TestEngine.create()) {
            for (int db = 0; db < 16; db += 5) {
                t.exec("SELECT", Integer.toString(db));
                for (int i = 0; i < 100; i++) {
                    t.exec("SET", "k" + i, "v", "PX", "10");
                }
            }
            t.clock.advance(20);
            t.cron();
            for (int db = 0; db < 16; db += 5) {
                t.exec("SELECT", Integer.toString(db));
                assertThat(((Reply.Int) t.exec("DBSIZE")).value()).as("db " + db).isLessThan(10);
            }
        }
    }

    @Test
    void disabledCycleExpiresNothing() {
        try (TestEngine t = TestEngine.create()) {
            t.exec("SET", "k", "v", "PX", "10");
            t.cellar.withLock(() -> {
                t.cellar.activeExpiry().setEnabled(false);
                return null;
            });
            t.clock.advance(20);
            t.cron();
            assertThat(t.exec("DBSIZE")).isEqualTo(Reply.ONE);
        }
    }
}
