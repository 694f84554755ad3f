package dev.cellar.core.values;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.spi.persistence.DataValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.ObjDoubleConsumer;
import org.junit.jupiter.api.Test;

/**
 * A list built by {@link ZSkipList.Appender} from members in order is the list {@link
 * ZSkipList#insert} builds from the same members: the same nodes, levels, links and spans (both
 * draw levels from the same sequence), so ranks and every later change behave the same.
 */
class ZSkipListAppenderTest {

    private static List<ZSetValue.Entry> sortedEntries(int n, long seed) {
        Random r = new Random(seed);
        List<ZSetValue.Entry> entries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // few distinct scores, so ties ordered by member are common
            double score = r.nextInt(n / 4 + 1) - n / 8;
            entries.add(new ZSetValue.Entry(("m" + i).getBytes(StandardCharsets.US_ASCII), score));
        }
        entries.sort(ZSetValue.ORDER);
        return entries;
    }

    private static ZSkipList inserted(List<ZSetValue.Entry> entries) {
        ZSkipList sl = new ZSkipList();
        for (ZSetValue.Entry e : entries) {
            sl.insert(e.member(), e.score());
        }
        return sl;
    }

    private static ZSkipList appended(List<ZSetValue.Entry> entries) {
        ZSkipList sl = new ZSkipList();
        sl.reserve(entries.size());
        ZSkipList.Appender a = new ZSkipList.Appender(sl);
        for (ZSetValue.Entry e : entries) {
            assertThat(a.append(e.member(), e.score())).isTrue();
        }
        return sl;
    }

    /** Every node's member, score, level, backward link, and next member and span at each level. */
    private static List<String> structure(ZSkipList sl) {
        List<String> out = new ArrayList<>();
        out.add("length=" + sl.length() + " tail=" + name(sl.last()));
        List<ZSkipList.Node> nodes = new ArrayList<>();
        for (ZSkipList.Node n = sl.first(); n != null; n = n.next0) {
            nodes.add(n);
        }
        for (ZSkipList.Node n : nodes) {
            StringBuilder b = new StringBuilder(name(n)).append(' ').append(n.score).append(" back=")
                    .append(name(n.backward)).append(" rank=").append(sl.rank(n));
            for (int i = 0; i < n.level(); i++) {
                b.append(" [").append(i).append(':').append(name(n.next(i))).append('/').append(n.span(i)).append(']');
            }
            out.add(b.toString());
        }
        return out;
    }

    private static String name(ZSkipList.Node n) {
        return n == null ? "-" : new String(n.member, StandardCharsets.US_ASCII);
    }

    @Test
    void appendedListIsTheInsertedOne() {
        for (int n : new int[] {0, 1, 2, 3, 17, 129, 500, 5000}) {
            List<ZSetValue.Entry> entries = sortedEntries(Math.max(n, 0), n);
            ZSkipList a = appended(entries);
            ZSkipList b = inserted(entries);
            assertThat(structure(a)).as("n=%d", n).isEqualTo(structure(b));
            for (ZSetValue.Entry e : entries) {
                assertThat(a.find(e.member())).isNotNull();
                assertThat(a.rank(a.find(e.member()))).isEqualTo(b.rank(b.find(e.member())));
            }
            for (long r = 0; r < n; r++) {
                assertThat(name(a.byRank(r))).isEqualTo(name(b.byRank(r)));
            }
        }
    }

    @Test
    void changesAfterAppendingBehaveAsAfterInserting() {
        List<ZSetValue.Entry> entries = sortedEntries(1000, 7);
        ZSkipList a = appended(entries);
        ZSkipList b = inserted(entries);
        Random r = new Random(11);
        for (int k = 0; k < 300; k++) {
            ZSetValue.Entry e = entries.get(r.nextInt(entries.size()));
            ZSkipList.Node na = a.find(e.member());
            ZSkipList.Node nb = b.find(e.member());
            switch (k % 3) {
                case 0 -> {
                    if (na != null) {
                        a.delete(na);
                        b.delete(nb);
                    }
                }
                case 1 -> {
                    if (na != null) {
                        double s = r.nextInt(400) - 200;
                        a.updateScore(na, s);
                        b.updateScore(nb, s);
                    }
                }
                default -> {
                    byte[] m = ("new" + k).getBytes(StandardCharsets.US_ASCII);
                    a.insert(m, k);
                    b.insert(m, k);
                }
            }
        }
        assertThat(structure(a)).isEqualTo(structure(b));
    }

    @Test
    void anOutOfOrderOrRepeatedMemberIsRefusedAndChangesNothing() {
        ZSkipList sl = new ZSkipList();
        ZSkipList.Appender a = new ZSkipList.Appender(sl);
        byte[] m1 = {'b'};
        assertThat(a.append(m1, 2)).isTrue();
        List<String> before = structure(sl);
        assertThat(a.append(new byte[] {'a'}, 1)).isFalse(); // lower score
        assertThat(a.append(new byte[] {'a'}, 2)).isFalse(); // same score, lower member
        assertThat(a.append(m1, 2)).isFalse(); // the last one again
        assertThat(structure(sl)).isEqualTo(before);
        assertThat(a.append(new byte[] {'a'}, 3)).isTrue();
        assertThat(sl.length()).isEqualTo(2);
    }

    @Test
    void aVisitOutOfOrderFallsBackToInsertion() {
        List<ZSetValue.Entry> entries = new ArrayList<>(sortedEntries(300, 3));
        java.util.Collections.swap(entries, 100, 250);
        entries.add(new ZSetValue.Entry(entries.get(5).member(), 1e9)); // a repeat: the last score wins
        DataValue.ZSetData data = new DataValue.ZSetData() {
            @Override
            public String encoding() {
                return "skiplist";
            }

            @Override
            public long size() {
                return entries.size();
            }

            @Override
            public void forEach(ObjDoubleConsumer<byte[]> memberAndScore) {
                entries.forEach(e -> memberAndScore.accept(e.member(), e.score()));
            }
        };
        ZSetValue built = ZSetValue.skiplistOfDistinct(data);
        ZSetValue expected = ZSetValue.createSkiplist();
        ZSetValue.Limits limits = new ZSetValue.Limits(128, 64);
        entries.forEach(e -> expected.put(e.member(), e.score(), limits));
        List<String> got = new ArrayList<>();
        built.forEach((m, s) -> got.add(new String(m, StandardCharsets.US_ASCII) + "=" + s));
        List<String> want = new ArrayList<>();
        expected.forEach((m, s) -> want.add(new String(m, StandardCharsets.US_ASCII) + "=" + s));
        assertThat(got).isEqualTo(want).hasSize(300);
        assertThat(built.score(entries.get(5).member())).isEqualTo(1e9);
    }
}
