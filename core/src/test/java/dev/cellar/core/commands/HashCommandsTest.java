package dev.cellar.core.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Reply;
import dev.cellar.core.testing.TestEngine;
import dev.cellar.core.values.HashValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The hash commands, one nested class per command, error paths included. */
class HashCommandsTest {
    static final Reply WRONGTYPE = Reply.error("WRONGTYPE Operation against a key holding the wrong kind of value");
    static final Reply NOT_INTEGER = Reply.error("ERR value is not an integer or out of range");
    static final Reply SYNTAX = Reply.error("ERR syntax error");

    final TestEngine t = TestEngine.create();

    @AfterEach
    void close() {
        t.close();
    }

    static Reply bulks(String... items) {
        List<Reply> out = new ArrayList<>();
        for (String s : items) {
            out.add(s == null ? Reply.NULL : Reply.bulk(s));
        }
        return Reply.array(out);
    }

    static Reply map(String... items) {
        List<Reply> out = new ArrayList<>();
        for (String s : items) {
            out.add(Reply.bulk(s));
        }
        return new Reply.MapReply(out);
    }

    static Reply scan(String cursor, String... items) {
        return Reply.array(List.of(Reply.bulk(cursor), bulks(items)));
    }

    HashValue value(String key) {
        return t.cellar.withLock(() -> (HashValue) t.cellar.engine().db(0).dict()
                .get(key.getBytes(StandardCharsets.UTF_8)));
    }

    static String repeat(char c, int n) {
        return String.valueOf(c).repeat(n);
    }

    @Nested
    @DisplayName("HSET and HMSET")
    class Hset {
        @Test
        void hsetCountsOnlyNewFields() {
            assertThat(t.exec("HSET", "h", "a", "1", "b", "2")).isEqualTo(Reply.of(2));
            assertThat(t.exec("HSET", "h", "a", "x", "c", "3")).isEqualTo(Reply.ONE);
            assertThat(t.exec("HGETALL", "h")).isEqualTo(map("a", "x", "b", "2", "c", "3"));
        }

        @Test
        void sameFieldTwiceInOneCommandKeepsTheLastValue() {
            assertThat(t.exec("HSET", "h", "a", "1", "a", "2")).isEqualTo(Reply.ONE);
            assertThat(t.exec("HGET", "h", "a")).isEqualTo(Reply.bulk("2"));
        }

        @Test
        void hmsetRepliesOk() {
            assertThat(t.exec("HMSET", "h", "a", "1", "b", "2")).isEqualTo(Reply.OK);
            assertThat(t.exec("HLEN", "h")).isEqualTo(Reply.of(2));
        }

        @Test
        void oddFieldValueCountIsAnArityError() {
            assertThat(t.exec("HSET", "h", "a", "1", "b")).isEqualTo(
                    Reply.error("ERR wrong number of arguments for 'hset' command"));
            assertThat(t.exec("HMSET", "h", "a", "1", "b")).isEqualTo(
                    Reply.error("ERR wrong number of arguments for 'hmset' command"));
            assertThat(t.exec("HSET", "h", "a")).isEqualTo(
                    Reply.error("ERR wrong number of arguments for 'hset' command"));
            assertThat(t.exec("EXISTS", "h")).isEqualTo(Reply.ZERO);
        }

        @Test
        void againstAStringIsWrongType() {
            t.exec("SET", "s", "v");
            assertThat(t.exec("HSET", "s", "a", "1")).isEqualTo(WRONGTYPE);
            assertThat(t.exec("HMSET", "s", "a", "1")).isEqualTo(WRONGTYPE);
            assertThat(t.exec("GET", "s")).isEqualTo(Reply.bulk("v"));
        }

        @Test
        void binaryFieldsAndValuesRoundTrip() {
            byte[] field = {0, (byte) 0xff, 10, 13};
            byte[] val = new byte[300];
            for (int i = 0; i < val.length; i++) {
                val[i] = (byte) i;
            }
            t.exec("HSET".getBytes(), "h".getBytes(), field, val);
            assertThat(t.exec("HGET".getBytes(), "h".getBytes(), field)).isEqualTo(new Reply.Bulk(val));
            assertThat(t.exec("HSTRLEN".getBytes(), "h".getBytes(), field)).isEqualTo(Reply.of(300));
        }

        @Test
        void emptyFieldAndValueAreAllowed() {
            assertThat(t.exec("HSET", "h", "", "")).isEqualTo(Reply.ONE);
            assertThat(t.exec("HGET", "h", "")).isEqualTo(Reply.bulk(""));
            assertThat(t.exec("HEXISTS", "h", "")).isEqualTo(Reply.ONE);
        }
    }

    @Nested
    @DisplayName("HSETNX")
    class Hsetnx {
        @Test
        void setsOnlyAbsentFields() {
            assertThat(t.exec("HSETNX", "h", "a", "1")).isEqualTo(Reply.ONE);
            assertThat(t.exec("HSETNX", "h", "a", "2")).isEqualTo(Reply.ZERO);
            assertThat(t.exec("HGET", "h", "a")).isEqualTo(Reply.bulk("1"));
        }

        @Test
        void noOpIsNotPropagated() {
            t.exec("HSETNX", "h", "a", "1");
            t.exec("HSETNX", "h", "a", "2");
            assertThat(t.propagatedText()).containsExactly("0 HSETNX h a 1");
        }

        @Test
        void wrongType() {
            t.exec("SET", "s", "v");
            assertThat(t.exec("HSETNX", "s", "a", "1")).isEqualTo(WRONGTYPE);
        }
    }

    @Nested
    @DisplayName("HGET, HMGET, HLEN, HSTRLEN, HEXISTS")
    class Reads {
        @Test
        void presentAndAbsent() {
            t.exec("HSET", "h", "a", "hello", "n", "-12");
            assertThat(t.exec("HGET", "h", "a")).isEqualTo(Reply.bulk("hello"));
            assertThat(t.exec("HGET", "h", "zz")).isEqualTo(Reply.NULL);
            assertThat(t.exec("HGET", "nokey", "a")).isEqualTo(Reply.NULL);
            assertThat(t.exec("HMGET", "h", "a", "zz", "n")).isEqualTo(bulks("hello", null, "-12"));
            assertThat(t.exec("HMGET", "nokey", "a", "b")).isEqualTo(bulks(null, null));
            assertThat(t.exec("HLEN", "h")).isEqualTo(Reply.of(2));
            assertThat(t.exec("HLEN", "nokey")).isEqualTo(Reply.ZERO);
            assertThat(t.exec("HSTRLEN", "h", "a")).isEqualTo(Reply.of(5));
            assertThat(t.exec("HSTRLEN", "h", "n")).isEqualTo(Reply.of(3));
            assertThat(t.exec("HSTRLEN", "h", "zz")).isEqualTo(Reply.ZERO);
            assertThat(t.exec("HSTRLEN", "nokey", "a")).isEqualTo(Reply.ZERO);
            assertThat(t.exec("HEXISTS", "h", "a")).isEqualTo(Reply.ONE);
            assertThat(t.exec("HEXISTS", "h", "zz")).isEqualTo(Reply.ZERO);
            assertThat(t.exec("HEXISTS", "nokey", "a")).isEqualTo(Reply.ZERO);
        }

        @Test
        void everyReadIsWrongTypeOnAString() {
            t.exec("SET", "s", "v");
            assertThat(t.exec("HGET", "s", "a")).isEqualTo(WRONGTYPE);
            assertThat(t.exec("HMGET", "s", "a")).isEqualTo(WRONGTYPE);
            assertThat(t.exec("HLEN", "s")).isEqualTo(WRONGTYPE);
            assertThat(t.exec("HSTRLEN", "s", "a")).isEqualTo(WRONGTYPE);
            assertThat(t.exec("HEXISTS", "s", "a")).isEqualTo(WRONGTYPE);
            assertThat(t.exec("HKEYS", "s")).isEqualTo(WRONGTYPE);
            assertThat(t.exec("HVALS", "s")).isEqualTo(WRONGTYPE);
            assertThat(t.exec("HGETALL", "s")).isEqualTo(WRONGTYPE);
            assertThat(t.exec("HRANDFIELD", "s")).isEqualTo(WRONGTYPE);
            assertThat(t.exec("HRANDFIELD", "s", "2")).isEqualTo(WRONGTYPE);
            assertThat(t.exec("HSCAN", "s", "0")).isEqualTo(WRONGTYPE);
        }

        @Test
        void arityErrors() {
            assertThat(t.exec("HGET", "h")).isEqualTo(Reply.error("ERR wrong number of arguments for 'hget' command"));
            assertThat(t.exec("HMGET", "h")).isEqualTo(Reply.error("ERR wrong number of arguments for 'hmget' command"));
            assertThat(t.exec("HLEN", "h", "x")).isEqualTo(Reply.error("ERR wrong number of arguments for 'hlen' command"));
        }

        @Test
        void hstrlenOfABigValue() {
            t.exec("HSET", "h", "a", repeat('x', 1000));
            assertThat(t.exec("HSTRLEN", "h", "a")).isEqualTo(Reply.of(1000));
        }
    }

    @Nested
    @DisplayName("HDEL")
    class Hdel {
        @Test
        void countsRemovedFields() {
            t.exec("HSET", "h", "a", "1", "b", "2", "c", "3");
            assertThat(t.exec("HDEL", "h", "a", "zz", "a")).isEqualTo(Reply.ONE);
            assertThat(t.exec("HKEYS", "h")).isEqualTo(bulks("b", "c"));
        }

        @Test
        void removingTheLastFieldDeletesTheKey() {
            t.exec("HSET", "h", "a", "1", "b", "2");
            assertThat(t.exec("HDEL", "h", "a", "b", "c")).isEqualTo(Reply.of(2));
            assertThat(t.exec("EXISTS", "h")).isEqualTo(Reply.ZERO);
            assertThat(t.exec("TYPE", "h")).isEqualTo(new Reply.Simple("none"));
        }

        @Test
        void missingKeyAndWrongType() {
            assertThat(t.exec("HDEL", "nokey", "a")).isEqualTo(Reply.ZERO);
            t.exec("SET", "s", "v");
            assertThat(t.exec("HDEL", "s", "a")).isEqualTo(WRONGTYPE);
        }

        @Test
        void onlyEffectiveDeletesArePropagated() {
            t.exec("HSET", "h", "a", "1", "b", "2");
            t.exec("HDEL", "h", "zz");
            t.exec("HDEL", "h", "a", "zz");
            assertThat(t.propagatedText()).containsExactly("0 HSET h a 1 b 2", "0 HDEL h a zz");
        }
    }

    @Nested
    @DisplayName("HKEYS, HVALS, HGETALL")
    class GetAll {
        @Test
        void smallHashesKeepInsertionOrderThroughUpdatesAndDeletes() {
            t.exec("HSET", "h", "z", "1", "a", "2", "m", "3");
            t.exec("HSET", "h", "a", "22");
            t.exec("HDEL", "h", "z");
            t.exec("HSET", "h", "z", "4");
            assertThat(t.exec("HKEYS", "h")).isEqualTo(bulks("a", "m", "z"));
            assertThat(t.exec("HVALS", "h")).isEqualTo(bulks("22", "3", "4"));
            assertThat(t.exec("HGETALL", "h")).isEqualTo(map("a", "22", "m", "3", "z", "4"));
        }

        @Test
        void missingKey() {
            assertThat(t.exec("HKEYS", "nokey")).isEqualTo(Reply.EMPTY_ARRAY);
            assertThat(t.exec("HVALS", "nokey")).isEqualTo(Reply.EMPTY_ARRAY);
            assertThat(t.exec("HGETALL", "nokey")).isEqualTo(new Reply.MapReply(List.of()));
        }

        @Test
        void largeHashReturnsEveryPair() {
            for (int i = 0; i < 500; i++) {
                t.exec("HSET", "h", "f" + i, "v" + i);
            }
            Reply.MapReply all = (Reply.MapReply) t.exec("HGETALL", "h");
            assertThat(all.keysAndValues()).hasSize(1000);
            java.util.Map<String, String> m = new java.util.HashMap<>();
            for (int i = 0; i < 1000; i += 2) {
                m.put(((Reply.Bulk) all.keysAndValues().get(i)).text(), ((Reply.Bulk) all.keysAndValues().get(i + 1)).text());
            }
            for (int i = 0; i < 500; i++) {
                assertThat(m).containsEntry("f" + i, "v" + i);
            }
        }
    }

    @Nested
    @DisplayName("HINCRBY")
    class Hincrby {
        @Test
        void createsAndIncrements() {
            assertThat(t.exec("HINCRBY", "h", "n", "5")).isEqualTo(Reply.of(5));
            assertThat(t.exec("HINCRBY", "h", "n", "-7")).isEqualTo(Reply.of(-2));
            assertThat(t.exec("HGET", "h", "n")).isEqualTo(Reply.bulk("-2"));
        }

        @Test
        void valueThatIsNotAnIntegerIsRefused() {
            t.exec("HSET", "h", "s", "abc", "sp", " 1", "big", "99999999999999999999", "z", "01");
            for (String f : List.of("s", "sp", "big", "z")) {
                assertThat(t.exec("HINCRBY", "h", f, "1")).isEqualTo(Reply.error("ERR hash value is not an integer"));
            }
        }

        @Test
        void incrementThatIsNotAnInteger() {
            assertThat(t.exec("HINCRBY", "h", "n", "1.5")).isEqualTo(NOT_INTEGER);
            assertThat(t.exec("HINCRBY", "h", "n", "")).isEqualTo(NOT_INTEGER);
            assertThat(t.exec("EXISTS", "h")).isEqualTo(Reply.ZERO);
        }

        @Test
        void overflowIsRefusedAndLeavesTheValue() {
            t.exec("HSET", "h", "n", "9223372036854775800");
            assertThat(t.exec("HINCRBY", "h", "n", "8")).isEqualTo(
                    Reply.error("ERR increment or decrement would overflow"));
            assertThat(t.exec("HINCRBY", "h", "n", "7")).isEqualTo(Reply.of(Long.MAX_VALUE));
            t.exec("HSET", "h", "m", "-9223372036854775808");
            assertThat(t.exec("HINCRBY", "h", "m", "-1")).isEqualTo(
                    Reply.error("ERR increment or decrement would overflow"));
            assertThat(t.exec("HGET", "h", "m")).isEqualTo(Reply.bulk("-9223372036854775808"));
        }

        @Test
        void wrongType() {
            t.exec("SET", "s", "1");
            assertThat(t.exec("HINCRBY", "s", "n", "1")).isEqualTo(WRONGTYPE);
        }
    }

    @Nested
    @DisplayName("HINCRBYFLOAT")
    class Hincrbyfloat {
        @Test
        void longDoubleArithmeticAndFormatting() {
            t.exec("HSET", "h", "a", "0.1");
            assertThat(t.exec("HINCRBYFLOAT", "h", "a", "0.2")).isEqualTo(Reply.bulk("0.3"));
            assertThat(t.exec("HINCRBYFLOAT", "h", "a", "-0.3")).isEqualTo(Reply.bulk("0"));
            assertThat(t.exec("HINCRBYFLOAT", "h", "b", "5.0e3")).isEqualTo(Reply.bulk("5000"));
            assertThat(t.exec("HINCRBYFLOAT", "h", "c", "0x10")).isEqualTo(Reply.bulk("16"));
            t.exec("HSET", "h", "d", "1e17");
            assertThat(t.exec("HINCRBYFLOAT", "h", "d", "0.5")).isEqualTo(Reply.bulk("100000000000000000.5"));
        }

        @Test
        void errors() {
            t.exec("HSET", "h", "s", "abc", "i", "inf", "n", "nan", "sp", "1 ");
            assertThat(t.exec("HINCRBYFLOAT", "h", "s", "1")).isEqualTo(Reply.error("ERR hash value is not a float"));
            assertThat(t.exec("HINCRBYFLOAT", "h", "n", "1")).isEqualTo(Reply.error("ERR hash value is not a float"));
            assertThat(t.exec("HINCRBYFLOAT", "h", "sp", "1")).isEqualTo(Reply.error("ERR hash value is not a float"));
            assertThat(t.exec("HINCRBYFLOAT", "h", "i", "1")).isEqualTo(
                    Reply.error("ERR increment would produce NaN or Infinity"));
            assertThat(t.exec("HINCRBYFLOAT", "h", "x", "abc")).isEqualTo(Reply.error("ERR value is not a valid float"));
            assertThat(t.exec("HINCRBYFLOAT", "h", "x", "1e5000")).isEqualTo(Reply.error("ERR value is not a valid float"));
            assertThat(t.exec("HINCRBYFLOAT", "new", "x", "inf")).isEqualTo(Reply.error("ERR value is NaN or Infinity"));
            assertThat(t.exec("EXISTS", "new")).isEqualTo(Reply.ZERO);
            t.exec("HSET", "h", "big", "1e4932");
            assertThat(t.exec("HINCRBYFLOAT", "h", "big", "1e4932")).isEqualTo(
                    Reply.error("ERR increment would produce NaN or Infinity"));
            t.exec("SET", "str", "1");
            assertThat(t.exec("HINCRBYFLOAT", "str", "x", "1")).isEqualTo(WRONGTYPE);
        }

        @Test
        void isPropagatedAsHsetOfTheResult() {
            t.exec("HINCRBYFLOAT", "h", "a", "1.5");
            t.exec("HINCRBYFLOAT", "h", "a", "0x1p-1");
            assertThat(t.propagatedText()).containsExactly("0 HSET h a 1.5", "0 HSET h a 2");
        }
    }

    @Nested
    @DisplayName("HRANDFIELD")
    class Hrandfield {
        @Test
        void missingKey() {
            assertThat(t.exec("HRANDFIELD", "nokey")).isEqualTo(Reply.NULL);
            assertThat(t.exec("HRANDFIELD", "nokey", "3")).isEqualTo(Reply.EMPTY_ARRAY);
            assertThat(t.exec("HRANDFIELD", "nokey", "-3", "WITHVALUES")).isEqualTo(Reply.EMPTY_ARRAY);
        }

        @Test
        void argumentErrors() {
            t.exec("HSET", "h", "a", "1");
            assertThat(t.exec("HRANDFIELD", "h", "x")).isEqualTo(NOT_INTEGER);
            assertThat(t.exec("HRANDFIELD", "h", "1", "WITHVALUE")).isEqualTo(SYNTAX);
            assertThat(t.exec("HRANDFIELD", "h", "1", "WITHVALUES", "x")).isEqualTo(SYNTAX);
            assertThat(t.exec("HRANDFIELD", "h", "-9223372036854775808")).isEqualTo(Reply.error(
                    "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"));
            assertThat(t.exec("HRANDFIELD", "h", "4611686018427387904", "WITHVALUES"))
                    .isEqualTo(Reply.error("ERR value is out of range"));
            assertThat(t.exec("HRANDFIELD", "h", "-4611686018427387904", "withvalues"))
                    .isEqualTo(Reply.error("ERR value is out of range"));
        }

        @Test
        void countCoveringTheHashReturnsItInOrder() {
            t.exec("HSET", "h", "a", "1", "b", "2", "c", "3");
            assertThat(t.exec("HRANDFIELD", "h", "3")).isEqualTo(bulks("a", "b", "c"));
            assertThat(t.exec("HRANDFIELD", "h", "10", "WITHVALUES")).isEqualTo(bulks("a", "1", "b", "2", "c", "3"));
            assertThat(t.exec("HRANDFIELD", "h", "0")).isEqualTo(Reply.EMPTY_ARRAY);
        }

        @Test
        void positiveCountGivesDistinctFieldsInListpackOrder() {
            t.exec("HSET", "h", "a", "1", "b", "2", "c", "3", "d", "4", "e", "5");
            for (int i = 0; i < 50; i++) {
                List<Reply> items = ((Reply.Array) t.exec("HRANDFIELD", "h", "3")).items();
                assertThat(items).hasSize(3).doesNotHaveDuplicates();
                List<String> names = items.stream().map(r -> ((Reply.Bulk) r).text()).toList();
                assertThat(names).isSorted();
            }
        }

        @Test
        void positiveCountOnAHashtableGivesDistinctFields() {
            for (int i = 0; i < 300; i++) {
                t.exec("HSET", "h", "f" + i, "v" + i);
            }
            for (String count : List.of("5", "150", "299")) {
                List<Reply> items = ((Reply.Array) t.exec("HRANDFIELD", "h", count)).items();
                assertThat(items).hasSize(Integer.parseInt(count)).doesNotHaveDuplicates();
            }
        }

        @Test
        void negativeCountMayRepeat() {
            t.exec("HSET", "h", "a", "1");
            assertThat(t.exec("HRANDFIELD", "h", "-4")).isEqualTo(bulks("a", "a", "a", "a"));
            assertThat(t.exec("HRANDFIELD", "h", "-2", "WITHVALUES")).isEqualTo(bulks("a", "1", "a", "1"));
            assertThat(t.exec("HRANDFIELD", "h")).isEqualTo(Reply.bulk("a"));
        }

        @Test
        void resp3WithValuesIsAnArrayOfPairs() {
            t.cellar.withLock(() -> {
                t.session.setResp(3);
                return null;
            });
            t.exec("HSET", "h", "a", "1");
            Reply pair = Reply.array(List.of(Reply.bulk("a"), Reply.bulk("1")));
            assertThat(t.exec("HRANDFIELD", "h", "-2", "WITHVALUES")).isEqualTo(Reply.array(List.of(pair, pair)));
            assertThat(t.exec("HRANDFIELD", "h", "5", "WITHVALUES")).isEqualTo(Reply.array(List.of(pair)));
            assertThat(t.exec("HRANDFIELD", "h", "5")).isEqualTo(bulks("a"));
        }
    }

    @Nested
    @DisplayName("HSCAN")
    class Hscan {
        @Test
        void listpackIsReturnedWholeWithCursorZero() {
            t.exec("HSET", "h", "a", "1", "b", "2", "ab", "3");
            assertThat(t.exec("HSCAN", "h", "0")).isEqualTo(scan("0", "a", "1", "b", "2", "ab", "3"));
            assertThat(t.exec("HSCAN", "h", "123", "COUNT", "1")).isEqualTo(scan("0", "a", "1", "b", "2", "ab", "3"));
            assertThat(t.exec("HSCAN", "h", "0", "MATCH", "a*")).isEqualTo(scan("0", "a", "1", "ab", "3"));
            assertThat(t.exec("HSCAN", "h", "0", "MATCH", "*", "COUNT", "5")).isEqualTo(scan("0", "a", "1", "b", "2", "ab", "3"));
        }

        @Test
        void missingKeyIsAnEmptyScan() {
            assertThat(t.exec("HSCAN", "nokey", "0")).isEqualTo(scan("0"));
            assertThat(t.exec("HSCAN", "nokey", "0", "COUNT", "0")).isEqualTo(scan("0"));
        }

        @Test
        void cursorAndOptionErrors() {
            t.exec("HSET", "h", "a", "1");
            Reply invalid = Reply.error("ERR invalid cursor");
            assertThat(t.exec("HSCAN", "h", "x")).isEqualTo(invalid);
            assertThat(t.exec("HSCAN", "h", " 0")).isEqualTo(invalid);
            assertThat(t.exec("HSCAN", "h", "0 ")).isEqualTo(invalid);
            assertThat(t.exec("HSCAN", "h", "18446744073709551616")).isEqualTo(invalid);
            assertThat(t.exec("HSCAN", "nokey", "x")).isEqualTo(invalid);
            assertThat(t.exec("HSCAN", "h", "")).isEqualTo(scan("0", "a", "1"));
            assertThat(t.exec("HSCAN", "h", "-1")).isEqualTo(scan("0", "a", "1"));
            assertThat(t.exec("HSCAN", "h", "0", "COUNT", "0")).isEqualTo(SYNTAX);
            assertThat(t.exec("HSCAN", "h", "0", "COUNT", "x")).isEqualTo(NOT_INTEGER);
            assertThat(t.exec("HSCAN", "h", "0", "MATCH")).isEqualTo(SYNTAX);
            assertThat(t.exec("HSCAN", "h", "0", "TYPE", "string")).isEqualTo(SYNTAX);
        }

        @Test
        void cursorParsesLikeStrtoul() {
            assertThat(dev.cellar.core.engine.Args.parseScanCursor("18446744073709551615".getBytes())).isEqualTo(-1L);
            assertThat(dev.cellar.core.engine.Args.parseScanCursor("-1".getBytes())).isEqualTo(-1L);
            assertThat(dev.cellar.core.engine.Args.parseScanCursor("+7".getBytes())).isEqualTo(7L);
            assertThat(dev.cellar.core.engine.Args.parseScanCursor("007".getBytes())).isEqualTo(7L);
        }

        @Test
        void hashtableScanReturnsEveryFieldAcrossCalls() {
            for (int i = 0; i < 1000; i++) {
                t.exec("HSET", "h", "f" + i, "v" + i);
            }
            java.util.Map<String, String> seen = new java.util.HashMap<>();
            String cursor = "0";
            int calls = 0;
            do {
                Reply.Array r = (Reply.Array) t.exec("HSCAN", "h", cursor, "COUNT", "20");
                cursor = ((Reply.Bulk) r.items().get(0)).text();
                List<Reply> items = ((Reply.Array) r.items().get(1)).items();
                for (int i = 0; i < items.size(); i += 2) {
                    seen.put(((Reply.Bulk) items.get(i)).text(), ((Reply.Bulk) items.get(i + 1)).text());
                }
                calls++;
            } while (!cursor.equals("0"));
            assertThat(seen).hasSize(1000).containsEntry("f7", "v7");
            assertThat(calls).isGreaterThan(10);
        }
    }

    @Nested
    @DisplayName("HSCAN while the hash grows and shrinks")
    class ScanGuarantee {
        @Test
        void fieldsPresentThroughoutAreReturned() {
            for (int i = 0; i < 300; i++) {
                t.exec("HSET", "h", "keep" + i, "v");
            }
            java.util.Set<String> seen = new java.util.HashSet<>();
            String cursor = "0";
            int step = 0;
            do {
                Reply.Array r = (Reply.Array) t.exec("HSCAN", "h", cursor, "COUNT", "7");
                cursor = ((Reply.Bulk) r.items().get(0)).text();
                List<Reply> items = ((Reply.Array) r.items().get(1)).items();
                for (int i = 0; i < items.size(); i += 2) {
                    seen.add(((Reply.Bulk) items.get(i)).text());
                }
                // Grow the table past several resizes, then shrink it again, mid-scan.
                if (step < 20) {
                    for (int i = 0; i < 200; i++) {
                        t.exec("HSET", "h", "tmp" + step + "_" + i, "v");
                    }
                } else if (step < 40) {
                    for (int i = 0; i < 200; i++) {
                        t.exec("HDEL", "h", "tmp" + (step - 20) + "_" + i);
                    }
                }
                step++;
            } while (!cursor.equals("0"));
            for (int i = 0; i < 300; i++) {
                assertThat(seen).contains("keep" + i);
            }
        }
    }

    @Nested
    @DisplayName("Encodings")
    class Encodings {
        @Test
        void smallHashIsOneListpack() {
            t.exec("HSET", "h", "a", "1");
            assertThat(value("h").encoding()).isEqualTo("listpack");
        }

        @Test
        void moreEntriesThanTheLimitConvert() {
            // 512: redis-server 7.0's built-in default (the redis.conf it ships says 128)
            for (int i = 0; i < 512; i++) {
                t.exec("HSET", "h", "f" + i, "v");
            }
            assertThat(value("h").encoding()).isEqualTo("listpack");
            t.exec("HSET", "h", "f512", "v");
            assertThat(value("h").encoding()).isEqualTo("hashtable");
        }

        @Test
        void longFieldOrValueConverts() {
            t.exec("HSET", "h", "a", repeat('x', 64));
            assertThat(value("h").encoding()).isEqualTo("listpack");
            t.exec("HSET", "h", "b", repeat('x', 65));
            assertThat(value("h").encoding()).isEqualTo("hashtable");
            t.exec("HSET", "g", repeat('f', 65), "1");
            assertThat(value("g").encoding()).isEqualTo("hashtable");
        }

        @Test
        void neverConvertsBack() {
            t.exec("HSET", "h", "a", "1", "b", repeat('x', 100));
            t.exec("HDEL", "h", "b");
            assertThat(value("h").encoding()).isEqualTo("hashtable");
        }

        @Test
        void hsetnxOfAnExistingFieldDoesNotConvert() {
            t.exec("HSET", "h", "a", "1");
            t.exec("HSETNX", "h", "a", repeat('x', 100));
            assertThat(value("h").encoding()).isEqualTo("listpack");
            t.exec("HSETNX", "h", "b", repeat('x', 100));
            assertThat(value("h").encoding()).isEqualTo("hashtable");
        }

        @Test
        void incrementsConvertWhenTheFieldOrResultIsLong() {
            t.exec("HINCRBY", "h", repeat('f', 65), "1");
            assertThat(value("h").encoding()).isEqualTo("hashtable");
            t.exec("HINCRBYFLOAT", "g", "f", "1e70");
            assertThat(value("g").encoding()).isEqualTo("hashtable");
        }

        @Test
        void thresholdsAreReadAtEachWrite() {
            t.exec("HSET", "h", "a", "1", "b", "2");
            assertThat(t.exec("CONFIG", "SET", "hash-max-listpack-entries", "2")).isEqualTo(Reply.OK);
            t.exec("HSET", "h", "a", "3");
            assertThat(value("h").encoding()).isEqualTo("listpack");
            t.exec("HSET", "h", "c", "3");
            assertThat(value("h").encoding()).isEqualTo("hashtable");
            t.exec("CONFIG", "SET", "hash-max-listpack-value", "3");
            t.exec("HSET", "g", "abcd", "1");
            assertThat(value("g").encoding()).isEqualTo("hashtable");
        }

        @Test
        void zeroEntriesLimitMakesEveryHashATable() {
            t.exec("CONFIG", "SET", "hash-max-listpack-entries", "0");
            t.exec("HSET", "h", "a", "1");
            assertThat(value("h").encoding()).isEqualTo("hashtable");
        }
    }

    @Nested
    @DisplayName("Keyspace notifications")
    class Notifications {
        @Test
        void eventsAreRedisNames() {
            List<String> events = new ArrayList<>();
            t.cellar.withLock(() -> {
                t.cellar.engine().setKeyspaceListener((type, event, db, key) ->
                        events.add(type + ":" + event + ":" + new String(key, StandardCharsets.UTF_8)));
                return null;
            });
            t.exec("HSET", "h", "a", "1");
            t.exec("HSETNX", "h", "b", "1");
            t.exec("HSETNX", "h", "b", "2");
            t.exec("HINCRBY", "h", "a", "1");
            t.exec("HINCRBYFLOAT", "h", "a", "1.5");
            t.exec("HDEL", "h", "zz");
            t.exec("HDEL", "h", "a");
            t.exec("HDEL", "h", "b");
            assertThat(events).containsExactly("h:hset:h", "h:hset:h", "h:hincrby:h", "h:hincrbyfloat:h",
                    "h:hdel:h", "h:hdel:h", "g:del:h");
        }
    }
}
