package dev.cellar.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.core.testing.HeapMeasure;
import dev.cellar.core.testing.TestEngine;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine's running memory estimate ({@link Engine#usedMemory()}) against the heap the JVM
 * measures, for data sets of several shapes. Each filler adds {@link #KEYS} keys; the estimate's
 * growth must be within 15% of the heap's growth.
 *
 * <p>To cover another value type, add a {@link Filler} to {@link #fillers()} (for example a
 * hundred 10-field hashes through HSET).
 */
class MemoryAccountingTest {
    static final int KEYS = 300_000;

    /** A named way of filling an engine with {@code n} keys. */
    record Filler(String name, BiConsumer<TestEngine, Integer> fill) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Filler> fillers() {
        return Stream.of(
                new Filler("key:N -> value:N (packed embstr)", (t, n) -> {
                    for (int i = 0; i < n; i++) {
                        t.exec("SET", "key:" + i, "value:" + i);
                    }
                }),
                new Filler("int:N -> N (packed integers)", (t, n) -> {
                    for (int i = 0; i < n; i++) {
                        t.exec("SET", "int:" + i, Integer.toString(i * 7));
                    }
                }),
                new Filler("raw:N -> 100 bytes (raw)", (t, n) -> {
                    String value = "r".repeat(100);
                    for (int i = 0; i < n; i++) {
                        t.exec("SET", "raw:" + i, value + i);
                    }
                }),
                new Filler("ttl:N -> value:N with an expiry", (t, n) -> {
                    for (int i = 0; i < n; i++) {
                        t.exec("SET", "ttl:" + i, "value:" + i, "EX", Integer.toString(1000 + i));
                    }
                }),
                new Filler("mixed shapes in 3 databases", (t, n) -> {
                    for (int i = 0; i < n; i++) {
                        if (i % 100_000 == 0) {
                            t.exec("SELECT", Integer.toString(i / 100_000));
                        }
                        switch (i % 4) {
                            case 0 -> t.exec("SET", "m:" + i, "value:" + i);
                            case 1 -> t.exec("SET", "m:" + i, Integer.toString(i));
                            case 2 -> t.exec("SET", "m:" + i, "x".repeat(60));
                            default -> t.exec("SET", "m:" + i, "v", "PX", "100000000");
                        }
                    }
                }),
                new Filler("small hashes, 10 fields each (listpack)", (t, n) -> {
                    for (int i = 0; i < n; i++) {
                        t.exec("HSET", "h:" + (i / 10), "field:" + (i % 10), "value:" + i);
                    }
                }),
                new Filler("large hashes, 10,000 fields each (hashtable)", (t, n) -> {
                    for (int i = 0; i < n; i++) {
                        t.exec("HSET", "H:" + (i / 10_000), "field:" + i, i % 3 == 0 ? "v" + i : "x".repeat(50));
                    }
                }),
                new Filler("small lists and one long list (quicklist)", (t, n) -> {
                    for (int i = 0; i < n; i++) {
                        t.exec("RPUSH", i % 2 == 0 ? "l:" + (i / 20) : "long", i % 3 == 0 ? Integer.toString(i) : "item:" + i);
                    }
                }),
                new Filler("integer sets (intset) and string sets (hashtable)", (t, n) -> {
                    for (int i = 0; i < n; i++) {
                        if (i % 2 == 0) {
                            t.exec("SADD", "is:" + (i / 200), Integer.toString(i));
                        } else {
                            t.exec("SADD", "ss:" + (i / 5000), "member:" + i);
                        }
                    }
                }),
                new Filler("small sorted sets (listpack) and large ones (skiplist)", (t, n) -> {
                    for (int i = 0; i < n; i++) {
                        if (i % 2 == 0) {
                            t.exec("ZADD", "zs:" + (i / 40), Double.toString(i * 0.5), "m" + i);
                        } else {
                            t.exec("ZADD", "zl:" + (i / 20_000), Integer.toString(i % 1000), "member:" + i);
                        }
                    }
                }));
    }

    private static long estimate(TestEngine t) {
        return t.cellar.withLock(() -> t.cellar.engine().usedMemory());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fillers")
    void estimateTracksTheMeasuredHeap(Filler filler) {
        try (TestEngine t = TestEngine.create()) {
            t.exec("SET", "warmup", "1");
            t.stopRecording();
            long heapBefore = HeapMeasure.usedAfterGc();
            long estimateBefore = estimate(t);
            filler.fill().accept(t, KEYS);
            // The test engine records every propagated write; that is not the data set's memory.
            t.propagated.clear();
            long heapAfter = HeapMeasure.usedAfterGc();
            long estimateAfter = estimate(t);
            long measured = heapAfter - heapBefore;
            long estimated = estimateAfter - estimateBefore;
            System.out.printf("%s: measured %d bytes (%.1f/key), estimated %d (%.1f/key)%n", filler,
                    measured, measured / (double) KEYS, estimated, estimated / (double) KEYS);
            assertThat((double) estimated).as(filler.name()).isCloseTo(measured, withinPercent(measured));
            assertThat(t.exec("DBSIZE")).isNotNull();
        }
    }

    private static org.assertj.core.data.Offset<Double> withinPercent(long measured) {
        return org.assertj.core.data.Offset.offset(measured * 0.15);
    }

    @Test
    void deletingEverythingReturnsTheEstimateToItsStart() {
        try (TestEngine t = TestEngine.create()) {
            long before = estimate(t);
            for (int i = 0; i < 20_000; i++) {
                t.exec("SET", "k" + i, i % 2 == 0 ? "x".repeat(i % 90) : Integer.toString(i), "PX", "100000");
            }
            for (int i = 0; i < 20_000; i += 3) {
                t.exec("RENAME", "k" + i, "renamed" + i);
            }
            for (int i = 1; i < 20_000; i += 3) {
                t.exec("PERSIST", "k" + i);
                t.exec("COPY", "k" + i, "c" + i, "DB", "1");
            }
            assertThat(estimate(t)).isGreaterThan(before + 20_000 * 40L);
            t.exec("FLUSHALL");
            assertThat(estimate(t)).isEqualTo(before);
        }
    }

    /**
     * Not a timed benchmark: prints the heap bytes per key of a million {@code key:N -> value:N}
     * strings, Redis's usual sizing example (about 89 bytes a key in Redis 7 on 64-bit Linux).
     */
    @Test
    void bytesPerKeyForAMillionSmallStrings() {
        int n = 1_000_000;
        try (TestEngine t = TestEngine.create()) {
            long before = HeapMeasure.usedAfterGc();
            t.cellar.withLock(() -> {
                Db db = t.cellar.engine().db(0);
                for (int i = 0; i < n; i++) {
                    db.setKey(("key:" + i).getBytes(), ("value:" + i).getBytes(), false);
                    // One execution unit per key, as commands are (the unit's records are a list).
                    t.cellar.engine().settleMemory();
                }
                return null;
            });
            long after = HeapMeasure.usedAfterGc();
            double perKey = (after - before) / (double) n;
            System.out.printf("bytes per key, 1M key:N -> value:N: measured %.1f, estimated %.1f (Redis: ~89)%n",
                    perKey, estimate(t) / (double) n);
            assertThat(perKey).isLessThan(89);
            assertThat(List.of(t.exec("DBSIZE"))).isNotEmpty();
        }
    }
}
