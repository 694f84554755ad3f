package dev.cellar.core.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Reply;
import dev.cellar.core.testing.ReplayCheck;
import dev.cellar.core.testing.TestEngine;
import dev.cellar.core.values.SetValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The set commands one by one, error paths included, against Redis 7.0's observed behaviour. */
class SetCommandsTest {
    static final Reply WRONGTYPE = Reply.error("WRONGTYPE Operation against a key holding the wrong kind of value");
    static final Reply SYNTAX = Reply.error("ERR syntax error");
    static final Reply NOT_INTEGER = Reply.error("ERR value is not an integer or out of range");

    TestEngine t = TestEngine.create();

    @AfterEach
    void close() {
        t.close();
    }

    // ------------------------------------------------------------------ helpers

    static Reply set(String... members) {
        return new Reply.SetReply(Arrays.stream(members).map(Reply::bulk).collect(Collectors.toList()));
    }

    static Reply array(String... members) {
        return new Reply.Array(Arrays.stream(members).map(Reply::bulk).collect(Collectors.toList()));
    }

    static Reply intArray(long... values) {
        return new Reply.Array(Arrays.stream(values).mapToObj(Reply::of).collect(Collectors.toList()));
    }

    /** The members of a collection reply as text, in reply order. */
    static List<String> texts(Reply r) {
        List<Reply> items = r instanceof Reply.SetReply s ? s.items() : ((Reply.Array) r).items();
        List<String> out = new ArrayList<>();
        for (Reply i : items) {
            out.add(((Reply.Bulk) i).text());
        }
        return out;
    }

    static Set<String> members(TestEngine t, String key) {
        return new HashSet<>(texts(t.exec("SMEMBERS", key)));
    }

    SetValue value(String key) {
        return value(t, key);
    }

    static SetValue value(TestEngine t, String key) {
        return t.cellar.withLock(() -> (SetValue) t.cellar.engine().db(0).lookupReadNoTouch(key.getBytes()));
    }

    static String[] range(int from, int to) {
        return IntStream.range(from, to).mapToObj(Integer::toString).toArray(String[]::new);
    }

    static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    // ------------------------------------------------------------------ SADD / encodings

    @Nested
    @DisplayName("SADD adds members and picks Redis's encoding")
    class Sadd {
        @Test
        void countsOnlyNewMembers() {
            assertThat(t.exec("SADD", "s", "a", "b", "a")).isEqualTo(Reply.of(2));
            assertThat(t.exec("SADD", "s", "b", "c")).isEqualTo(Reply.of(1));
            assertThat(t.exec("SADD", "s", "c")).isEqualTo(Reply.ZERO);
            assertThat(members(t, "s")).containsExactlyInAnyOrder("a", "b", "c");
            assertThat(t.exec("TYPE", "s")).isEqualTo(new Reply.Simple("set"));
        }

        @Test
        void integersStayAnIntsetReturnedInAscendingOrder() {
            t.exec("SADD", "s", "5", "-3", "70000", "0", "-9223372036854775808", "9223372036854775807", "12");
            assertThat(value("s").encoding()).isEqualTo("intset");
            assertThat(t.exec("SMEMBERS", "s")).isEqualTo(
                    set("-9223372036854775808", "-3", "0", "5", "12", "70000", "9223372036854775807"));
            assertThat(t.exec("SISMEMBER", "s", "70000")).isEqualTo(Reply.ONE);
            assertThat(t.exec("SISMEMBER", "s", "070000")).isEqualTo(Reply.ZERO);
        }

        @Test
        void nonCanonicalIntegersAreStrings() {
            for (String m : List.of("01", "-0", "+1", " 1", "1 ", "9223372036854775808", "-9223372036854775809", "1.0", "")) {
                t.exec("DEL", "s");
                t.exec("SADD", "s", "1", m);
                assertThat(value("s").encoding()).as(m).isEqualTo("hashtable");
                assertThat(members(t, "s")).as(m).containsExactlyInAnyOrder("1", m);
            }
        }

        @Test
        void convertsToHashtableAfterMaxIntsetEntriesAndNeverBack() {
            t.exec("CONFIG", "SET", "set-max-intset-entries", "4");
            t.exec("SADD", "s", "1", "2", "3", "4");
            assertThat(value("s").encoding()).isEqualTo("intset");
            t.exec("SADD", "s", "5");
            assertThat(value("s").encoding()).isEqualTo("hashtable");
            t.exec("SREM", "s", "5", "4");
            assertThat(value("s").encoding()).isEqualTo("hashtable");
            assertThat(members(t, "s")).containsExactlyInAnyOrder("1", "2", "3");
        }

        @Test
        void defaultLimitIs512() {
            t.exec(concat(new String[] {"SADD", "s"}, range(0, 512)));
            assertThat(value("s").encoding()).isEqualTo("intset");
            t.exec("SADD", "s", "512");
            assertThat(value("s").encoding()).isEqualTo("hashtable");
            assertThat(t.exec("SCARD", "s")).isEqualTo(Reply.of(513));
        }

        @Test
        void zeroLimitMeansNoIntsets() {
            t.exec("CONFIG", "SET", "set-max-intset-entries", "0");
            t.exec("SADD", "s", "1");
            assertThat(value("s").encoding()).isEqualTo("hashtable");
        }

        @Test
        void errors() {
            t.exec("SET", "str", "x");
            assertThat(t.exec("SADD", "str", "a")).isEqualTo(WRONGTYPE);
            assertThat(t.exec("SADD", "s")).isEqualTo(
                    Reply.error("ERR wrong number of arguments for 'sadd' command"));
        }

        @Test
        void addingNothingNewIsNotPropagated() {
            t.exec("SADD", "s", "a");
            t.exec("SADD", "s", "a");
            assertThat(t.propagatedText()).containsExactly("0 SADD s a");
        }
    }

    // ------------------------------------------------------------------ SREM

    @Nested
    @DisplayName("SREM removes members and the key with the last one")
    class Srem {
        @Test
        void removesAndCounts() {
            t.exec("SADD", "s", "a", "b", "c", "1");
            assertThat(t.exec("SREM", "s", "a", "x", "a", "1")).isEqualTo(Reply.of(2));
            assertThat(members(t, "s")).containsExactlyInAnyOrder("b", "c");
        }

        @Test
        void lastMemberDeletesTheKey() {
            t.exec("SADD", "s", "1", "2");
            assertThat(t.exec("SREM", "s", "1", "2", "3")).isEqualTo(Reply.of(2));
            assertThat(t.exec("EXISTS", "s")).isEqualTo(Reply.ZERO);
        }

        @Test
        void intsetRemovalKeepsOrder() {
            t.exec("SADD", "s", "100000", "1", "-5", "7");
            t.exec("SREM", "s", "1", "notanumber");
            assertThat(t.exec("SMEMBERS", "s")).isEqualTo(set("-5", "7", "100000"));
        }

        @Test
        void missingKeyAndErrors() {
            assertThat(t.exec("SREM", "nokey", "a")).isEqualTo(Reply.ZERO);
            t.exec("SET", "str", "x");
            assertThat(t.exec("SREM", "str", "a")).isEqualTo(WRONGTYPE);
            assertThat(t.exec("SREM", "s")).isEqualTo(Reply.error("ERR wrong number of arguments for 'srem' command"));
            assertThat(t.propagatedText()).containsExactly("0 SET str x");
        }
    }

    // ------------------------------------------------------------------ SMOVE

    @Nested
    @DisplayName("SMOVE moves a member between sets")
    class Smove {
        @Test
        void movesAndCreatesTheDestination() {
            t.exec("SADD", "a", "x", "y");
            assertThat(t.exec("SMOVE", "a", "b", "x")).isEqualTo(Reply.ONE);
            assertThat(members(t, "a")).containsExactly("y");
            assertThat(members(t, "b")).containsExactly("x");
            assertThat(t.exec("SMOVE", "a", "b", "y")).isEqualTo(Reply.ONE);
            assertThat(t.exec("EXISTS", "a")).isEqualTo(Reply.ZERO);
            assertThat(members(t, "b")).containsExactlyInAnyOrder("x", "y");
        }

        @Test
        void integerMemberCreatesAnIntsetDestination() {
            t.exec("SADD", "a", "x", "5");
            t.exec("SMOVE", "a", "b", "5");
            assertThat(value("b").encoding()).isEqualTo("intset");
        }

        @Test
        void memberAlreadyInDestinationIsStillRemovedFromSource() {
            t.exec("SADD", "a", "x", "y");
            t.exec("SADD", "b", "x");
            assertThat(t.exec("SMOVE", "a", "b", "x")).isEqualTo(Reply.ONE);
            assertThat(members(t, "a")).containsExactly("y");
            assertThat(members(t, "b")).containsExactly("x");
        }

        @Test
        void sameKeyAnswersMembership() {
            t.exec("SADD", "a", "x");
            assertThat(t.exec("SMOVE", "a", "a", "x")).isEqualTo(Reply.ONE);
            assertThat(t.exec("SMOVE", "a", "a", "z")).isEqualTo(Reply.ZERO);
            assertThat(t.propagatedText()).containsExactly("0 SADD a x");
        }

        @Test
        void missingSourceOrMemberIsZero() {
            t.exec("SET", "str", "x");
            t.exec("SADD", "a", "x");
            assertThat(t.exec("SMOVE", "nokey", "str", "x")).isEqualTo(Reply.ZERO);
            assertThat(t.exec("SMOVE", "a", "b", "nope")).isEqualTo(Reply.ZERO);
            assertThat(t.exec("EXISTS", "b")).isEqualTo(Reply.ZERO);
        }

        @Test
        void wrongTypes() {
            t.exec("SET", "str", "x");
            t.exec("SADD", "a", "x");
            assertThat(t.exec("SMOVE", "a", "str", "x")).isEqualTo(WRONGTYPE);
            assertThat(t.exec("SMOVE", "str", "a", "x")).isEqualTo(WRONGTYPE);
            assertThat(t.exec("SMOVE", "str", "nokey", "x")).isEqualTo(WRONGTYPE);
            assertThat(members(t, "a")).containsExactly("x");
        }
    }

    // ------------------------------------------------------------------ reads

    @Nested
    @DisplayName("SISMEMBER, SMISMEMBER, SCARD and SMEMBERS read")
    class Reads {
        @Test
        void membership() {
            t.exec("SADD", "s", "a", "1");
            assertThat(t.exec("SISMEMBER", "s", "a")).isEqualTo(Reply.ONE);
            assertThat(t.exec("SISMEMBER", "s", "b")).isEqualTo(Reply.ZERO);
            assertThat(t.exec("SISMEMBER", "nokey", "b")).isEqualTo(Reply.ZERO);
            assertThat(t.exec("SMISMEMBER", "s", "1", "b", "a")).isEqualTo(intArray(1, 0, 1));
            assertThat(t.exec("SMISMEMBER", "nokey", "1", "b")).isEqualTo(intArray(0, 0));
            assertThat(t.exec("SCARD", "s")).isEqualTo(Reply.of(2));
            assertThat(t.exec("SCARD", "nokey")).isEqualTo(Reply.ZERO);
            assertThat(t.exec("SMEMBERS", "nokey")).isEqualTo(set());
        }

        @Test
        void wrongTypeAndArity() {
            t.exec("SET", "str", "x");
            for (String cmd : List.of("SISMEMBER", "SMISMEMBER")) {
                assertThat(t.exec(cmd, "str", "a")).isEqualTo(WRONGTYPE);
            }
            assertThat(t.exec("SCARD", "str")).isEqualTo(WRONGTYPE);
            assertThat(t.exec("SMEMBERS", "str")).isEqualTo(WRONGTYPE);
            assertThat(t.exec("SMISMEMBER", "s")).isEqualTo(
                    Reply.error("ERR wrong number of arguments for 'smismember' command"));
            assertThat(t.exec("SISMEMBER", "s", "a", "b")).isEqualTo(
                    Reply.error("ERR wrong number of arguments for 'sismember' command"));
        }

        @Test
        void smembersIsASetReply() {
            t.exec("SADD", "s", "b", "a");
            assertThat(t.exec("SMEMBERS", "s")).isInstanceOf(Reply.SetReply.class);
        }
    }

    // ------------------------------------------------------------------ SPOP

    @Nested
    @DisplayName("SPOP removes random members and propagates the removal")
    class Spop {
        @Test
        void popsOneAndPropagatesSrem() {
            t.exec("SADD", "s", "a", "b", "c");
            Reply r = t.exec("SPOP", "s");
            String popped = ((Reply.Bulk) r).text();
            assertThat(members(t, "s")).hasSize(2).doesNotContain(popped);
            assertThat(t.propagatedText()).containsExactly("0 SADD s a b c", "0 SREM s " + popped);
        }

        @Test
        void lastMemberDeletesTheKey() {
            t.exec("SADD", "s", "7");
            assertThat(t.exec("SPOP", "s")).isEqualTo(Reply.bulk("7"));
            assertThat(t.exec("EXISTS", "s")).isEqualTo(Reply.ZERO);
            assertThat(t.propagatedText()).last().isEqualTo("0 SREM s 7");
            ReplayCheck.assertReplayMatches(t);
        }

        @Test
        void countPopsDistinctMembersAsSremsInATransaction() {
            t.exec(concat(new String[] {"SADD", "s"}, range(0, 10)));
            Reply r = t.exec("SPOP", "s", "3");
            assertThat(r).isInstanceOf(Reply.SetReply.class);
            List<String> popped = texts(r);
            assertThat(new HashSet<>(popped)).hasSize(3);
            assertThat(members(t, "s")).hasSize(7).doesNotContainAnyElementsOf(popped);
            List<String> expected = new ArrayList<>();
            expected.add("0 MULTI");
            popped.forEach(m -> expected.add("0 SREM s " + m));
            expected.add("0 EXEC");
            assertThat(t.propagatedText().subList(1, t.propagatedText().size())).isEqualTo(expected);
            ReplayCheck.assertReplayMatches(t);
        }

        @Test
        void countOfOneIsOneSremWithoutTransaction() {
            t.exec("SADD", "s", "a", "b", "c");
            String popped = texts(t.exec("SPOP", "s", "1")).get(0);
            assertThat(t.propagatedText()).containsExactly("0 SADD s a b c", "0 SREM s " + popped);
        }

        @Test
        void countNearTheSizeKeepsFewAndPropagatesTheRest() {
            t.exec(concat(new String[] {"SADD", "s"}, range(0, 20)));
            List<String> popped = texts(t.exec("SPOP", "s", "18"));
            assertThat(new HashSet<>(popped)).hasSize(18);
            assertThat(members(t, "s")).hasSize(2).doesNotContainAnyElementsOf(popped);
            assertThat(t.propagatedText()).hasSize(1 + 18 + 2);
            ReplayCheck.assertReplayMatches(t);
        }

        @Test
        void countNearTheSizeRebuildsATableOfIntegersAsAnIntset() {
            t.exec(concat(new String[] {"SADD", "s"}, concat(range(0, 20), "a")));
            assertThat(value("s").encoding()).isEqualTo("hashtable");
            t.exec("SPOP", "s", "20");
            SetValue v = value("s");
            assertThat(v.size()).isEqualTo(1);
            assertThat(v.encoding()).isEqualTo(v.contains("a".getBytes()) ? "hashtable" : "intset");
        }

        @Test
        void countAtLeastTheSizeDeletesTheKeyAndPropagatesDel() {
            t.exec("SADD", "s", "3", "1", "2");
            assertThat(t.exec("SPOP", "s", "5")).isEqualTo(set("1", "2", "3"));
            assertThat(t.exec("EXISTS", "s")).isEqualTo(Reply.ZERO);
            assertThat(t.propagatedText()).containsExactly("0 SADD s 3 1 2", "0 DEL s");
        }

        @Test
        void lazyServerDelMakesItUnlink() {
            try (TestEngine lazy = TestEngine.create("lazyfree-lazy-server-del", "yes")) {
                lazy.exec("SADD", "s", "a", "b");
                lazy.exec("SPOP", "s", "2");
                assertThat(lazy.propagatedText()).last().isEqualTo("0 UNLINK s");
            }
        }

        @Test
        void zeroCountAndMissingKeyChangeNothing() {
            t.exec("SADD", "s", "a");
            assertThat(t.exec("SPOP", "s", "0")).isEqualTo(set());
            assertThat(t.exec("SPOP", "nokey", "2")).isEqualTo(set());
            assertThat(t.exec("SPOP", "nokey")).isEqualTo(Reply.NULL);
            assertThat(t.propagatedText()).containsExactly("0 SADD s a");
        }

        @Test
        void errors() {
            t.exec("SADD", "s", "a");
            t.exec("SET", "str", "x");
            Reply positive = Reply.error("ERR value is out of range, must be positive");
            assertThat(t.exec("SPOP", "s", "-1")).isEqualTo(positive);
            assertThat(t.exec("SPOP", "s", "x")).isEqualTo(positive);
            assertThat(t.exec("SPOP", "s", "1", "2")).isEqualTo(SYNTAX);
            assertThat(t.exec("SPOP", "str")).isEqualTo(WRONGTYPE);
            assertThat(t.exec("SPOP", "str", "0")).isEqualTo(WRONGTYPE);
            assertThat(t.exec("SPOP", "str", "-1")).isEqualTo(positive);
        }

        @Test
        void popsEveryMemberEquallyOften() {
            int[] counts = new int[4];
            for (int i = 0; i < 4000; i++) {
                t.exec("SADD", "s", "a", "b", "c", "d");
                String m = ((Reply.Bulk) t.exec("SPOP", "s")).text();
                counts[m.charAt(0) - 'a']++;
                t.exec("DEL", "s");
            }
            for (int c : counts) {
                assertThat(c).isBetween(850, 1150);
            }
        }
    }

    // ------------------------------------------------------------------ SRANDMEMBER

    @Nested
    @DisplayName("SRANDMEMBER picks members without removing them")
    class Srandmember {
        @Test
        void singleMember() {
            assertThat(t.exec("SRANDMEMBER", "nokey")).isEqualTo(Reply.NULL);
            t.exec("SADD", "s", "a", "b");
            assertThat(((Reply.Bulk) t.exec("SRANDMEMBER", "s")).text()).isIn("a", "b");
            assertThat(t.exec("SCARD", "s")).isEqualTo(Reply.of(2));
        }

        @Test
        void positiveCountGivesDistinctMembersAsAnArray() {
            String[] many = range(0, 300);
            t.exec(concat(new String[] {"SADD", "s"}, many));
            t.exec(concat(new String[] {"SADD", "h"}, concat(many, "x")));
            for (String key : List.of("s", "h")) {
                for (int count : new int[] {1, 2, 50, 99, 101, 150, 299}) {
                    Reply r = t.exec("SRANDMEMBER", key, Integer.toString(count));
                    assertThat(r).isInstanceOf(Reply.Array.class);
                    List<String> got = texts(r);
                    assertThat(got).hasSize(count).doesNotHaveDuplicates();
                    assertThat(members(t, key)).containsAll(got);
                }
            }
        }

        @Test
        void countAtLeastTheSizeGivesTheWholeSet() {
            t.exec("SADD", "s", "c", "a", "b");
            assertThat(texts(t.exec("SRANDMEMBER", "s", "3"))).containsExactlyInAnyOrder("a", "b", "c");
            assertThat(texts(t.exec("SRANDMEMBER", "s", "100"))).containsExactlyInAnyOrder("a", "b", "c");
        }

        @Test
        void negativeCountMayRepeat() {
            t.exec("SADD", "s", "a", "b");
            List<String> got = texts(t.exec("SRANDMEMBER", "s", "-50"));
            assertThat(got).hasSize(50).containsOnly("a", "b").contains("a", "b");
        }

        @Test
        void zeroAndMissing() {
            t.exec("SADD", "s", "a");
            assertThat(t.exec("SRANDMEMBER", "s", "0")).isEqualTo(Reply.EMPTY_ARRAY);
            assertThat(t.exec("SRANDMEMBER", "nokey", "5")).isEqualTo(Reply.EMPTY_ARRAY);
            assertThat(t.exec("SRANDMEMBER", "nokey", "-5")).isEqualTo(Reply.EMPTY_ARRAY);
        }

        @Test
        void errors() {
            t.exec("SADD", "s", "a");
            t.exec("SET", "str", "x");
            assertThat(t.exec("SRANDMEMBER", "s", "x")).isEqualTo(NOT_INTEGER);
            assertThat(t.exec("SRANDMEMBER", "s", "-9223372036854775808")).isEqualTo(Reply.error(
                    "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"));
            assertThat(t.exec("SRANDMEMBER", "s", "1", "2")).isEqualTo(SYNTAX);
            assertThat(t.exec("SRANDMEMBER", "str")).isEqualTo(WRONGTYPE);
            assertThat(t.exec("SRANDMEMBER", "str", "0")).isEqualTo(WRONGTYPE);
        }

        @Test
        void picksUniformlyFromATable() {
            String[] ms = {"a", "b", "c", "d", "e"};
            t.exec(concat(new String[] {"SADD", "s"}, ms));
            java.util.Map<String, Integer> counts = new java.util.HashMap<>();
            for (String m : texts(t.exec("SRANDMEMBER", "s", "-10000"))) {
                counts.merge(m, 1, Integer::sum);
            }
            assertThat(counts).hasSize(5);
            counts.values().forEach(c -> assertThat(c).isBetween(1800, 2200));
        }
    }

    // ------------------------------------------------------------------ algebra

    @Nested
    @DisplayName("SINTER, SUNION, SDIFF and their STORE and CARD forms")
    class Algebra {
        void fill() {
            t.exec("SADD", "a", "1", "2", "3", "4", "x");
            t.exec("SADD", "b", "2", "3", "5", "x");
            t.exec("SADD", "c", "3", "4", "x", "y");
            t.exec("SADD", "i", "3", "2", "10");
        }

        @Test
        void intersection() {
            fill();
            assertThat(new HashSet<>(texts(t.exec("SINTER", "a", "b", "c")))).containsExactlyInAnyOrder("3", "x");
            assertThat(t.exec("SINTER", "a", "i")).isEqualTo(set("2", "3"));
            assertThat(t.exec("SINTER", "a", "nokey")).isEqualTo(set());
            assertThat(t.exec("SINTER", "i", "i")).isEqualTo(set("2", "3", "10"));
        }

        @Test
        void unionAndDifference() {
            fill();
            assertThat(new HashSet<>(texts(t.exec("SUNION", "a", "b", "nokey"))))
                    .containsExactlyInAnyOrder("1", "2", "3", "4", "5", "x");
            assertThat(new HashSet<>(texts(t.exec("SDIFF", "a", "b", "nokey")))).containsExactlyInAnyOrder("1", "4");
            assertThat(t.exec("SDIFF", "nokey", "a")).isEqualTo(set());
            assertThat(t.exec("SDIFF", "a", "a")).isEqualTo(set());
            assertThat(t.exec("SUNION", "i", "nokey")).isEqualTo(set("2", "3", "10"));
        }

        @Test
        void everyKeyIsTypeCheckedEvenAfterAMissingOne() {
            fill();
            t.exec("SET", "str", "x");
            for (String cmd : List.of("SINTER", "SUNION", "SDIFF")) {
                assertThat(t.exec(cmd, "nokey", "str")).as(cmd).isEqualTo(WRONGTYPE);
                assertThat(t.exec(cmd, "a", "str")).as(cmd).isEqualTo(WRONGTYPE);
            }
            for (String cmd : List.of("SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE")) {
                assertThat(t.exec(cmd, "d", "nokey", "str")).as(cmd).isEqualTo(WRONGTYPE);
            }
            assertThat(t.exec("SINTERCARD", "2", "nokey", "str")).isEqualTo(WRONGTYPE);
            assertThat(t.exec("EXISTS", "d")).isEqualTo(Reply.ZERO);
        }

        @Test
        void storeReplacesTheDestinationAndItsExpiry() {
            fill();
            t.exec("SET", "d", "old", "EX", "100");
            assertThat(t.exec("PEXPIRETIME", "d")).isNotEqualTo(Reply.of(-1));
            assertThat(t.exec("SINTERSTORE", "d", "a", "b")).isEqualTo(Reply.of(3));
            assertThat(members(t, "d")).containsExactlyInAnyOrder("2", "3", "x");
            assertThat(t.exec("PEXPIRETIME", "d")).isEqualTo(Reply.of(-1));
            assertThat(t.exec("SUNIONSTORE", "d", "i", "d")).isEqualTo(Reply.of(4));
            assertThat(t.exec("SDIFFSTORE", "e", "a", "b")).isEqualTo(Reply.of(2));
            assertThat(value("e").encoding()).isEqualTo("intset");
            assertThat(t.exec("SMEMBERS", "e")).isEqualTo(set("1", "4"));
            assertThat(t.exec("SUNIONSTORE", "u", "i")).isEqualTo(Reply.of(3));
            assertThat(value("u").encoding()).isEqualTo("intset");
        }

        @Test
        void storeOfATableOfIntegersMakesAnIntset() {
            t.exec("SADD", "h", "1", "2", "x");
            t.exec("SREM", "h", "x");
            assertThat(value("h").encoding()).isEqualTo("hashtable");
            t.exec("SINTERSTORE", "d", "h");
            assertThat(value("d").encoding()).isEqualTo("intset");
        }

        @Test
        void emptyResultDeletesTheDestinationAndIsPropagatedOnlyIfItExisted() {
            fill();
            int before = t.propagatedText().size();
            assertThat(t.exec("SINTERSTORE", "d", "a", "nokey")).isEqualTo(Reply.ZERO);
            assertThat(t.propagatedText()).hasSize(before);
            t.exec("SET", "d", "v");
            assertThat(t.exec("SINTERSTORE", "d", "a", "nokey")).isEqualTo(Reply.ZERO);
            t.exec("SADD", "d", "v");
            assertThat(t.exec("SDIFFSTORE", "d", "a", "a")).isEqualTo(Reply.ZERO);
            t.exec("SADD", "d", "v");
            assertThat(t.exec("SUNIONSTORE", "d", "nokey")).isEqualTo(Reply.ZERO);
            assertThat(t.exec("EXISTS", "d")).isEqualTo(Reply.ZERO);
            assertThat(t.propagatedText().subList(before, t.propagatedText().size())).containsExactly(
                    "0 SET d v", "0 SINTERSTORE d a nokey",
                    "0 SADD d v", "0 SDIFFSTORE d a a",
                    "0 SADD d v", "0 SUNIONSTORE d nokey");
            ReplayCheck.assertReplayMatches(t);
        }

        @Test
        void sintercardCountsUpToTheLimit() {
            fill();
            assertThat(t.exec("SINTERCARD", "2", "a", "b")).isEqualTo(Reply.of(3));
            assertThat(t.exec("SINTERCARD", "2", "a", "b", "LIMIT", "2")).isEqualTo(Reply.of(2));
            assertThat(t.exec("SINTERCARD", "2", "a", "b", "limit", "0")).isEqualTo(Reply.of(3));
            assertThat(t.exec("SINTERCARD", "2", "a", "b", "LIMIT", "1", "LIMIT", "5")).isEqualTo(Reply.of(3));
            assertThat(t.exec("SINTERCARD", "1", "nokey")).isEqualTo(Reply.ZERO);
            assertThat(t.exec("SINTERCARD", "1", "a", "LIMIT", "9223372036854775807")).isEqualTo(Reply.of(5));
        }

        @Test
        void sintercardErrors() {
            fill();
            t.exec("SET", "str", "x");
            Reply numkeys = Reply.error("ERR numkeys should be greater than 0");
            assertThat(t.exec("SINTERCARD", "0", "a")).isEqualTo(numkeys);
            assertThat(t.exec("SINTERCARD", "-1", "a")).isEqualTo(numkeys);
            assertThat(t.exec("SINTERCARD", "x", "a")).isEqualTo(numkeys);
            assertThat(t.exec("SINTERCARD", "99999999999999999999", "a")).isEqualTo(numkeys);
            assertThat(t.exec("SINTERCARD", "2", "a")).isEqualTo(
                    Reply.error("ERR Number of keys can't be greater than number of args"));
            Reply limit = Reply.error("ERR LIMIT can't be negative");
            assertThat(t.exec("SINTERCARD", "1", "a", "LIMIT", "-1")).isEqualTo(limit);
            assertThat(t.exec("SINTERCARD", "1", "a", "LIMIT", "x")).isEqualTo(limit);
            assertThat(t.exec("SINTERCARD", "2", "str", "a", "LIMIT", "-1")).isEqualTo(limit);
            assertThat(t.exec("SINTERCARD", "1", "a", "LIMIT")).isEqualTo(SYNTAX);
            assertThat(t.exec("SINTERCARD", "1", "a", "FOO", "1")).isEqualTo(SYNTAX);
            assertThat(t.exec("SINTERCARD", "1", "nokey", "str")).isEqualTo(SYNTAX);
            assertThat(t.exec("SINTERCARD", "1")).isEqualTo(
                    Reply.error("ERR wrong number of arguments for 'sintercard' command"));
        }
    }

    // ------------------------------------------------------------------ SSCAN

    @Nested
    @DisplayName("SSCAN iterates with Redis's cursor rules")
    class Sscan {
        Reply scan(String... args) {
            return t.exec(concat(new String[] {"SSCAN"}, args));
        }

        static String cursorOf(Reply r) {
            return ((Reply.Bulk) ((Reply.Array) r).items().get(0)).text();
        }

        static List<String> itemsOf(Reply r) {
            return texts(((Reply.Array) r).items().get(1));
        }

        @Test
        void intsetComesWholeInOneCallWhateverTheCursorAndCount() {
            t.exec("SADD", "s", "3", "1", "2", "11");
            for (String cursor : List.of("0", "5", "-1", "18446744073709551615", "")) {
                Reply r = scan("s", cursor, "COUNT", "1");
                assertThat(cursorOf(r)).isEqualTo("0");
                assertThat(itemsOf(r)).containsExactly("1", "2", "3", "11");
            }
            assertThat(itemsOf(scan("s", "0", "MATCH", "1*"))).containsExactly("1", "11");
        }

        @Test
        void tableIsCoveredByFollowingTheCursor() {
            String[] ms = concat(range(0, 1000), "x");
            t.exec(concat(new String[] {"SADD", "s"}, ms));
            Set<String> seen = new HashSet<>();
            String cursor = "0";
            int calls = 0;
            do {
                Reply r = scan("s", cursor, "COUNT", "20");
                cursor = cursorOf(r);
                seen.addAll(itemsOf(r));
                calls++;
            } while (!cursor.equals("0"));
            assertThat(seen).containsExactlyInAnyOrder(ms);
            assertThat(calls).isGreaterThan(10);
        }

        @Test
        void membersPresentThroughoutAreReturnedAcrossResizes() {
            String[] stay = concat(range(0, 200), "x");
            t.exec(concat(new String[] {"SADD", "s"}, stay));
            Set<String> seen = new HashSet<>();
            String cursor = "0";
            int step = 0;
            do {
                Reply r = scan("s", cursor, "COUNT", "5");
                cursor = cursorOf(r);
                seen.addAll(itemsOf(r));
                // Grow, then shrink the table between calls.
                if (step < 20) {
                    t.exec(concat(new String[] {"SADD", "s"}, range(10000 + step * 200, 10200 + step * 200)));
                } else if (step < 40) {
                    t.exec(concat(new String[] {"SREM", "s"}, range(10000 + (step - 20) * 200, 10200 + (step - 20) * 200)));
                }
                step++;
            } while (!cursor.equals("0"));
            assertThat(seen).containsAll(Arrays.asList(stay));
        }

        @Test
        void missingKeyAnswersBeforeOptionsAreParsed() {
            assertThat(scan("nokey", "0", "COUNT", "0")).isEqualTo(
                    new Reply.Array(List.of(Reply.bulk("0"), Reply.EMPTY_ARRAY)));
        }

        @Test
        void errors() {
            t.exec("SADD", "s", "a");
            t.exec("SET", "str", "x");
            Reply invalid = Reply.error("ERR invalid cursor");
            for (String c : List.of("x", " 1", "1 ", "-", "+", "18446744073709551616", "-18446744073709551616", "0x1")) {
                assertThat(scan("s", c)).as(c).isEqualTo(invalid);
            }
            assertThat(scan("nokey", "x")).isEqualTo(invalid);
            assertThat(scan("s", "0", "COUNT", "0")).isEqualTo(SYNTAX);
            assertThat(scan("s", "0", "COUNT", "-1")).isEqualTo(SYNTAX);
            assertThat(scan("s", "0", "COUNT", "x")).isEqualTo(NOT_INTEGER);
            assertThat(scan("s", "0", "MATCH")).isEqualTo(SYNTAX);
            assertThat(scan("s", "0", "TYPE", "string")).isEqualTo(SYNTAX);
            assertThat(scan("str", "0", "FOO")).isEqualTo(WRONGTYPE);
        }

        @Test
        void cursorParsesAsStrtoul() {
            assertThat(dev.cellar.core.engine.Args.parseScanCursor("".getBytes())).isZero();
            assertThat(dev.cellar.core.engine.Args.parseScanCursor("+7".getBytes())).isEqualTo(7);
            assertThat(dev.cellar.core.engine.Args.parseScanCursor("-1".getBytes())).isEqualTo(-1L);
            assertThat(dev.cellar.core.engine.Args.parseScanCursor("18446744073709551615".getBytes())).isEqualTo(-1L);
            assertThat(dev.cellar.core.engine.Args.parseScanCursor("-18446744073709551615".getBytes())).isEqualTo(1L);
        }
    }

    // ------------------------------------------------------------------ keyspace events

    @Nested
    @DisplayName("Keyspace notifications carry Redis's event names")
    class Events {
        final List<String> events = new ArrayList<>();

        void listen() {
            t.cellar.withLock(() -> {
                t.cellar.engine().setKeyspaceListener((type, event, db, key) ->
                        events.add(type + ":" + event + ":" + new String(key)));
                return null;
            });
        }

        @Test
        void writesRaiseTheirEvents() {
            listen();
            t.exec("SADD", "a", "1", "2", "3");
            t.exec("SADD", "a", "1");
            t.exec("SREM", "a", "3");
            t.exec("SMOVE", "a", "b", "2");
            t.exec("SMOVE", "a", "b", "1");
            t.exec("SPOP", "b");
            t.exec("SADD", "c", "1", "2");
            t.exec("SPOP", "c", "5");
            t.exec("SADD", "c", "1", "2");
            t.exec("SUNIONSTORE", "d", "c");
            t.exec("SINTERSTORE", "d", "c", "nokey");
            t.exec("SDIFFSTORE", "e", "c", "nokey");
            assertThat(events).containsExactly(
                    "s:sadd:a", "s:srem:a",
                    "s:srem:a", "s:sadd:b",
                    "s:srem:a", "g:del:a", "s:sadd:b",
                    "s:spop:b",
                    "s:sadd:c", "s:spop:c", "g:del:c",
                    "s:sadd:c", "s:sunionstore:d", "g:del:d", "s:sdiffstore:e");
        }
    }
}
