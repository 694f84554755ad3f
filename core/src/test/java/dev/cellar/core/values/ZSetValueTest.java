package dev.cellar.core.values;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cellar.core.testing.HeapMeasure;
import dev.cellar.spi.persistence.DataValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The sorted set value in both encodings, against a simple ordered model, and its memory estimate. */
class ZSetValueTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static List<String> contents(ZSetValue z) {
        List<String> out = new ArrayList<>();
        z.forEach((m, sc) -> out.add(s(m) + "=" + sc));
        return out;
    }

    @ParameterizedTest(name = "max listpack entries {0}")
    @ValueSource(ints = {1_000_000, 0, 16})
    void behavesLikeAnOrderedModelUnderRandomOperations(int maxEntries) {
        ZSetValue.Limits limits = new ZSetValue.Limits(maxEntries, 64);
        ZSetValue z = ZSetValue.create();
        TreeSet<ZSetValue.Entry> model = new TreeSet<>(ZSetValue.ORDER);
        java.util.Map<String, Double> scores = new java.util.HashMap<>();
        Random r = new Random(maxEntries);
        for (int step = 0; step < 6000; step++) {
            String m = "m" + r.nextInt(300);
            int op = r.nextInt(10);
            if (op < 5) {
                double score = r.nextInt(50) / 2.0;
                Double old = scores.put(m, score);
                if (old != null) {
                    model.remove(new ZSetValue.Entry(b(m), old));
                }
                model.add(new ZSetValue.Entry(b(m), score));
                assertThat(z.put(b(m), score, limits)).isEqualTo(old == null);
            } else if (op < 7) {
                Double old = scores.remove(m);
                if (old != null) {
                    model.remove(new ZSetValue.Entry(b(m), old));
                }
                assertThat(z.remove(b(m))).isEqualTo(old != null);
            } else if (op == 7 && model.size() > 3) {
                long from = r.nextInt(model.size() - 2);
                long to = from + r.nextInt(3);
                List<ZSetValue.Entry> all = new ArrayList<>(model);
                for (long i = from; i <= to; i++) {
                    model.remove(all.get((int) i));
                    scores.remove(s(all.get((int) i).member()));
                }
                assertThat(z.removeRange(from, to)).isEqualTo(to - from + 1);
            } else {
                // ranks, scores and range searches agree with the model
                List<ZSetValue.Entry> all = new ArrayList<>(model);
                Double sc = scores.get(m);
                assertThat(Double.valueOf(z.score(b(m)))).isEqualTo(sc == null ? Double.valueOf(Double.NaN) : sc);
                long rank = -1;
                for (int i = 0; i < all.size(); i++) {
                    if (s(all.get(i).member()).equals(m)) {
                        rank = i;
                    }
                }
                assertThat(z.rank(b(m))).isEqualTo(rank);
                ZRange.Score range = new ZRange.Score(r.nextInt(50) / 2.0, r.nextInt(50) / 2.0, r.nextBoolean(),
                        r.nextBoolean());
                long first = -1;
                long last = -1;
                for (int i = 0; i < all.size(); i++) {
                    double v = all.get(i).score();
                    if (range.gteMin(v) && range.lteMax(v)) {
                        last = i;
                        if (first < 0) {
                            first = i;
                        }
                    }
                }
                assertThat(z.firstInRange(range)).isEqualTo(first);
                assertThat(z.lastInRange(range)).isEqualTo(last);
                if (!all.isEmpty()) {
                    int at = r.nextInt(all.size());
                    ZSetValue.Cursor c = z.cursor(at, r.nextBoolean());
                    assertThat(c.next()).isTrue();
                    assertThat(s(c.member())).isEqualTo(s(all.get(at).member()));
                }
            }
            assertThat(z.size()).isEqualTo(model.size());
        }
        List<String> expected = new ArrayList<>();
        for (ZSetValue.Entry e : model) {
            expected.add(s(e.member()) + "=" + e.score());
        }
        assertThat(contents(z)).isEqualTo(expected);
        assertThat(contents(z.copy())).isEqualTo(expected);
        List<String> reversed = new ArrayList<>();
        ZSetValue.Cursor c = z.cursor(z.size() - 1, true);
        while (c.next()) {
            reversed.add(s(c.member()) + "=" + c.score());
        }
        java.util.Collections.reverse(reversed);
        assertThat(reversed).isEqualTo(expected);
        assertThat(z.encoding()).isEqualTo(maxEntries == 1_000_000 ? "listpack" : "skiplist");
    }

    @Test
    void copyIsDeepAndViewVisitsInOrder() {
        ZSetValue.Limits limits = new ZSetValue.Limits(128, 64);
        ZSetValue z = ZSetValue.create();
        z.put(b("b"), 2, limits);
        z.put(b("a"), 2, limits);
        z.put(b("c"), 1, limits);
        ZSetValue copy = z.copy();
        z.remove(b("a"));
        assertThat(contents(copy)).containsExactly("c=1.0", "a=2.0", "b=2.0");
        DataValue.ZSetData view = (DataValue.ZSetData) copy.view();
        assertThat(view.encoding()).isEqualTo("listpack");
        assertThat(view.size()).isEqualTo(3);
        List<String> seen = new ArrayList<>();
        view.forEach((m, sc) -> seen.add(s(m)));
        assertThat(seen).containsExactly("c", "a", "b");
    }

    @Test
    void memoryEstimateMatchesTheHeapForBothEncodings() {
        ZSetValue.Limits limits = new ZSetValue.Limits(128, 64);
        Random r = new Random(1);
        long before = HeapMeasure.usedAfterGc();
        List<ZSetValue> small = new ArrayList<>();
        List<ZSetValue> large = new ArrayList<>();
        long estimate = 0;
        for (int i = 0; i < 3000; i++) {
            ZSetValue z = ZSetValue.create();
            for (int j = 0; j < 40; j++) {
                z.put(b("member:" + j), r.nextInt(1000), limits);
            }
            small.add(z);
            estimate += z.memoryUsage();
        }
        for (int i = 0; i < 10; i++) {
            ZSetValue z = ZSetValue.create();
            for (int j = 0; j < 10_000; j++) {
                z.put(b("member:" + j), r.nextDouble(), limits);
            }
            for (int j = 0; j < 2_000; j++) {
                z.remove(b("member:" + r.nextInt(10_000)));
            }
            large.add(z);
            estimate += z.memoryUsage();
        }
        long measured = HeapMeasure.usedAfterGc() - before;
        assertThat(small.get(0).encoding()).isEqualTo("listpack");
        assertThat(large.get(0).encoding()).isEqualTo("skiplist");
        System.out.printf("zset memory: estimate %d, measured %d%n", estimate, measured);
        assertThat((double) estimate).as("estimate %d, measured %d", estimate, measured)
                .isCloseTo(measured, within(measured * 0.15));
        assertThat(small.size() + large.size()).isEqualTo(3010);
    }
}
