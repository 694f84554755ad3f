package dev.cellar.core.values;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The quicklist against a plain ArrayList model, under every kind of node bound. */
class ListValueTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> text(List<byte[]> items) {
        List<String> out = new ArrayList<>();
        for (byte[] i : items) {
            out.add(new String(i, StandardCharsets.UTF_8));
        }
        return out;
    }

    private static String randomElement(Random r) {
        return switch (r.nextInt(9)) {
            case 0 -> Integer.toString(r.nextInt(128));
            case 1 -> Integer.toString(r.nextInt(8192) - 4096);
            case 2 -> Long.toString(r.nextLong());
            case 3 -> Integer.toString(r.nextInt());
            case 4 -> "0" + r.nextInt(10);
            case 5 -> "x".repeat(r.nextInt(100));
            case 6 -> "y".repeat(60 + r.nextInt(5000));
            case 7 -> Integer.toString(r.nextInt(1 << 24) - (1 << 23));
            default -> "e" + r.nextInt(20);
        };
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, -2, -5, 0, 1, 2, 3, 128, 100000, -100})
    void behavesLikeAnArrayList(int fill) {
        Random r = new Random(fill * 31L + 7);
        ListValue list = new ListValue(fill);
        List<String> model = new ArrayList<>();
        for (int step = 0; step < 6000; step++) {
            String e = randomElement(r);
            switch (r.nextInt(12)) {
                case 0, 1 -> {
                    list.pushHead(b(e));
                    model.add(0, e);
                }
                case 2, 3 -> {
                    list.pushTail(b(e));
                    model.add(e);
                }
                case 4 -> {
                    byte[] v = list.popHead();
                    assertThat(v == null ? null : new String(v, StandardCharsets.UTF_8))
                            .isEqualTo(model.isEmpty() ? null : model.remove(0));
                }
                case 5 -> {
                    byte[] v = list.popTail();
                    assertThat(v == null ? null : new String(v, StandardCharsets.UTF_8))
                            .isEqualTo(model.isEmpty() ? null : model.remove(model.size() - 1));
                }
                case 6 -> {
                    if (!model.isEmpty()) {
                        int i = r.nextInt(model.size());
                        assertThat(new String(list.get(i), StandardCharsets.UTF_8)).isEqualTo(model.get(i));
                        list.set(i, b(e));
                        model.set(i, e);
                    }
                }
                case 7 -> {
                    String pivot = model.isEmpty() || r.nextInt(5) == 0 ? "nope" : model.get(r.nextInt(model.size()));
                    boolean after = r.nextBoolean();
                    int at = model.indexOf(pivot);
                    assertThat(list.insert(b(pivot), b(e), after)).isEqualTo(at >= 0);
                    if (at >= 0) {
                        model.add(after ? at + 1 : at, e);
                    }
                }
                case 8 -> {
                    String target = model.isEmpty() ? "z" : model.get(r.nextInt(model.size()));
                    int count = r.nextInt(5) - 2;
                    long removed = list.remove(count, b(target));
                    assertThat(removed).isEqualTo(removeFromModel(model, count, target));
                }
                case 9 -> {
                    int k = r.nextInt(4);
                    list.removeHead(k);
                    model.subList(0, Math.min(k, model.size())).clear();
                    int j = r.nextInt(4);
                    list.removeTail(j);
                    model.subList(Math.max(0, model.size() - j), model.size()).clear();
                }
                case 10 -> {
                    if (!model.isEmpty()) {
                        int s = r.nextInt(model.size());
                        int t = s + r.nextInt(model.size() - s);
                        assertThat(text(list.range(s, t))).isEqualTo(model.subList(s, t + 1));
                    }
                }
                default -> {
                    for (int i = 0; i < r.nextInt(30); i++) {
                        list.pushTail(b(randomElement(r)));
                        model.add(new String(list.get(list.size() - 1), StandardCharsets.UTF_8));
                    }
                }
            }
            assertThat(list.size()).isEqualTo(model.size());
        }
        assertThat(text(list.toList())).isEqualTo(model);
        assertThat(text(list.copy().toList())).isEqualTo(model);
        List<String> viewed = new ArrayList<>();
        list.view().forEach(v -> viewed.add(new String(v, StandardCharsets.UTF_8)));
        assertThat(viewed).isEqualTo(model);
    }

    private static long removeFromModel(List<String> model, int count, String target) {
        long removed = 0;
        if (count >= 0) {
            for (int i = 0; i < model.size() && (count == 0 || removed < count); ) {
                if (model.get(i).equals(target)) {
                    model.remove(i);
                    removed++;
                } else {
                    i++;
                }
            }
        } else {
            for (int i = model.size() - 1; i >= 0 && removed < -count; i--) {
                if (model.get(i).equals(target)) {
                    model.remove(i);
                    removed++;
                }
            }
        }
        return removed;
    }

    @Test
    void integersReadBackAsTheirCanonicalText() {
        ListValue list = new ListValue(-2);
        List<String> values = Arrays.asList("0", "-0", "007", "127", "128", "-1", "-4096", "-4097", "4095", "4096",
                "32767", "-32768", "32768", "8388607", "-8388608", "8388608", "2147483647", "-2147483648",
                "2147483648", "9223372036854775807", "-9223372036854775808", "9223372036854775808", "+1", " 1",
                "1.0", "", "-");
        for (String v : values) {
            list.pushTail(b(v));
        }
        assertThat(text(list.toList())).isEqualTo(values);
        for (int i = values.size() - 1; i >= 0; i--) {
            assertThat(new String(list.popTail(), StandardCharsets.UTF_8)).isEqualTo(values.get(i));
        }
    }

    @Test
    void aCanonicalIntegerNeverMatchesAStringEntryAndViceVersa() {
        ListValue list = new ListValue(-2);
        list.pushTail(b("01"));
        list.pushTail(b("1"));
        assertThat(list.remove(0, b("1"))).isEqualTo(1);
        assertThat(text(list.toList())).containsExactly("01");
    }

    @Test
    void nodesAreBoundedByEntryCountWhenFillIsPositive() {
        ListValue list = new ListValue(4);
        for (int i = 0; i < 40; i++) {
            list.pushTail(b("v" + i));
        }
        assertThat(list.nodeCount()).isEqualTo(10);
    }

    @Test
    void nodesAreBoundedByBytesWhenFillIsNegative() {
        ListValue list = new ListValue(-1);
        for (int i = 0; i < 1000; i++) {
            list.pushHead(b("x".repeat(40)));
        }
        // 4 KB nodes of ~42-byte entries: about 97 entries each
        assertThat(list.nodeCount()).isBetween(10, 12);
        assertThat(list.memoryUsage()).isLessThan(60_000);
    }

    @Test
    void elementsLargerThanANodeGetTheirOwnNode() {
        ListValue list = new ListValue(-2);
        list.pushTail(b("a"));
        list.pushTail(b("z".repeat(20000)));
        list.pushTail(b("b"));
        assertThat(list.nodeCount()).isEqualTo(3);
        assertThat(new String(list.get(1), StandardCharsets.UTF_8)).hasSize(20000);
    }

    @Test
    void memoryUsageFollowsGrowthAndShrinkage() {
        ListValue list = new ListValue(-2);
        long empty = list.memoryUsage();
        for (int i = 0; i < 10000; i++) {
            list.pushTail(b("element-" + i));
        }
        long full = list.memoryUsage();
        assertThat(full).isGreaterThan(empty + 10000 * 10);
        list.removeHead(9990);
        assertThat(list.memoryUsage()).isLessThan(full / 50);
    }
}
