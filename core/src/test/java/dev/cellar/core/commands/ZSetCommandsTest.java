package dev.cellar.core.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Reply;
import dev.cellar.core.testing.Resp2;
import dev.cellar.core.testing.TestEngine;
import dev.cellar.core.values.ZSetValue;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The single-key sorted set commands, their options and their error replies (Redis 7.0's). */
class ZSetCommandsTest {
    private final TestEngine t = TestEngine.create();

    @AfterEach
    void close() {
        t.close();
    }

    static Reply err(String message) {
        return Reply.error(message);
    }

    static Reply bulks(String... items) {
        List<Reply> out = new ArrayList<>();
        for (String s : items) {
            out.add(Reply.bulk(s));
        }
        return Reply.array(out);
    }

    /** What a RESP2 client reads: doubles as text. */
    Reply exec2(String... argv) {
        return Resp2.of(t.exec(argv));
    }

    String encoding(String key) {
        return t.cellar.withLock(() -> ((ZSetValue) t.cellar.engine().db(0).lookupReadNoTouch(key.getBytes())).encoding());
    }

    @Nested
    class Zadd {
        @Test
        void addsAndCountsOnlyNewMembersUnlessCh() {
            assertThat(t.exec("ZADD", "z", "1", "a", "2", "b")).isEqualTo(Reply.of(2));
            assertThat(t.exec("ZADD", "z", "5", "a", "3", "c")).isEqualTo(Reply.of(1));
            assertThat(t.exec("ZADD", "z", "CH", "6", "a", "3", "c", "4", "d")).isEqualTo(Reply.of(2));
            assertThat(exec2("ZRANGE", "z", "0", "-1", "WITHSCORES"))
                    .isEqualTo(bulks("b", "2", "c", "3", "d", "4", "a", "6"));
        }

        @Test
        void nxXxGtLtDecideWhichMembersChange() {
            t.exec("ZADD", "z", "5", "a");
            assertThat(t.exec("ZADD", "z", "NX", "1", "a", "1", "b")).isEqualTo(Reply.of(1));
            assertThat(t.exec("ZADD", "z", "XX", "CH", "2", "a", "2", "c")).isEqualTo(Reply.of(1));
            assertThat(t.exec("ZADD", "z", "GT", "CH", "1", "a", "3", "b")).isEqualTo(Reply.of(1));
            assertThat(t.exec("ZADD", "z", "LT", "CH", "9", "a", "0", "b", "7", "new")).isEqualTo(Reply.of(2));
            assertThat(exec2("ZRANGE", "z", "0", "-1", "WITHSCORES"))
                    .isEqualTo(bulks("b", "0", "a", "2", "new", "7"));
        }

        @Test
        void xxOnAMissingKeyCreatesNothing() {
            assertThat(t.exec("ZADD", "z", "XX", "1", "a")).isEqualTo(Reply.ZERO);
            assertThat(t.exec("ZADD", "z", "XX", "INCR", "1", "a")).isEqualTo(Reply.NULL);
            assertThat(t.exec("EXISTS", "z")).isEqualTo(Reply.ZERO);
            assertThat(t.propagatedText()).isEmpty();
        }

        @Test
        void incrRepliesTheNewScoreOrNullWhenSkipped() {
            assertThat(t.exec("ZADD", "z", "INCR", "1.5", "a")).isEqualTo(new Reply.Double(1.5));
            assertThat(t.exec("ZADD", "z", "INCR", "2", "a")).isEqualTo(new Reply.Double(3.5));
            assertThat(t.exec("ZADD", "z", "NX", "INCR", "2", "a")).isEqualTo(Reply.NULL);
            assertThat(t.exec("ZADD", "z", "GT", "INCR", "-1", "a")).isEqualTo(Reply.NULL);
            assertThat(t.exec("ZINCRBY", "z", "inf", "a")).isEqualTo(new Reply.Double(Double.POSITIVE_INFINITY));
        }

        @Test
        void incompatibleOptionsAndBadArgumentsAreRefusedWithRedisMessages() {
            assertThat(t.exec("ZADD", "z", "NX", "XX", "1", "a"))
                    .isEqualTo(err("ERR XX and NX options at the same time are not compatible"));
            assertThat(t.exec("ZADD", "z", "GT", "LT", "1", "a"))
                    .isEqualTo(err("ERR GT, LT, and/or NX options at the same time are not compatible"));
            assertThat(t.exec("ZADD", "z", "NX", "GT", "1", "a"))
                    .isEqualTo(err("ERR GT, LT, and/or NX options at the same time are not compatible"));
            assertThat(t.exec("ZADD", "z", "INCR", "1", "a", "2", "b"))
                    .isEqualTo(err("ERR INCR option supports a single increment-element pair"));
            assertThat(t.exec("ZADD", "z", "1", "a", "2")).isEqualTo(err("ERR syntax error"));
            assertThat(t.exec("ZADD", "z", "nan", "a")).isEqualTo(err("ERR value is not a valid float"));
            assertThat(t.exec("ZADD", "z", " 1", "a")).isEqualTo(err("ERR value is not a valid float"));
            assertThat(t.exec("ZADD", "z")).isEqualTo(err("ERR wrong number of arguments for 'zadd' command"));
            assertThat(t.exec("ZINCRBY", "z", "nx", "a")).isEqualTo(err("ERR syntax error"));
            assertThat(t.exec("EXISTS", "z")).isEqualTo(Reply.ZERO);
        }

        @Test
        void infinityMinusInfinityIsANanError() {
            t.exec("ZADD", "z", "inf", "a");
            assertThat(t.exec("ZINCRBY", "z", "-inf", "a")).isEqualTo(err("ERR resulting score is not a number (NaN)"));
            assertThat(t.exec("ZADD", "z", "INCR", "-inf", "a")).isEqualTo(err("ERR resulting score is not a number (NaN)"));
            assertThat(exec2("ZSCORE", "z", "a")).isEqualTo(Reply.bulk("inf"));
        }

        @Test
        void wrongTypeIsReported() {
            t.exec("SET", "s", "x");
            String wrongType = "WRONGTYPE Operation against a key holding the wrong kind of value";
            for (String[] cmd : new String[][] {{"ZADD", "s", "1", "a"}, {"ZSCORE", "s", "a"}, {"ZCARD", "s"},
                {"ZRANGE", "s", "0", "-1"}, {"ZPOPMIN", "s"}, {"ZREM", "s", "a"}, {"ZRANK", "s", "a"},
                {"ZCOUNT", "s", "0", "1"}, {"ZLEXCOUNT", "s", "-", "+"}, {"ZRANDMEMBER", "s"}, {"ZSCAN", "s", "0"},
                {"ZMSCORE", "s", "a"}, {"ZREMRANGEBYRANK", "s", "0", "1"}, {"ZRANGESTORE", "d", "s", "0", "-1"}}) {
                assertThat(t.exec(cmd)).as(String.join(" ", cmd)).isEqualTo(err(wrongType));
            }
        }

        @Test
        void scoreUnchangedIsNotAWrite() {
            t.exec("ZADD", "z", "1", "a");
            t.exec("ZADD", "z", "1", "a");
            t.exec("ZADD", "z", "INCR", "0", "a");
            assertThat(t.propagatedText()).containsExactly("0 ZADD z 1 a");
        }
    }

    @Nested
    class Reads {
        @Test
        void scoreRankCardAndMscore() {
            t.exec("ZADD", "z", "1", "a", "2.5", "b", "-inf", "c");
            assertThat(t.exec("ZSCORE", "z", "b")).isEqualTo(new Reply.Double(2.5));
            assertThat(t.exec("ZSCORE", "z", "x")).isEqualTo(Reply.NULL);
            assertThat(t.exec("ZSCORE", "nokey", "x")).isEqualTo(Reply.NULL);
            assertThat(t.exec("ZCARD", "z")).isEqualTo(Reply.of(3));
            assertThat(t.exec("ZCARD", "nokey")).isEqualTo(Reply.ZERO);
            assertThat(t.exec("ZRANK", "z", "c")).isEqualTo(Reply.ZERO);
            assertThat(t.exec("ZREVRANK", "z", "c")).isEqualTo(Reply.of(2));
            assertThat(t.exec("ZRANK", "z", "x")).isEqualTo(Reply.NULL);
            assertThat(exec2("ZMSCORE", "z", "a", "x", "c"))
                    .isEqualTo(Reply.array(List.of(Reply.bulk("1"), Reply.NULL, Reply.bulk("-inf"))));
            assertThat(exec2("ZMSCORE", "nokey", "a")).isEqualTo(Reply.array(List.of(Reply.NULL)));
        }

        @Test
        void countAcceptsStrtodSyntaxAndExclusiveBounds() {
            t.exec("ZADD", "z", "1", "a", "2", "b", "3", "c");
            assertThat(t.exec("ZCOUNT", "z", "(1", "3")).isEqualTo(Reply.of(2));
            assertThat(t.exec("ZCOUNT", "z", "-inf", "+inf")).isEqualTo(Reply.of(3));
            assertThat(t.exec("ZCOUNT", "z", " 1", "0x2")).isEqualTo(Reply.of(2));
            assertThat(t.exec("ZCOUNT", "z", "(", "3")).isEqualTo(Reply.of(3));
            assertThat(t.exec("ZCOUNT", "z", "3", "1")).isEqualTo(Reply.ZERO);
            assertThat(t.exec("ZCOUNT", "z", "1 ", "2")).isEqualTo(err("ERR min or max is not a float"));
            assertThat(t.exec("ZCOUNT", "z", "nan", "2")).isEqualTo(err("ERR min or max is not a float"));
        }

        @Test
        void lexCountAndLexRangeErrors() {
            t.exec("ZADD", "z", "0", "a", "0", "b", "0", "c", "0", "d");
            assertThat(t.exec("ZLEXCOUNT", "z", "-", "+")).isEqualTo(Reply.of(4));
            assertThat(t.exec("ZLEXCOUNT", "z", "(a", "[c")).isEqualTo(Reply.of(2));
            assertThat(t.exec("ZLEXCOUNT", "z", "+", "-")).isEqualTo(Reply.ZERO);
            assertThat(t.exec("ZLEXCOUNT", "z", "a", "+")).isEqualTo(err("ERR min or max not valid string range item"));
            assertThat(t.exec("ZLEXCOUNT", "z", "", "+")).isEqualTo(err("ERR min or max not valid string range item"));
            assertThat(t.exec("ZLEXCOUNT", "z", "-x", "+")).isEqualTo(err("ERR min or max not valid string range item"));
        }
    }

    @Nested
    class Ranges {
        void fill() {
            t.exec("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e");
        }

        @Test
        void rankRangesClampAndReverse() {
            fill();
            assertThat(t.exec("ZRANGE", "z", "1", "2")).isEqualTo(bulks("b", "c"));
            assertThat(t.exec("ZRANGE", "z", "-2", "100")).isEqualTo(bulks("d", "e"));
            assertThat(t.exec("ZRANGE", "z", "0", "1", "REV")).isEqualTo(bulks("e", "d"));
            assertThat(t.exec("ZREVRANGE", "z", "-1", "-1")).isEqualTo(bulks("a"));
            assertThat(t.exec("ZRANGE", "z", "3", "1")).isEqualTo(Reply.EMPTY_ARRAY);
            assertThat(t.exec("ZRANGE", "nokey", "0", "-1")).isEqualTo(Reply.EMPTY_ARRAY);
        }

        @Test
        void scoreRangesWithLimit() {
            fill();
            assertThat(t.exec("ZRANGE", "z", "(1", "4", "BYSCORE", "LIMIT", "1", "2")).isEqualTo(bulks("c", "d"));
            assertThat(t.exec("ZRANGE", "z", "4", "(1", "BYSCORE", "REV", "LIMIT", "0", "-1"))
                    .isEqualTo(bulks("d", "c", "b"));
            assertThat(t.exec("ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "-1", "2")).isEqualTo(Reply.EMPTY_ARRAY);
            assertThat(t.exec("ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "4", "0")).isEqualTo(Reply.EMPTY_ARRAY);
            assertThat(exec2("ZREVRANGEBYSCORE", "z", "+inf", "4", "WITHSCORES")).isEqualTo(bulks("e", "5", "d", "4"));
        }

        @Test
        void lexRanges() {
            t.exec("ZADD", "z", "0", "a", "0", "b", "0", "c", "0", "d");
            assertThat(t.exec("ZRANGEBYLEX", "z", "[b", "+")).isEqualTo(bulks("b", "c", "d"));
            assertThat(t.exec("ZREVRANGEBYLEX", "z", "(d", "-", "LIMIT", "1", "5")).isEqualTo(bulks("b", "a"));
            assertThat(t.exec("ZRANGE", "z", "[c", "[a", "BYLEX", "REV")).isEqualTo(bulks("c", "b", "a"));
        }

        @Test
        void optionErrorsAreRedis70s() {
            fill();
            assertThat(t.exec("ZRANGE", "z", "0", "-1", "LIMIT", "0", "1"))
                    .isEqualTo(err("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"));
            assertThat(t.exec("ZRANGE", "z", "0", "-1", "LIMIT", "0", "-1")).isEqualTo(bulks("a", "b", "c", "d", "e"));
            assertThat(t.exec("ZRANGE", "z", "-", "+", "BYLEX", "WITHSCORES"))
                    .isEqualTo(err("ERR syntax error, WITHSCORES not supported in combination with BYLEX"));
            assertThat(t.exec("ZRANGEBYLEX", "z", "-", "+", "WITHSCORES"))
                    .isEqualTo(err("ERR syntax error, WITHSCORES not supported in combination with BYLEX"));
            assertThat(t.exec("ZRANGE", "z", "0", "1", "BYSCORE", "BYLEX")).isEqualTo(err("ERR syntax error"));
            assertThat(t.exec("ZRANGEBYSCORE", "z", "0", "1", "REV")).isEqualTo(err("ERR syntax error"));
            assertThat(t.exec("ZRANGE", "z", "x", "1")).isEqualTo(err("ERR value is not an integer or out of range"));
            assertThat(t.exec("ZRANGE", "z", "x", "1", "BYSCORE")).isEqualTo(err("ERR min or max is not a float"));
            assertThat(t.exec("ZRANGE", "z", "0", "1", "BYSCORE", "LIMIT", "0"))
                    .isEqualTo(err("ERR syntax error"));
            assertThat(t.exec("ZRANGE", "z", "0", "1", "BYSCORE", "LIMIT", "x", "1"))
                    .isEqualTo(err("ERR value is not an integer or out of range"));
            assertThat(t.exec("ZRANGESTORE", "d", "z", "0", "-1", "WITHSCORES")).isEqualTo(err("ERR syntax error"));
        }

        @Test
        void withScoresIsFlatInResp2AndPairsInResp3() {
            t.exec("ZADD", "z", "1", "a", "2.5", "b");
            assertThat(t.exec("ZRANGE", "z", "0", "-1", "WITHSCORES")).isEqualTo(Reply.array(List.of(
                    Reply.bulk("a"), new Reply.Double(1), Reply.bulk("b"), new Reply.Double(2.5))));
            t.session.setResp(3);
            assertThat(t.exec("ZRANGE", "z", "0", "-1", "WITHSCORES")).isEqualTo(Reply.array(List.of(
                    Reply.array(List.of(Reply.bulk("a"), new Reply.Double(1))),
                    Reply.array(List.of(Reply.bulk("b"), new Reply.Double(2.5))))));
            assertThat(t.exec("ZPOPMIN", "z")).isEqualTo(Reply.array(List.of(Reply.bulk("a"), new Reply.Double(1))));
            assertThat(t.exec("ZPOPMIN", "z", "1")).isEqualTo(Reply.array(List.of(
                    Reply.array(List.of(Reply.bulk("b"), new Reply.Double(2.5))))));
        }

        @Test
        void rangeStoreStoresDeletesAndPicksTheEncoding() {
            fill();
            t.exec("SET", "d", "string");
            assertThat(t.exec("ZRANGESTORE", "d", "z", "1", "3", "BYSCORE")).isEqualTo(Reply.of(3));
            assertThat(exec2("ZRANGE", "d", "0", "-1", "WITHSCORES")).isEqualTo(bulks("a", "1", "b", "2", "c", "3"));
            assertThat(encoding("d")).isEqualTo("listpack");
            assertThat(t.exec("ZRANGESTORE", "d", "z", "10", "20")).isEqualTo(Reply.ZERO);
            assertThat(t.exec("EXISTS", "d")).isEqualTo(Reply.ZERO);
            assertThat(t.exec("ZRANGESTORE", "d", "nokey", "0", "-1")).isEqualTo(Reply.ZERO);
            t.exec("ZADD", "z", "6", "x".repeat(65));
            assertThat(t.exec("ZRANGESTORE", "d", "z", "-1", "-1")).isEqualTo(Reply.ONE);
            assertThat(encoding("d")).isEqualTo("skiplist");
            assertThat(t.exec("ZRANGESTORE", "d", "z", "0", "1")).isEqualTo(Reply.of(2));
            assertThat(encoding("d")).isEqualTo("listpack");
        }

        @Test
        void removeRanges() {
            fill();
            assertThat(t.exec("ZREMRANGEBYRANK", "z", "-1", "-1")).isEqualTo(Reply.ONE);
            assertThat(t.exec("ZREMRANGEBYRANK", "z", "5", "1")).isEqualTo(Reply.ZERO);
            assertThat(t.exec("ZREMRANGEBYSCORE", "z", "(1", "2")).isEqualTo(Reply.ONE);
            assertThat(t.exec("ZREMRANGEBYSCORE", "z", "x", "2")).isEqualTo(err("ERR min or max is not a float"));
            assertThat(t.exec("ZREMRANGEBYRANK", "z", "x", "2")).isEqualTo(err("ERR value is not an integer or out of range"));
            assertThat(t.exec("ZREMRANGEBYLEX", "z", "x", "y")).isEqualTo(err("ERR min or max not valid string range item"));
            assertThat(t.exec("ZRANGE", "z", "0", "-1")).isEqualTo(bulks("a", "c", "d"));
            assertThat(t.exec("ZREMRANGEBYLEX", "z", "-", "+")).isEqualTo(Reply.of(3));
            assertThat(t.exec("EXISTS", "z")).isEqualTo(Reply.ZERO);
            assertThat(t.exec("ZREMRANGEBYSCORE", "nokey", "0", "1")).isEqualTo(Reply.ZERO);
        }
    }

    @Nested
    class Pops {
        @Test
        void popMinAndMaxWithCounts() {
            t.exec("ZADD", "z", "1", "a", "2", "b", "3", "c");
            assertThat(exec2("ZPOPMIN", "z")).isEqualTo(bulks("a", "1"));
            assertThat(exec2("ZPOPMAX", "z", "5")).isEqualTo(bulks("c", "3", "b", "2"));
            assertThat(t.exec("EXISTS", "z")).isEqualTo(Reply.ZERO);
            assertThat(t.exec("ZPOPMIN", "z")).isEqualTo(Reply.EMPTY_ARRAY);
            t.exec("ZADD", "z", "1", "a");
            assertThat(t.exec("ZPOPMIN", "z", "0")).isEqualTo(Reply.EMPTY_ARRAY);
            assertThat(t.exec("ZPOPMIN", "z", "-1")).isEqualTo(err("ERR value is out of range, must be positive"));
            assertThat(t.exec("ZPOPMIN", "z", "x")).isEqualTo(err("ERR value is out of range, must be positive"));
            assertThat(t.exec("ZPOPMIN", "z", "1", "2")).isEqualTo(err("ERR syntax error"));
        }

        @Test
        void zmpopTakesFromTheFirstNonEmptyKeyAndNestsItsReply() {
            t.exec("ZADD", "b", "1", "x", "2", "y");
            assertThat(exec2("ZMPOP", "2", "a", "b", "MAX", "COUNT", "5")).isEqualTo(Reply.array(List.of(
                    Reply.bulk("b"), Reply.array(List.of(bulks("y", "2"), bulks("x", "1"))))));
            assertThat(t.exec("ZMPOP", "2", "a", "b", "MIN")).isEqualTo(Reply.NULL_ARRAY);
            assertThat(t.exec("ZMPOP", "0", "a", "MIN")).isEqualTo(err("ERR numkeys should be greater than 0"));
            assertThat(t.exec("ZMPOP", "x", "a", "MIN")).isEqualTo(err("ERR numkeys should be greater than 0"));
            assertThat(t.exec("ZMPOP", "2", "a", "MIN")).isEqualTo(err("ERR syntax error"));
            assertThat(t.exec("ZMPOP", "1", "a", "FOO")).isEqualTo(err("ERR syntax error"));
            assertThat(t.exec("ZMPOP", "1", "a", "MIN", "COUNT", "0")).isEqualTo(err("ERR count should be greater than 0"));
            assertThat(t.exec("ZMPOP", "1", "a", "MIN", "COUNT", "1", "COUNT", "1")).isEqualTo(err("ERR syntax error"));
        }
    }

    @Nested
    class RandomAndScan {
        @Test
        void randMemberCountsAndErrors() {
            t.exec("ZADD", "z", "1", "a", "2", "b", "3", "c");
            assertThat(t.exec("ZRANDMEMBER", "z")).isIn(Reply.bulk("a"), Reply.bulk("b"), Reply.bulk("c"));
            assertThat(((Reply.Array) t.exec("ZRANDMEMBER", "z", "2")).items()).hasSize(2).doesNotHaveDuplicates();
            assertThat(((Reply.Array) t.exec("ZRANDMEMBER", "z", "10")).items()).hasSize(3);
            assertThat(((Reply.Array) t.exec("ZRANDMEMBER", "z", "-10", "WITHSCORES")).items()).hasSize(20);
            assertThat(t.exec("ZRANDMEMBER", "z", "0")).isEqualTo(Reply.EMPTY_ARRAY);
            assertThat(t.exec("ZRANDMEMBER", "nokey")).isEqualTo(Reply.NULL);
            assertThat(t.exec("ZRANDMEMBER", "nokey", "3")).isEqualTo(Reply.EMPTY_ARRAY);
            assertThat(t.exec("ZRANDMEMBER", "z", "1", "foo")).isEqualTo(err("ERR syntax error"));
            assertThat(t.exec("ZRANDMEMBER", "z", "x")).isEqualTo(err("ERR value is not an integer or out of range"));
            assertThat(t.exec("ZRANDMEMBER", "z", "-9223372036854775808")).isEqualTo(err(
                    "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"));
            assertThat(t.exec("ZRANDMEMBER", "z", "-9223372036854775807", "WITHSCORES"))
                    .isEqualTo(err("ERR value is out of range"));
        }

        @Test
        void randMemberDistinctPicksOnASkiplist() {
            for (int i = 0; i < 300; i++) {
                t.exec("ZADD", "z", Integer.toString(i), "m" + i);
            }
            assertThat(encoding("z")).isEqualTo("skiplist");
            assertThat(((Reply.Array) t.exec("ZRANDMEMBER", "z", "20")).items()).hasSize(20).doesNotHaveDuplicates();
            assertThat(((Reply.Array) t.exec("ZRANDMEMBER", "z", "200")).items()).hasSize(200).doesNotHaveDuplicates();
        }

        @Test
        void scanOfAListpackReturnsEverythingAtOnce() {
            t.exec("ZADD", "z", "1", "a", "2.5", "b", "3", "ab");
            assertThat(exec2("ZSCAN", "z", "0")).isEqualTo(Reply.array(List.of(Reply.bulk("0"),
                    bulks("a", "1", "b", "2.5", "ab", "3"))));
            assertThat(exec2("ZSCAN", "z", "0", "MATCH", "a*")).isEqualTo(Reply.array(List.of(Reply.bulk("0"),
                    bulks("a", "1", "ab", "3"))));
            assertThat(exec2("ZSCAN", "nokey", "0", "bogus")).isEqualTo(Reply.array(List.of(Reply.bulk("0"),
                    Reply.EMPTY_ARRAY)));
            assertThat(t.exec("ZSCAN", "z", "x")).isEqualTo(err("ERR invalid cursor"));
            assertThat(t.exec("ZSCAN", "z", "18446744073709551616")).isEqualTo(err("ERR invalid cursor"));
            assertThat(t.exec("ZSCAN", "z", "0", "COUNT", "0")).isEqualTo(err("ERR syntax error"));
            assertThat(t.exec("ZSCAN", "z", "0", "MATCH")).isEqualTo(err("ERR syntax error"));
            assertThat(((Reply.Array) t.exec("ZSCAN", "z", "-1")).items().get(0)).isEqualTo(Reply.bulk("0"));
        }

        @Test
        void scanOfASkiplistVisitsEveryMemberOnceAcrossCalls() {
            for (int i = 0; i < 500; i++) {
                t.exec("ZADD", "z", Integer.toString(i), "m" + i);
            }
            java.util.Set<String> seen = new java.util.HashSet<>();
            String cursor = "0";
            int calls = 0;
            do {
                Reply.Array r = (Reply.Array) exec2("ZSCAN", "z", cursor, "COUNT", "20");
                cursor = ((Reply.Bulk) r.items().get(0)).text();
                List<Reply> items = ((Reply.Array) r.items().get(1)).items();
                for (int i = 0; i < items.size(); i += 2) {
                    String m = ((Reply.Bulk) items.get(i)).text();
                    if (m.startsWith("m")) {
                        assertThat(((Reply.Bulk) items.get(i + 1)).text()).isEqualTo(m.substring(1));
                        seen.add(m);
                    }
                }
                calls++;
                // the member table grows, then shrinks, during the scan
                for (int i = 0; i < 600; i++) {
                    if (calls == 3) {
                        t.exec("ZADD", "z", "1000", "x" + i);
                    } else if (calls == 6) {
                        t.exec("ZREM", "z", "x" + i);
                    }
                }
            } while (!cursor.equals("0"));
            assertThat(seen).hasSize(500);
            assertThat(calls).isGreaterThan(5);
        }
    }

    @Nested
    class Encodings {
        @Test
        void convertsAtTheThresholdsAndNeverBack() {
            for (int i = 0; i < 128; i++) {
                t.exec("ZADD", "z", Integer.toString(i), "m" + i);
            }
            assertThat(encoding("z")).isEqualTo("listpack");
            t.exec("ZADD", "z", "1000", "m1000");
            assertThat(encoding("z")).isEqualTo("skiplist");
            t.exec("ZREMRANGEBYRANK", "z", "0", "-3");
            assertThat(encoding("z")).isEqualTo("skiplist");
            t.exec("ZADD", "y", "1", "x".repeat(64));
            assertThat(encoding("y")).isEqualTo("listpack");
            t.exec("ZADD", "y", "1", "x".repeat(65));
            assertThat(encoding("y")).isEqualTo("skiplist");
        }

        @Test
        void thresholdsComeFromTheSettings() {
            t.exec("CONFIG", "SET", "zset-max-listpack-entries", "2");
            t.exec("ZADD", "z", "1", "a", "2", "b");
            assertThat(encoding("z")).isEqualTo("listpack");
            t.exec("ZADD", "z", "3", "c");
            assertThat(encoding("z")).isEqualTo("skiplist");
            t.exec("CONFIG", "SET", "zset-max-listpack-entries", "0");
            t.exec("ZADD", "y", "1", "a");
            assertThat(encoding("y")).isEqualTo("skiplist");
        }

        @Test
        void negativeZeroLosesItsSignInAListpackOnly() {
            t.exec("ZADD", "lp", "-0", "a");
            assertThat(exec2("ZSCORE", "lp", "a")).isEqualTo(Reply.bulk("0"));
            t.exec("ZADD", "sk", "1", "x".repeat(65));
            t.exec("ZADD", "sk", "-0", "a");
            assertThat(exec2("ZSCORE", "sk", "a")).isEqualTo(Reply.bulk("-0"));
        }
    }
}
