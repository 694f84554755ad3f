package dev.cellar.core.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Reply;
import dev.cellar.core.testing.TestEngine;
import dev.cellar.spi.persistence.DataValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.ObjDoubleConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A value built by {@link ValueBuilder} (a load, RESTORE) against the same elements added by the
 * commands (RPUSH, SADD, HSET, ZADD): the same encoding and the same contents, in the same order
 * where the encoding fixes one, around every conversion threshold and with duplicates.
 */
@DisplayName("ValueBuilder builds what the commands build")
class ValueBuilderTest {
    private final TestEngine t = TestEngine.create(
            "list-max-listpack-size", "4",
            "set-max-intset-entries", "8",
            "hash-max-listpack-entries", "8", "hash-max-listpack-value", "16",
            "zset-max-listpack-entries", "8", "zset-max-listpack-value", "16");

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    @DisplayName("lists")
    void lists() {
        for (int n : new int[] {1, 4, 5, 9, 100}) {
            List<String> items = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                items.add(i % 3 == 0 ? Integer.toString(i) : "item:" + i);
            }
            List<String> cmd = new ArrayList<>(List.of("RPUSH", "cmd"));
            cmd.addAll(items);
            t.exec(cmd.toArray(String[]::new));
            store(new DataValue.ListData() {
                @Override
                public String encoding() {
                    return "test";
                }

                @Override
                public long size() {
                    return items.size();
                }

                @Override
                public void forEach(Consumer<byte[]> element) {
                    items.forEach(s -> element.accept(bytes(s)));
                }
            });
            assertSame("list of " + n, "LRANGE", "0", "-1");
            t.exec("DEL", "built", "cmd");
        }
    }

    @Test
    @DisplayName("sets: intset, hashtable, duplicates")
    void sets() {
        List<List<String>> cases = List.of(
                List.of("3", "1", "2", "1"),
                List.of("1", "2", "3", "4", "5", "6", "7", "8"),
                List.of("1", "2", "3", "4", "5", "6", "7", "8", "9"),
                List.of("1", "a", "2"),
                List.of("-70000", "5", "4294967296", "-1"),
                List.of("b", "a", "c", "a"));
        for (List<String> members : cases) {
            List<String> cmd = new ArrayList<>(List.of("SADD", "cmd"));
            cmd.addAll(members);
            t.exec(cmd.toArray(String[]::new));
            boolean unique = new java.util.HashSet<>(members).size() == members.size();
            long[] integers = unique ? canonicalIntegers(members) : null;
            store(new DataValue.SetData() {
                @Override
                public String encoding() {
                    return "test";
                }

                @Override
                public boolean distinct() {
                    return unique;
                }

                @Override
                public long[] integers() {
                    return integers; // an intset's members, where they are all integers
                }

                @Override
                public long size() {
                    return members.size();
                }

                @Override
                public void forEach(Consumer<byte[]> member) {
                    members.forEach(s -> member.accept(bytes(s)));
                }
            });
            boolean intset = t.exec("OBJECT", "ENCODING", "cmd").equals(Reply.bulk("intset"));
            // an intset's order is numeric, so it must match; a hashtable's is the table's own
            assertSame("set " + members, intset ? "SMEMBERS" : "SCARD");
            assertThat(sorted(t.exec("SMEMBERS", "built"))).isEqualTo(sorted(t.exec("SMEMBERS", "cmd")));
            t.exec("DEL", "built", "cmd");
        }
    }

    @Test
    @DisplayName("hashes: listpack, by count and by length, duplicates")
    void hashes() {
        List<List<String>> cases = List.of(
                List.of("f1", "v1", "f2", "v2", "f1", "v3"),
                pairs(8, "f", "v"),
                pairs(9, "f", "v"),
                List.of("f1", "v1", "f2", "a-value-longer-than-sixteen-bytes", "f3", "v3"),
                List.of("a-field-longer-than-sixteen-bytes", "v"));
        for (List<String> fv : cases) {
            List<String> cmd = new ArrayList<>(List.of("HSET", "cmd"));
            cmd.addAll(fv);
            t.exec(cmd.toArray(String[]::new));
            boolean unique = fieldsUnique(fv);
            store(new DataValue.HashData() {
                @Override
                public boolean distinct() {
                    return unique; // the fast path where the value promises it, the checked one where not
                }

                @Override
                public String encoding() {
                    return "test";
                }

                @Override
                public long size() {
                    return fv.size() / 2;
                }

                @Override
                public void forEach(BiConsumer<byte[], byte[]> fieldAndValue) {
                    for (int i = 0; i < fv.size(); i += 2) {
                        fieldAndValue.accept(bytes(fv.get(i)), bytes(fv.get(i + 1)));
                    }
                }
            });
            boolean listpack = t.exec("OBJECT", "ENCODING", "cmd").equals(Reply.bulk("listpack"));
            assertSame("hash " + fv, listpack ? "HGETALL" : "HLEN");
            assertThat(sorted(t.exec("HGETALL", "built"))).isEqualTo(sorted(t.exec("HGETALL", "cmd")));
            t.exec("DEL", "built", "cmd");
        }
    }

    @Test
    @DisplayName("sorted sets: listpack, skiplist by count and by length, duplicates, -0 and infinities")
    void sortedSets() {
        List<List<String>> cases = new ArrayList<>(List.of(
                List.of("2", "b", "1", "a", "3", "b"),
                List.of("-0", "z", "0", "y", "inf", "top", "-inf", "bottom", "1.5", "mid"),
                List.of("1", "short", "2", "a-member-longer-than-sixteen-bytes")));
        for (int n : new int[] {8, 9, 40}) {
            List<String> sm = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                sm.add(Double.toString((i * 7919 % n) / 3.0));
                sm.add("m" + i);
            }
            cases.add(sm);
        }
        List<String> big = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            big.add(Integer.toString(i % 5));
            big.add("m" + (i % 12)); // 8 duplicates, each later score wins
        }
        cases.add(big);
        for (List<String> sm : cases) {
            List<String> cmd = new ArrayList<>(List.of("ZADD", "cmd"));
            cmd.addAll(sm);
            t.exec(cmd.toArray(String[]::new));
            boolean unique = fieldsUnique(swap(sm));
            store(new DataValue.ZSetData() {
                @Override
                public boolean distinct() {
                    return unique;
                }

                @Override
                public String encoding() {
                    return "test";
                }

                @Override
                public long size() {
                    return sm.size() / 2;
                }

                @Override
                public void forEach(ObjDoubleConsumer<byte[]> memberAndScore) {
                    for (int i = 0; i < sm.size(); i += 2) {
                        memberAndScore.accept(bytes(sm.get(i + 1)), parse(sm.get(i)));
                    }
                }
            });
            assertSame("sorted set " + sm, "ZRANGE", "0", "-1", "WITHSCORES");
            t.exec("DEL", "built", "cmd");
        }
    }

    /** Builds {@code value} and stores it as key {@code built}. */
    private void store(DataValue value) {
        t.cellar.withLock(() -> {
            t.cellar.engine().db(0).add(bytes("built"), ValueBuilder.build(t.cellar.engine().settings(), value));
            return null;
        });
    }

    /** The encoding and {@code command built ...} equal to {@code command cmd ...}. */
    private void assertSame(String what, String command, String... args) {
        assertThat(t.exec("OBJECT", "ENCODING", "built")).as("encoding of %s", what)
                .isEqualTo(t.exec("OBJECT", "ENCODING", "cmd"));
        List<String> built = new ArrayList<>(List.of(command, "built"));
        built.addAll(List.of(args));
        List<String> cmd = new ArrayList<>(List.of(command, "cmd"));
        cmd.addAll(List.of(args));
        Reply expected = t.exec(cmd.toArray(String[]::new));
        assertThat(t.exec(built.toArray(String[]::new))).as("%s of %s", command, what).isEqualTo(expected);
    }

    /** The elements of an array, set or map reply (map entries as key=value), sorted. */
    private static List<String> sorted(Reply reply) {
        List<Reply> items = reply instanceof Reply.Array a ? a.items()
                : reply instanceof Reply.SetReply set ? set.items()
                : reply instanceof Reply.MapReply m ? m.keysAndValues() : List.of();
        List<String> out = new ArrayList<>();
        int step = reply instanceof Reply.MapReply ? 2 : 1;
        for (int i = 0; i < items.size(); i += step) {
            out.add(step == 2 ? items.get(i) + "=" + items.get(i + 1) : items.get(i).toString());
        }
        assertThat(out).as("a collection reply: %s", reply).isNotEmpty();
        out.sort(null);
        return out;
    }

    /** The members as ascending longs when each is a canonical decimal integer, else null. */
    private static long[] canonicalIntegers(List<String> members) {
        long[] out = new long[members.size()];
        for (int i = 0; i < out.length; i++) {
            try {
                out[i] = Long.parseLong(members.get(i));
            } catch (NumberFormatException e) {
                return null;
            }
            if (!Long.toString(out[i]).equals(members.get(i))) {
                return null;
            }
        }
        java.util.Arrays.sort(out);
        return out;
    }

    /** Whether the even-indexed strings (fields) are all different. */
    private static boolean fieldsUnique(List<String> pairs) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < pairs.size(); i += 2) {
            if (!seen.add(pairs.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Score-member pairs as member-score pairs. */
    private static List<String> swap(List<String> pairs) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i += 2) {
            out.add(pairs.get(i + 1));
            out.add(pairs.get(i));
        }
        return out;
    }

    private static List<String> pairs(int n, String f, String v) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(f + i);
            out.add(v + i);
        }
        return out;
    }

    private static double parse(String s) {
        return switch (s) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
