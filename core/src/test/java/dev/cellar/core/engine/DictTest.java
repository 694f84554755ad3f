package dev.cellar.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DictTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static Object valueOf(Dict d, String key) {
        Object v = d.get(b(key));
        return v instanceof byte[] bytes ? s(bytes) : v;
    }

    /** Keys whose hashes share their low {@code bits} bits, so they collide in small tables. */
    private static List<String> colliding(int count, int bits) {
        List<String> out = new ArrayList<>();
        int mask = (1 << bits) - 1;
        for (int i = 0; out.size() < count; i++) {
            byte[] k = b("c" + i);
            if ((Dict.hash(k, 0, k.length) & mask) == 5) {
                out.add("c" + i);
            }
        }
        return out;
    }

    @Test
    void putGetRemoveWithCollidingHashes() {
        Dict d = new Dict();
        List<String> keys = colliding(40, 10);
        for (String k : keys) {
            d.put(b(k), b("v" + k), true, 0);
        }
        assertThat(d.size()).isEqualTo(40);
        for (String k : keys) {
            assertThat(valueOf(d, k)).isEqualTo("v" + k);
        }
        for (int i = 0; i < keys.size(); i += 2) {
            assertThat(d.remove(b(keys.get(i)))).isTrue();
            assertThat(d.remove(b(keys.get(i)))).isFalse();
        }
        for (int i = 0; i < keys.size(); i++) {
            assertThat(valueOf(d, keys.get(i))).isEqualTo(i % 2 == 0 ? null : "v" + keys.get(i));
        }
    }

    @Test
    void valuesOfEveryShapeRoundTrip() {
        Dict d = new Dict();
        d.put(b("int"), Long.MIN_VALUE, true, 0);
        d.put(b("emb"), b("x".repeat(44)), true, 0);
        d.put(b("raw"), b("x".repeat(45)), true, 0);
        d.put(b("forcedraw"), b("abc"), false, 0);
        d.put(b("k".repeat(300)), b("v"), true, 0);
        Object coll = new Object();
        d.put(b("coll"), coll, true, 0);
        assertThat(valueOf(d, "int")).isEqualTo(Long.MIN_VALUE);
        assertThat(valueOf(d, "emb")).isEqualTo("x".repeat(44));
        assertThat(valueOf(d, "raw")).isEqualTo("x".repeat(45));
        assertThat(valueOf(d, "forcedraw")).isEqualTo("abc");
        assertThat(valueOf(d, "k".repeat(300))).isEqualTo("v");
        assertThat(d.get(b("coll"))).isSameAs(coll);
        assertThat(d.packedAt(d.find(b("int")))).isTrue();
        assertThat(d.packedAt(d.find(b("emb")))).isTrue();
        assertThat(d.rawAt(d.find(b("raw")))).isTrue();
        assertThat(d.rawAt(d.find(b("forcedraw")))).isTrue();
        assertThat(d.rawAt(d.find(b("k".repeat(300))))).isFalse();
        assertThat(d.rawAt(d.find(b("emb")))).isFalse();
        int slot = d.find(b("forcedraw"));
        d.setValueAt(slot, b("abc"), true);
        assertThat(d.packedAt(d.find(b("forcedraw")))).isTrue();
    }

    @Test
    void backwardShiftDeletionMatchesAHashMapUnderRandomOperations() {
        Dict d = new Dict();
        Map<String, String> model = new HashMap<>();
        Random r = new Random(1);
        for (int op = 0; op < 200_000; op++) {
            String k = "k" + r.nextInt(op < 100_000 ? 3000 : 300);
            int meta = r.nextInt(1000) + 1;
            if (r.nextInt(3) == 0) {
                assertThat(d.remove(b(k))).isEqualTo(model.remove(k) != null);
            } else {
                String v = "v" + r.nextInt(100);
                d.put(b(k), b(v), r.nextBoolean(), meta);
                model.put(k, v);
                assertThat(d.metaAt(d.find(b(k)))).isEqualTo(meta);
            }
            if (op % 10_000 == 0) {
                assertSameContents(d, model);
            }
        }
        assertSameContents(d, model);
    }

    private static void assertSameContents(Dict d, Map<String, String> model) {
        assertThat(d.size()).isEqualTo(model.size());
        Map<String, String> seen = new HashMap<>();
        d.forEachSlot(slot -> seen.put(s(d.keyAt(slot)), s((byte[]) d.valueAt(slot))));
        assertThat(seen).isEqualTo(model);
        for (Map.Entry<String, String> e : model.entrySet()) {
            assertThat(valueOf(d, e.getKey())).isEqualTo(e.getValue());
        }
    }

    @Test
    void growsAndShrinksKeepingMetadata() {
        Dict d = new Dict();
        assertThat(d.capacity()).isEqualTo(4);
        for (int i = 0; i < 10_000; i++) {
            d.put(b("k" + i), (long) i, true, i + 1);
        }
        assertThat(d.capacity()).isEqualTo(16384);
        for (int i = 0; i < 9_990; i++) {
            d.remove(b("k" + i));
        }
        assertThat(d.capacity()).isLessThanOrEqualTo(64);
        for (int i = 9_990; i < 10_000; i++) {
            int slot = d.find(b("k" + i));
            assertThat(d.valueAt(slot)).isEqualTo((long) i);
            assertThat(d.metaAt(slot)).isEqualTo(i + 1);
        }
    }

    @Test
    void metadataArrayIsAllocatedOnlyWhenUsed() {
        Dict noMeta = new Dict();
        Dict withMeta = new Dict();
        for (int i = 0; i < 1000; i++) {
            noMeta.put(b("k" + i), 1L, true, 0);
            withMeta.put(b("k" + i), 1L, true, 7);
        }
        assertThat(withMeta.tableBytes() - noMeta.tableBytes())
                .isEqualTo(MemoryLayout.array(noMeta.capacity(), 4));
        assertThat(noMeta.metaAt(noMeta.find(b("k1")))).isZero();
    }

    @Test
    void randomSlotOnSparseTablesFindsEveryKey() {
        Dict d = new Dict();
        for (int i = 0; i < 1000; i++) {
            d.put(b("k" + i), 1L, true, 0);
        }
        for (int i = 0; i < 1000; i++) {
            if (i % 100 != 0) {
                d.remove(b("k" + i));
            }
        }
        assertThat(d.size()).isEqualTo(10);
        SplittableRandom random = new SplittableRandom(5);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            int slot = d.randomSlot(random);
            assertThat(d.occupied(slot)).isTrue();
            seen.add(s(d.keyAt(slot)));
        }
        assertThat(seen).hasSize(10);
        assertThat(new Dict().randomSlot(random)).isEqualTo(-1);
    }

    @Test
    void scanReturnsEveryKeyPresentThroughoutWhileTheTableGrowsAndShrinks() {
        Random r = new Random(9);
        for (int trial = 0; trial < 16; trial++) {
            Dict d = new Dict();
            Set<String> all = new HashSet<>();
            int initial = 50 + r.nextInt(2000);
            for (int i = 0; i < initial; i++) {
                d.put(b("s" + i), 1L, true, 0);
                all.add("s" + i);
            }
            Set<String> stable = new HashSet<>(all);
            Set<String> returned = new HashSet<>();
            int extra = 0;
            long cursor = 0;
            int steps = 0;
            boolean grow = trial % 2 == 0;
            do {
                List<String> batch = new ArrayList<>();
                Dict dd = d;
                cursor = d.scan(cursor, slot -> batch.add(s(dd.keyAt(slot))));
                returned.addAll(batch);
                // Between calls: add many keys (forcing growth) or remove many (forcing shrinks).
                int changes = r.nextInt(50);
                for (int c = 0; c < changes; c++) {
                    // Growth is bounded, or a table that outgrows the scan forever never completes it.
                    if ((grow || r.nextInt(4) == 0) && extra < 8 * initial) {
                        String k = "x" + extra++;
                        d.put(b(k), 1L, true, 0);
                    } else if (!all.isEmpty()) {
                        String victim = "s" + r.nextInt(initial);
                        if (d.remove(b(victim))) {
                            stable.remove(victim);
                        }
                        String victim2 = "x" + r.nextInt(Math.max(1, extra));
                        d.remove(b(victim2));
                    }
                }
                steps++;
            } while (cursor != 0 && steps < 1_000_000);
            assertThat(cursor).isZero();
            assertThat(returned).containsAll(stable);
        }
    }

    @Test
    void scanOfAStableTableReturnsEachKeyExactlyOnce() {
        Dict d = new Dict();
        for (int i = 0; i < 5000; i++) {
            d.put(b("k" + i), 1L, true, 0);
        }
        List<String> seen = new ArrayList<>();
        long cursor = 0;
        do {
            cursor = d.scan(cursor, slot -> seen.add(s(d.keyAt(slot))));
        } while (cursor != 0);
        assertThat(seen).hasSize(5000).doesNotHaveDuplicates();
    }

    @Test
    void keyAtOfAPackedEntryIsAFreshCopy() {
        Dict d = new Dict();
        d.put(b("key"), b("v"), true, 0);
        byte[] k = d.keyAt(d.find(b("key")));
        k[0] = 'X';
        assertThat(Arrays.equals(d.keyAt(d.find(b("key"))), b("key"))).isTrue();
    }
}
