package dev.cellar.core.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cellar.core.testing.HeapMeasure;
import dev.cellar.core.values.HashValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** HashValue's O(1) memory estimate against the heap the JVM actually retains, and its compactness. */
class HashMemoryTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Builds {@code count} hashes and returns {measured heap bytes, estimated bytes}. */
    private static long[] measure(int count, IntFunction<HashValue> build) {
        List<HashValue> keep = new ArrayList<>(count);
        long before = HeapMeasure.usedAfterGc();
        for (int i = 0; i < count; i++) {
            keep.add(build.apply(i));
        }
        long after = HeapMeasure.usedAfterGc();
        long estimate = 0;
        for (HashValue h : keep) {
            estimate += h.memoryUsage();
        }
        // The list's own array is not part of the values.
        long listArray = 16 + 4L * count;
        return new long[] {after - before - listArray, estimate, keep.size()};
    }

    private static HashValue filled(int fields, int valueLength, long maxEntries, Random r) {
        HashValue h = HashValue.create();
        for (int f = 0; f < fields; f++) {
            byte[] v = new byte[valueLength + r.nextInt(8)];
            r.nextBytes(v);
            h.set(bytes("field:" + f), v, maxEntries, 64);
        }
        return h;
    }

    @Test
    void listpackEstimateMatchesTheHeap() {
        Random r = new Random(1);
        long[] m = measure(20_000, i -> filled(10, 8, 128, r));
        assertThat((double) m[1]).isCloseTo(m[0], within(m[0] * 0.15));
    }

    @Test
    void hashtableEstimateMatchesTheHeap() {
        Random r = new Random(2);
        // Values of 20..27 bytes are packed with their field; 50..57 bytes are not.
        long[] small = measure(300, i -> filled(300, 20, 128, r));
        assertThat((double) small[1]).isCloseTo(small[0], within(small[0] * 0.15));
        long[] big = measure(300, i -> filled(300, 50, 128, r));
        assertThat((double) big[1]).isCloseTo(big[0], within(big[0] * 0.15));
    }

    @Test
    void estimateFollowsUpdatesAndDeletes() {
        Random r = new Random(3);
        long[] m = measure(200, i -> {
            HashValue h = filled(400, 30, 128, r);
            for (int f = 0; f < 400; f += 2) {
                h.remove(bytes("field:" + f));
            }
            for (int f = 1; f < 400; f += 4) {
                h.set(bytes("field:" + f), new byte[60], 128, 64);
            }
            return h;
        });
        assertThat((double) m[1]).isCloseTo(m[0], within(m[0] * 0.15));
    }

    @Test
    void listpackIsCompact() {
        HashValue h = filled(10, 8, 128, new Random(4));
        assertThat(h.encoding()).isEqualTo("listpack");
        // 10 fields of ~7 bytes and 10 values of ~11 bytes, each with a one-byte length: about 200 bytes of
        // data, one array header and the object itself.
        assertThat(h.memoryUsage()).isLessThan(300);
        HashValue table = filled(10, 8, 128, new Random(4));
        table.convertToHashtable();
        assertThat(table.memoryUsage()).isGreaterThan(h.memoryUsage());
    }

    @Test
    void copyIsDeepAndViewIsLive() {
        HashValue h = filled(200, 10, 128, new Random(5));
        HashValue c = h.copy();
        assertThat(c.encoding()).isEqualTo("hashtable");
        assertThat(c.memoryUsage()).isEqualTo(h.memoryUsage());
        h.set(bytes("field:0"), bytes("changed"), 128, 64);
        assertThat(c.get(bytes("field:0"))).isNotEqualTo(bytes("changed"));
        var view = (dev.cellar.spi.persistence.DataValue.HashData) h.view();
        h.remove(bytes("field:1"));
        assertThat(view.size()).isEqualTo(199);
        int[] n = {0};
        view.forEach((f, v) -> n[0]++);
        assertThat(n[0]).isEqualTo(199);

        HashValue small = filled(3, 4, 128, new Random(6));
        HashValue smallCopy = small.copy();
        small.set(bytes("field:0"), bytes("zzzz"), 128, 64);
        assertThat(smallCopy.get(bytes("field:0"))).isNotEqualTo(bytes("zzzz"));
        assertThat(smallCopy.encoding()).isEqualTo("listpack");
    }
}
