package dev.cellar.core.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cellar.core.testing.HeapMeasure;
import dev.cellar.core.values.SetValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** SetValue's O(1) memory estimate against the heap, and the encodings' compactness. */
class SetMemoryTest {

    /** Builds {@code count} values, measures the heap they retain, and compares it with the estimate. */
    private static void assertEstimateWithin15Percent(int count, IntFunction<SetValue> build) {
        List<SetValue> keep = new ArrayList<>(count);
        long before = HeapMeasure.usedAfterGc();
        for (int i = 0; i < count; i++) {
            keep.add(build.apply(i));
        }
        long after = HeapMeasure.usedAfterGc();
        long estimate = 0;
        for (SetValue v : keep) {
            estimate += v.memoryUsage();
        }
        long measured = after - before - 16L + 4L * count; // the list's own array is not the sets'
        assertThat((double) estimate).as("estimate %d vs measured %d", estimate, measured)
                .isCloseTo(measured, within(measured * 0.15));
        assertThat(keep).hasSize(count);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void intsetEstimateMatchesTheHeap() {
        assertEstimateWithin15Percent(20_000, i -> {
            SetValue v = new SetValue();
            for (int j = 0; j < 40; j++) {
                v.add(bytes(Integer.toString(j * (i % 3 == 0 ? 100_000 : 7))), 512);
            }
            return v;
        });
    }

    @Test
    void hashtableEstimateMatchesTheHeap() {
        assertEstimateWithin15Percent(400, i -> {
            SetValue v = new SetValue();
            for (int j = 0; j < 300; j++) {
                v.add(bytes("member:" + i + ":" + j), 512);
            }
            // Some removals, so that the running total is exercised in both directions.
            for (int j = 0; j < 300; j += 3) {
                v.remove(bytes("member:" + i + ":" + j));
            }
            return v;
        });
    }

    @Test
    void intsetIsCompact() {
        SetValue small = new SetValue();
        SetValue wide = new SetValue();
        for (int j = 0; j < 500; j++) {
            small.add(bytes(Integer.toString(j)), 512);
            wide.add(bytes(Long.toString(j * 10_000_000_000L)), 512);
        }
        assertThat(small.encoding()).isEqualTo("intset");
        // 2 bytes per element plus a few dozen bytes of headers.
        assertThat(small.memoryUsage()).isLessThan(500 * 2 + 64);
        assertThat(wide.memoryUsage()).isLessThan(500 * 8 + 64);
    }

    @Test
    void hashtableCostsLittleMoreThanItsMembers() {
        SetValue v = new SetValue();
        long memberBytes = 0;
        for (int j = 0; j < 10_000; j++) {
            byte[] m = bytes("m" + j);
            memberBytes += (16 + m.length + 7) & ~7;
            v.add(m, 512);
        }
        // Members plus at most 2 slot references each.
        assertThat(v.memoryUsage()).isLessThan(memberBytes + 10_000 * 4 * 2 + 100);
    }

    @Test
    void randomOperationsKeepTheRunningEstimateExact() {
        Random r = new Random(1);
        SetValue v = new SetValue();
        Set<String> model = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            String m = r.nextBoolean() ? Integer.toString(r.nextInt(2000)) : "x" + r.nextInt(2000);
            if (r.nextInt(3) == 0) {
                assertThat(v.remove(bytes(m))).isEqualTo(model.remove(m));
            } else {
                assertThat(v.add(bytes(m), 512)).isEqualTo(model.add(m));
            }
        }
        assertThat(v.size()).isEqualTo(model.size());
        assertThat(v.encoding()).isEqualTo("hashtable");
        // Recount from scratch what the running estimate should be: the SetValue (24 bytes), the
        // table object (32), its slot array, and every member array.
        long[] members = {0};
        Set<String> seen = new HashSet<>();
        v.forEach(b -> {
            seen.add(new String(b, StandardCharsets.ISO_8859_1));
            members[0] += (16 + b.length + 7) & ~7;
        });
        assertThat(seen).isEqualTo(model);
        long slots = (16 + 4L * v.positionLimit() + 7) & ~7;
        assertThat(v.memoryUsage()).isEqualTo(24 + 32 + slots + members[0]);
        assertThat(v.copy().memoryUsage()).isEqualTo(v.memoryUsage());
    }
}
