package dev.cellar.core.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Reply;
import dev.cellar.core.values.ListValue;
import dev.cellar.core.testing.TestEngine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The non-blocking list commands: replies and error paths as Redis 7.0 gives them. */
class ListCommandsTest {
    static final Reply WRONGTYPE = Reply.error("WRONGTYPE Operation against a key holding the wrong kind of value");
    static final Reply NOT_INT = Reply.error("ERR value is not an integer or out of range");
    static final Reply SYNTAX = Reply.error("ERR syntax error");

    final TestEngine t = TestEngine.create();

    @AfterEach
    void close() {
        t.close();
    }

    static Reply arr(String... items) {
        List<Reply> out = new ArrayList<>();
        for (String s : items) {
            out.add(s == null ? Reply.NULL : Reply.bulk(s));
        }
        return Reply.array(out);
    }

    static Reply ints(long... items) {
        List<Reply> out = new ArrayList<>();
        for (long v : items) {
            out.add(Reply.of(v));
        }
        return Reply.array(out);
    }

    Reply all(String key) {
        return t.exec("LRANGE", key, "0", "-1");
    }

    @Nested
    class Push {
        @Test
        void lpushAndRpushAddInArgumentOrderAndReplyTheLength() {
            assertThat(t.exec("LPUSH", "l", "a", "b")).isEqualTo(Reply.of(2));
            assertThat(t.exec("RPUSH", "l", "c", "d")).isEqualTo(Reply.of(4));
            assertThat(all("l")).isEqualTo(arr("b", "a", "c", "d"));
        }

        @Test
        void pushxOnlyPushesToAnExistingList() {
            assertThat(t.exec("LPUSHX", "l", "a")).isEqualTo(Reply.ZERO);
            assertThat(t.exec("RPUSHX", "l", "a")).isEqualTo(Reply.ZERO);
            assertThat(t.exec("EXISTS", "l")).isEqualTo(Reply.ZERO);
            t.exec("RPUSH", "l", "x");
            assertThat(t.exec("LPUSHX", "l", "a", "b")).isEqualTo(Reply.of(3));
            assertThat(t.exec("RPUSHX", "l", "z")).isEqualTo(Reply.of(4));
            assertThat(all("l")).isEqualTo(arr("b", "a", "x", "z"));
        }

        @Test
        void pushesAgainstAStringAreWrongType() {
            t.exec("SET", "s", "v");
            assertThat(t.exec("LPUSH", "s", "a")).isEqualTo(WRONGTYPE);
            assertThat(t.exec("RPUSH", "s", "a")).isEqualTo(WRONGTYPE);
            assertThat(t.exec("LPUSHX", "s", "a")).isEqualTo(WRONGTYPE);
            assertThat(t.exec("RPUSHX", "s", "a")).isEqualTo(WRONGTYPE);
        }

        @Test
        void arityIsChecked() {
            assertThat(t.exec("LPUSH", "l")).isEqualTo(Reply.error("ERR wrong number of arguments for 'lpush' command"));
        }

        @Test
        void everyListIsAQuicklist() {
            t.exec("RPUSH", "l", "1");
            t.cellar.withLock(() -> {
                ListValue v = (ListValue) t.cellar.engine().db(0).lookupReadNoTouch("l".getBytes());
                assertThat(v.encoding()).isEqualTo("quicklist");
                return null;
            });
        }

        @Test
        void theNodeBoundComesFromListMaxListpackSize() {
            try (TestEngine e = TestEngine.create("list-max-listpack-size", "3")) {
                for (int i = 0; i < 10; i++) {
                    e.exec("RPUSH", "l", "v" + i);
                }
                e.cellar.withLock(() -> {
                    ListValue v = (ListValue) e.cellar.engine().db(0).lookupReadNoTouch("l".getBytes());
                    assertThat(v.nodeCount()).isEqualTo(4);
                    return null;
                });
            }
        }
    }

    @Nested
    class Pop {
        @Test
        void popsOneFromEitherEnd() {
            t.exec("RPUSH", "l", "a", "b", "c");
            assertThat(t.exec("LPOP", "l")).isEqualTo(Reply.bulk("a"));
            assertThat(t.exec("RPOP", "l")).isEqualTo(Reply.bulk("c"));
            assertThat(t.exec("RPOP", "l")).isEqualTo(Reply.bulk("b"));
            assertThat(t.exec("EXISTS", "l")).isEqualTo(Reply.ZERO);
            assertThat(t.exec("LPOP", "l")).isEqualTo(Reply.NULL);
        }

        @Test
        void popsWithCountReplyArraysInPopOrder() {
            t.exec("RPUSH", "l", "a", "b", "c", "d", "e");
            assertThat(t.exec("LPOP", "l", "2")).isEqualTo(arr("a", "b"));
            assertThat(t.exec("RPOP", "l", "2")).isEqualTo(arr("e", "d"));
            assertThat(t.exec("RPOP", "l", "10")).isEqualTo(arr("c"));
            assertThat(t.exec("EXISTS", "l")).isEqualTo(Reply.ZERO);
        }

        @Test
        void countZeroAndMissingKeys() {
            t.exec("RPUSH", "l", "a");
            assertThat(t.exec("LPOP", "l", "0")).isEqualTo(Reply.EMPTY_ARRAY);
            assertThat(t.exec("LPOP", "nokey", "0")).isEqualTo(Reply.NULL_ARRAY);
            assertThat(t.exec("RPOP", "nokey", "3")).isEqualTo(Reply.NULL_ARRAY);
            assertThat(t.exec("RPOP", "nokey")).isEqualTo(Reply.NULL);
        }

        @Test
        void badCountsAreOutOfRangeBeforeTheTypeIsChecked() {
            Reply positive = Reply.error("ERR value is out of range, must be positive");
            t.exec("SET", "s", "v");
            assertThat(t.exec("LPOP", "l", "-1")).isEqualTo(positive);
            assertThat(t.exec("LPOP", "l", "abc")).isEqualTo(positive);
            assertThat(t.exec("RPOP", "s", "-1")).isEqualTo(positive);
            assertThat(t.exec("RPOP", "s", "0")).isEqualTo(WRONGTYPE);
            assertThat(t.exec("LPOP", "s")).isEqualTo(WRONGTYPE);
        }

        @Test
        void moreThanOneCountIsAnArityError() {
            assertThat(t.exec("LPOP", "l", "1", "2"))
                    .isEqualTo(Reply.error("ERR wrong number of arguments for 'lpop' command"));
            assertThat(t.exec("RPOP", "l", "1", "2"))
                    .isEqualTo(Reply.error("ERR wrong number of arguments for 'rpop' command"));
        }

        @Test
        void lmpopPopsFromTheFirstNonEmptyList() {
            t.exec("RPUSH", "b", "1", "2", "3");
            assertThat(t.exec("LMPOP", "2", "a", "b", "LEFT")).isEqualTo(
                    Reply.array(List.of(Reply.bulk("b"), arr("1"))));
            assertThat(t.exec("LMPOP", "2", "a", "b", "right", "count", "5")).isEqualTo(
                    Reply.array(List.of(Reply.bulk("b"), arr("3", "2"))));
            assertThat(t.exec("LMPOP", "2", "a", "b", "LEFT")).isEqualTo(Reply.NULL_ARRAY);
        }

        @Test
        void lmpopErrors() {
            t.exec("RPUSH", "l", "a");
            t.exec("SET", "s", "v");
            Reply numkeys = Reply.error("ERR numkeys should be greater than 0");
            Reply count = Reply.error("ERR count should be greater than 0");
            assertThat(t.exec("LMPOP", "0", "l", "LEFT")).isEqualTo(numkeys);
            assertThat(t.exec("LMPOP", "abc", "l", "LEFT")).isEqualTo(numkeys);
            assertThat(t.exec("LMPOP", "-1", "l", "LEFT")).isEqualTo(numkeys);
            assertThat(t.exec("LMPOP", "2", "l", "LEFT")).isEqualTo(SYNTAX);
            assertThat(t.exec("LMPOP", "9223372036854775807", "l", "LEFT")).isEqualTo(SYNTAX);
            assertThat(t.exec("LMPOP", "1", "l", "MIDDLE")).isEqualTo(SYNTAX);
            assertThat(t.exec("LMPOP", "1", "l", "LEFT", "COUNT", "0")).isEqualTo(count);
            assertThat(t.exec("LMPOP", "1", "l", "LEFT", "COUNT", "x")).isEqualTo(count);
            assertThat(t.exec("LMPOP", "1", "l", "LEFT", "COUNT", "1", "COUNT", "1")).isEqualTo(SYNTAX);
            assertThat(t.exec("LMPOP", "1", "l", "LEFT", "COUNT")).isEqualTo(SYNTAX);
            assertThat(t.exec("LMPOP", "2", "s", "l", "LEFT")).isEqualTo(WRONGTYPE);
            assertThat(t.exec("LMPOP", "2", "l", "s", "LEFT")).isEqualTo(
                    Reply.array(List.of(Reply.bulk("l"), arr("a"))));
        }
    }

    @Nested
    class Read {
        @Test
        void llen() {
            assertThat(t.exec("LLEN", "l")).isEqualTo(Reply.ZERO);
            t.exec("RPUSH", "l", "a", "b");
            assertThat(t.exec("LLEN", "l")).isEqualTo(Reply.of(2));
            t.exec("SET", "s", "v");
            assertThat(t.exec("LLEN", "s")).isEqualTo(WRONGTYPE);
        }

        @Test
        void lrangeClampsIndexes() {
            t.exec("RPUSH", "l", "a", "b", "c", "d");
            assertThat(t.exec("LRANGE", "l", "1", "2")).isEqualTo(arr("b", "c"));
            assertThat(t.exec("LRANGE", "l", "-3", "-2")).isEqualTo(arr("b", "c"));
            assertThat(t.exec("LRANGE", "l", "-100", "100")).isEqualTo(arr("a", "b", "c", "d"));
            assertThat(t.exec("LRANGE", "l", "3", "1")).isEqualTo(Reply.EMPTY_ARRAY);
            assertThat(t.exec("LRANGE", "l", "4", "10")).isEqualTo(Reply.EMPTY_ARRAY);
            assertThat(t.exec("LRANGE", "l", "-100", "-50")).isEqualTo(Reply.EMPTY_ARRAY);
            assertThat(t.exec("LRANGE", "nokey", "0", "-1")).isEqualTo(Reply.EMPTY_ARRAY);
        }

        @Test
        void lrangeParsesIndexesBeforeLookingAtTheKey() {
            t.exec("SET", "s", "v");
            assertThat(t.exec("LRANGE", "s", "a", "1")).isEqualTo(NOT_INT);
            assertThat(t.exec("LRANGE", "nokey", "0", "b")).isEqualTo(NOT_INT);
            assertThat(t.exec("LRANGE", "s", "0", "1")).isEqualTo(WRONGTYPE);
        }

        @Test
        void lindex() {
            t.exec("RPUSH", "l", "a", "b", "c");
            assertThat(t.exec("LINDEX", "l", "0")).isEqualTo(Reply.bulk("a"));
            assertThat(t.exec("LINDEX", "l", "-1")).isEqualTo(Reply.bulk("c"));
            assertThat(t.exec("LINDEX", "l", "3")).isEqualTo(Reply.NULL);
            assertThat(t.exec("LINDEX", "l", "-4")).isEqualTo(Reply.NULL);
            assertThat(t.exec("LINDEX", "l", "x")).isEqualTo(NOT_INT);
            assertThat(t.exec("LINDEX", "nokey", "x")).isEqualTo(Reply.NULL);
            t.exec("SET", "s", "v");
            assertThat(t.exec("LINDEX", "s", "x")).isEqualTo(WRONGTYPE);
        }

        @Test
        void lposFindsFirstAndRankedMatches() {
            t.exec("RPUSH", "l", "a", "b", "c", "1", "2", "3", "c", "c");
            assertThat(t.exec("LPOS", "l", "c")).isEqualTo(Reply.of(2));
            assertThat(t.exec("LPOS", "l", "c", "RANK", "2")).isEqualTo(Reply.of(6));
            assertThat(t.exec("LPOS", "l", "c", "RANK", "-1")).isEqualTo(Reply.of(7));
            assertThat(t.exec("LPOS", "l", "c", "RANK", "-3")).isEqualTo(Reply.of(2));
            assertThat(t.exec("LPOS", "l", "c", "RANK", "4")).isEqualTo(Reply.NULL);
            assertThat(t.exec("LPOS", "l", "x")).isEqualTo(Reply.NULL);
            assertThat(t.exec("LPOS", "l", "2")).isEqualTo(Reply.of(4));
        }

        @Test
        void lposWithCountAndMaxlen() {
            t.exec("RPUSH", "l", "a", "b", "c", "1", "2", "3", "c", "c");
            assertThat(t.exec("LPOS", "l", "c", "COUNT", "2")).isEqualTo(ints(2, 6));
            assertThat(t.exec("LPOS", "l", "c", "COUNT", "0")).isEqualTo(ints(2, 6, 7));
            assertThat(t.exec("LPOS", "l", "c", "COUNT", "0", "RANK", "-1")).isEqualTo(ints(7, 6, 2));
            assertThat(t.exec("LPOS", "l", "c", "COUNT", "1", "RANK", "2")).isEqualTo(ints(6));
            assertThat(t.exec("LPOS", "l", "c", "COUNT", "0", "MAXLEN", "7")).isEqualTo(ints(2, 6));
            assertThat(t.exec("LPOS", "l", "c", "RANK", "-1", "MAXLEN", "1")).isEqualTo(Reply.of(7));
            assertThat(t.exec("LPOS", "l", "c", "RANK", "-1", "MAXLEN", "3", "COUNT", "0")).isEqualTo(ints(7, 6));
            assertThat(t.exec("LPOS", "l", "x", "COUNT", "0")).isEqualTo(Reply.EMPTY_ARRAY);
            assertThat(t.exec("LPOS", "nokey", "x", "COUNT", "0")).isEqualTo(Reply.EMPTY_ARRAY);
            assertThat(t.exec("LPOS", "nokey", "x")).isEqualTo(Reply.NULL);
        }

        @Test
        void lposRankOfLongMinTakesTheFirstMatchFromTheTail() {
            t.exec("RPUSH", "l", "a", "b", "a");
            assertThat(t.exec("LPOS", "l", "a", "RANK", "-9223372036854775808")).isEqualTo(Reply.of(2));
        }

        @Test
        void lposErrorsComeBeforeTheTypeCheck() {
            t.exec("SET", "s", "v");
            assertThat(t.exec("LPOS", "s", "a", "RANK", "0")).isEqualTo(Reply.error(
                    "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... "
                            + "or use negative to start from the end of the list"));
            assertThat(t.exec("LPOS", "s", "a", "RANK", "x")).isEqualTo(NOT_INT);
            assertThat(t.exec("LPOS", "s", "a", "COUNT", "-1")).isEqualTo(Reply.error("ERR COUNT can't be negative"));
            assertThat(t.exec("LPOS", "s", "a", "COUNT", "x")).isEqualTo(Reply.error("ERR COUNT can't be negative"));
            assertThat(t.exec("LPOS", "s", "a", "MAXLEN", "-1")).isEqualTo(Reply.error("ERR MAXLEN can't be negative"));
            assertThat(t.exec("LPOS", "s", "a", "RANK")).isEqualTo(SYNTAX);
            assertThat(t.exec("LPOS", "s", "a", "FOO", "1")).isEqualTo(SYNTAX);
            assertThat(t.exec("LPOS", "s", "a")).isEqualTo(WRONGTYPE);
        }
    }

    @Nested
    class Change {
        @Test
        void lset() {
            t.exec("RPUSH", "l", "a", "b", "c");
            assertThat(t.exec("LSET", "l", "1", "B")).isEqualTo(Reply.OK);
            assertThat(t.exec("LSET", "l", "-1", "a much longer element than before")).isEqualTo(Reply.OK);
            assertThat(all("l")).isEqualTo(arr("a", "B", "a much longer element than before"));
            assertThat(t.exec("LSET", "l", "3", "x")).isEqualTo(Reply.error("ERR index out of range"));
            assertThat(t.exec("LSET", "l", "-4", "x")).isEqualTo(Reply.error("ERR index out of range"));
            assertThat(t.exec("LSET", "l", "x", "x")).isEqualTo(NOT_INT);
        }

        @Test
        void lsetOnMissingOrWrongKey() {
            t.exec("SET", "s", "v");
            assertThat(t.exec("LSET", "nokey", "x", "v")).isEqualTo(Reply.error("ERR no such key"));
            assertThat(t.exec("LSET", "s", "x", "v")).isEqualTo(WRONGTYPE);
        }

        @Test
        void linsert() {
            t.exec("RPUSH", "l", "a", "c");
            assertThat(t.exec("LINSERT", "l", "BEFORE", "c", "b")).isEqualTo(Reply.of(3));
            assertThat(t.exec("LINSERT", "l", "after", "c", "d")).isEqualTo(Reply.of(4));
            assertThat(t.exec("LINSERT", "l", "BEFORE", "zz", "x")).isEqualTo(Reply.of(-1));
            assertThat(all("l")).isEqualTo(arr("a", "b", "c", "d"));
            assertThat(t.exec("LINSERT", "nokey", "BEFORE", "a", "b")).isEqualTo(Reply.ZERO);
            assertThat(t.exec("EXISTS", "nokey")).isEqualTo(Reply.ZERO);
        }

        @Test
        void linsertErrors() {
            t.exec("SET", "s", "v");
            assertThat(t.exec("LINSERT", "s", "MIDDLE", "a", "b")).isEqualTo(SYNTAX);
            assertThat(t.exec("LINSERT", "nokey", "MIDDLE", "a", "b")).isEqualTo(SYNTAX);
            assertThat(t.exec("LINSERT", "s", "BEFORE", "a", "b")).isEqualTo(WRONGTYPE);
        }

        @Test
        void lremFromEitherEnd() {
            t.exec("RPUSH", "l", "x", "a", "x", "b", "x", "c", "x");
            assertThat(t.exec("LREM", "l", "2", "x")).isEqualTo(Reply.of(2));
            assertThat(all("l")).isEqualTo(arr("a", "b", "x", "c", "x"));
            assertThat(t.exec("LREM", "l", "-1", "x")).isEqualTo(Reply.of(1));
            assertThat(all("l")).isEqualTo(arr("a", "b", "x", "c"));
            assertThat(t.exec("LREM", "l", "0", "x")).isEqualTo(Reply.of(1));
            assertThat(t.exec("LREM", "l", "0", "nothing")).isEqualTo(Reply.ZERO);
            assertThat(t.exec("LREM", "l", "0", "a")).isEqualTo(Reply.ONE);
            assertThat(t.exec("LREM", "l", "0", "b")).isEqualTo(Reply.ONE);
            assertThat(t.exec("LREM", "l", "0", "c")).isEqualTo(Reply.ONE);
            assertThat(t.exec("EXISTS", "l")).isEqualTo(Reply.ZERO);
        }

        @Test
        void lremErrors() {
            t.exec("SET", "s", "v");
            assertThat(t.exec("LREM", "s", "x", "a")).isEqualTo(NOT_INT);
            assertThat(t.exec("LREM", "nokey", "x", "a")).isEqualTo(NOT_INT);
            assertThat(t.exec("LREM", "s", "0", "a")).isEqualTo(WRONGTYPE);
            assertThat(t.exec("LREM", "nokey", "0", "a")).isEqualTo(Reply.ZERO);
        }

        @Test
        void ltrim() {
            t.exec("RPUSH", "l", "a", "b", "c", "d", "e");
            assertThat(t.exec("LTRIM", "l", "1", "-2")).isEqualTo(Reply.OK);
            assertThat(all("l")).isEqualTo(arr("b", "c", "d"));
            assertThat(t.exec("LTRIM", "l", "-100", "100")).isEqualTo(Reply.OK);
            assertThat(all("l")).isEqualTo(arr("b", "c", "d"));
            assertThat(t.exec("LTRIM", "l", "2", "1")).isEqualTo(Reply.OK);
            assertThat(t.exec("EXISTS", "l")).isEqualTo(Reply.ZERO);
            assertThat(t.exec("LTRIM", "nokey", "0", "1")).isEqualTo(Reply.OK);
        }

        @Test
        void ltrimErrors() {
            t.exec("SET", "s", "v");
            assertThat(t.exec("LTRIM", "nokey", "a", "1")).isEqualTo(NOT_INT);
            assertThat(t.exec("LTRIM", "s", "0", "1")).isEqualTo(WRONGTYPE);
        }
    }

    @Nested
    class Move {
        @Test
        void lmoveBetweenListsAndSides() {
            t.exec("RPUSH", "a", "1", "2", "3");
            assertThat(t.exec("LMOVE", "a", "b", "LEFT", "RIGHT")).isEqualTo(Reply.bulk("1"));
            assertThat(t.exec("LMOVE", "a", "b", "RIGHT", "LEFT")).isEqualTo(Reply.bulk("3"));
            assertThat(all("b")).isEqualTo(arr("3", "1"));
            assertThat(t.exec("LMOVE", "a", "b", "left", "left")).isEqualTo(Reply.bulk("2"));
            assertThat(t.exec("EXISTS", "a")).isEqualTo(Reply.ZERO);
            assertThat(all("b")).isEqualTo(arr("2", "3", "1"));
            assertThat(t.exec("LMOVE", "a", "b", "LEFT", "LEFT")).isEqualTo(Reply.NULL);
        }

        @Test
        void lmoveRotatesOneList() {
            t.exec("RPUSH", "a", "1", "2", "3");
            assertThat(t.exec("LMOVE", "a", "a", "LEFT", "RIGHT")).isEqualTo(Reply.bulk("1"));
            assertThat(all("a")).isEqualTo(arr("2", "3", "1"));
            t.exec("RPUSH", "one", "x");
            assertThat(t.exec("RPOPLPUSH", "one", "one")).isEqualTo(Reply.bulk("x"));
            assertThat(all("one")).isEqualTo(arr("x"));
        }

        @Test
        void rpoplpush() {
            t.exec("RPUSH", "a", "1", "2");
            assertThat(t.exec("RPOPLPUSH", "a", "b")).isEqualTo(Reply.bulk("2"));
            assertThat(t.exec("RPOPLPUSH", "a", "b")).isEqualTo(Reply.bulk("1"));
            assertThat(all("b")).isEqualTo(arr("1", "2"));
            assertThat(t.exec("RPOPLPUSH", "a", "b")).isEqualTo(Reply.NULL);
        }

        @Test
        void lmoveErrors() {
            t.exec("RPUSH", "l", "a");
            t.exec("SET", "s", "v");
            assertThat(t.exec("LMOVE", "l", "s", "LEFT", "UP")).isEqualTo(SYNTAX);
            assertThat(t.exec("LMOVE", "l", "s", "UP", "LEFT")).isEqualTo(SYNTAX);
            assertThat(t.exec("LMOVE", "nokey", "s", "LEFT", "RIGHT")).isEqualTo(Reply.NULL);
            assertThat(t.exec("LMOVE", "l", "s", "LEFT", "RIGHT")).isEqualTo(WRONGTYPE);
            assertThat(t.exec("LMOVE", "s", "l", "LEFT", "RIGHT")).isEqualTo(WRONGTYPE);
            assertThat(t.exec("RPOPLPUSH", "l", "s")).isEqualTo(WRONGTYPE);
            assertThat(all("l")).isEqualTo(arr("a"));
        }
    }

    @Test
    void integersAndBinaryElementsRoundTrip() {
        byte[] bin = {0, (byte) 0xFF, 13, 10, (byte) 0x80};
        t.exec("RPUSH".getBytes(), "l".getBytes(), "-0".getBytes(), "12".getBytes(), "012".getBytes(), bin,
                "-9223372036854775808".getBytes());
        assertThat(t.exec("LRANGE", "l", "0", "-1")).isEqualTo(Reply.array(List.of(Reply.bulk("-0"),
                Reply.bulk("12"), Reply.bulk("012"), Reply.bulk(bin), Reply.bulk("-9223372036854775808"))));
        assertThat(t.exec("LPOS", "l", "12")).isEqualTo(Reply.of(1));
        assertThat(t.exec("LPOS", "l", "012")).isEqualTo(Reply.of(2));
    }

    @Test
    void aLongListWalksNodesCorrectly() {
        for (int i = 0; i < 3000; i++) {
            t.exec("RPUSH", "l", "element-" + i);
        }
        assertThat(t.exec("LINDEX", "l", "1500")).isEqualTo(Reply.bulk("element-1500"));
        assertThat(t.exec("LSET", "l", "2000", "changed")).isEqualTo(Reply.OK);
        assertThat(t.exec("LINSERT", "l", "AFTER", "element-2500", "new")).isEqualTo(Reply.of(3001));
        assertThat(t.exec("LRANGE", "l", "1999", "2001")).isEqualTo(arr("element-1999", "changed", "element-2001"));
        assertThat(t.exec("LPOS", "l", "new")).isEqualTo(Reply.of(2501));
        assertThat(t.exec("LTRIM", "l", "1000", "-1000")).isEqualTo(Reply.OK);
        assertThat(t.exec("LLEN", "l")).isEqualTo(Reply.of(1002));
        assertThat(t.exec("LINDEX", "l", "0")).isEqualTo(Reply.bulk("element-1000"));
    }
}
