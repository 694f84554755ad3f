package dev.cellar.core.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Reply;
import dev.cellar.core.engine.Db;
import dev.cellar.core.engine.Dict;
import dev.cellar.core.testing.TestEngine;
import dev.cellar.core.values.RValue;
import dev.cellar.core.values.ValueType;
import dev.cellar.spi.persistence.DataValue;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The string commands one by one, error paths included (Redis 7.0.15 is the reference for every reply). */
class StringCommandsTest {
    private static final Reply WRONGTYPE =
            Reply.error("WRONGTYPE Operation against a key holding the wrong kind of value");
    private static final Reply NOT_INTEGER = Reply.error("ERR value is not an integer or out of range");
    private static final Reply NOT_FLOAT = Reply.error("ERR value is not a valid float");
    private static final Reply SYNTAX = Reply.error("ERR syntax error");

    private final TestEngine t = TestEngine.create();

    @AfterEach
    void close() {
        t.close();
    }

    /** A list-typed value, only so that string commands meet a key of another type. */
    private record FakeList() implements RValue {
        @Override
        public ValueType type() {
            return ValueType.LIST;
        }

        @Override
        public String encoding() {
            return "listpack";
        }

        @Override
        public long size() {
            return 1;
        }

        @Override
        public long memoryUsage() {
            return 16;
        }

        @Override
        public RValue copy() {
            return this;
        }

        @Override
        public DataValue view() {
            return new DataValue.ListData() {
                @Override
                public String encoding() {
                    return "listpack";
                }

                @Override
                public long size() {
                    return 1;
                }

                @Override
                public void forEach(Consumer<byte[]> element) {
                    element.accept(new byte[] {'x'});
                }
            };
        }
    }

    private void putList(String key) {
        t.cellar.withLock(() -> {
            t.cellar.engine().db(0).add(key.getBytes(), new FakeList());
            return null;
        });
    }

    /** What the keyspace holds for a key: Long, a byte[] marked packed (embstr), or a raw byte[]. */
    private String encodingOf(String key) {
        return t.cellar.withLock(() -> {
            Db db = t.cellar.engine().db(0);
            Dict dict = db.dict();
            int slot = dict.find(key.getBytes());
            Object v = dict.valueAt(slot);
            if (v instanceof Long) {
                return "int";
            }
            return dict.packedAt(slot) ? "embstr" : "raw";
        });
    }

    private static Reply bulk(String s) {
        return Reply.bulk(s);
    }

    private static Reply num(long n) {
        return Reply.of(n);
    }

    @Test
    void everyStringCommandAnswersWrongTypeForAList() {
        putList("l");
        for (String[] cmd : List.of(
                new String[] {"GET", "l"}, new String[] {"GETEX", "l", "EX", "10"}, new String[] {"GETDEL", "l"},
                new String[] {"GETSET", "l", "v"}, new String[] {"APPEND", "l", "v"}, new String[] {"STRLEN", "l"},
                new String[] {"INCR", "l"}, new String[] {"DECR", "l"}, new String[] {"INCRBY", "l", "2"},
                new String[] {"DECRBY", "l", "2"}, new String[] {"INCRBYFLOAT", "l", "1.5"},
                new String[] {"GETRANGE", "l", "0", "1"}, new String[] {"SETRANGE", "l", "0", "v"},
                new String[] {"SETBIT", "l", "0", "1"}, new String[] {"GETBIT", "l", "0"},
                new String[] {"BITCOUNT", "l"}, new String[] {"BITPOS", "l", "1"},
                new String[] {"BITOP", "AND", "d", "l"})) {
            assertThat(t.exec(cmd)).as(String.join(" ", cmd)).isEqualTo(WRONGTYPE);
        }
        // MGET answers nil for a key of another type; MSET and GETEX on missing keys ignore it
        t.exec("SET", "s", "v");
        assertThat(t.exec("MGET", "s", "l", "none")).isEqualTo(Reply.array(List.of(bulk("v"), Reply.NULL, Reply.NULL)));
        assertThat(t.exec("MSETNX", "l", "v")).isEqualTo(num(0));
        assertThat(t.exec("MSET", "l", "v")).isEqualTo(Reply.OK);
        assertThat(t.exec("GET", "l")).isEqualTo(bulk("v"));
    }

    @Nested
    @DisplayName("GETEX reads a string and changes its expiry")
    class Getex {
        @Test
        void withoutOptionsItIsGet() {
            t.exec("SET", "k", "v");
            assertThat(t.exec("GETEX", "k")).isEqualTo(bulk("v"));
            assertThat(t.exec("GETEX", "missing")).isEqualTo(Reply.NULL);
            assertThat(t.propagatedText()).containsExactly("0 SET k v");
        }

        @Test
        void relativeAndAbsoluteExpiriesBecomePexpireat() {
            long now = t.clock.currentTimeMillis();
            t.exec("SET", "k", "v");
            assertThat(t.exec("GETEX", "k", "EX", "10")).isEqualTo(bulk("v"));
            assertThat(t.exec("PEXPIRETIME", "k")).isEqualTo(num(now + 10_000));
            t.exec("GETEX", "k", "px", "500");
            t.exec("GETEX", "k", "EXAT", "4000000000");
            t.exec("GETEX", "k", "PXAT", "4000000000123");
            assertThat(t.exec("PEXPIRETIME", "k")).isEqualTo(num(4000000000123L));
            assertThat(t.propagatedText()).containsExactly("0 SET k v", "0 PEXPIREAT k " + (now + 10_000),
                    "0 PEXPIREAT k " + (now + 500), "0 PEXPIREAT k 4000000000000", "0 PEXPIREAT k 4000000000123");
        }

        @Test
        void theLastOfARepeatedOptionWins() {
            long now = t.clock.currentTimeMillis();
            t.exec("SET", "k", "v");
            t.exec("GETEX", "k", "EX", "10", "EX", "20");
            assertThat(t.exec("PEXPIRETIME", "k")).isEqualTo(num(now + 20_000));
        }

        @Test
        void persistRemovesTheExpiryAndIsPropagatedOnlyWhenThereWasOne() {
            t.exec("SET", "k", "v");
            t.exec("GETEX", "k", "PERSIST");
            t.exec("GETEX", "k", "PXAT", "4000000000000");
            assertThat(t.exec("GETEX", "k", "PERSIST", "PERSIST")).isEqualTo(bulk("v"));
            assertThat(t.exec("PEXPIRETIME", "k")).isEqualTo(num(-1));
            assertThat(t.propagatedText()).containsExactly("0 SET k v", "0 PEXPIREAT k 4000000000000",
                    "0 PERSIST k");
        }

        @Test
        void anAbsoluteTimeInThePastDeletesTheKeyAndPropagatesDel() {
            t.exec("SET", "k", "v");
            assertThat(t.exec("GETEX", "k", "EXAT", "1")).isEqualTo(bulk("v"));
            assertThat(t.exec("EXISTS", "k")).isEqualTo(num(0));
            assertThat(t.propagatedText()).containsExactly("0 SET k v", "0 DEL k");
        }

        @Test
        void lazyExpireDeletesWithUnlink() {
            try (TestEngine lazy = TestEngine.create("lazyfree-lazy-expire", "yes")) {
                lazy.exec("SET", "k", "v");
                lazy.exec("GETEX", "k", "PXAT", "5");
                assertThat(lazy.propagatedText()).containsExactly("0 SET k v", "0 UNLINK k");
            }
        }

        @Test
        void badOptionsAreSyntaxErrors() {
            t.exec("SET", "k", "v");
            assertThat(t.exec("GETEX", "k", "EX")).isEqualTo(SYNTAX);
            assertThat(t.exec("GETEX", "k", "FOO")).isEqualTo(SYNTAX);
            assertThat(t.exec("GETEX", "k", "EX", "10", "PX", "10")).isEqualTo(SYNTAX);
            assertThat(t.exec("GETEX", "k", "PERSIST", "EX", "10")).isEqualTo(SYNTAX);
            assertThat(t.exec("GETEX", "k", "EX", "10", "PERSIST")).isEqualTo(SYNTAX);
            assertThat(t.exec("GETEX", "missing", "FOO")).isEqualTo(SYNTAX);
        }

        @Test
        void badTimesAreCheckedOnlyForAnExistingKey() {
            Reply invalid = Reply.error("ERR invalid expire time in 'getex' command");
            assertThat(t.exec("GETEX", "missing", "EX", "0")).isEqualTo(Reply.NULL);
            assertThat(t.exec("GETEX", "missing", "EX", "abc")).isEqualTo(Reply.NULL);
            t.exec("SET", "k", "v");
            assertThat(t.exec("GETEX", "k", "EX", "0")).isEqualTo(invalid);
            assertThat(t.exec("GETEX", "k", "PX", "-1")).isEqualTo(invalid);
            assertThat(t.exec("GETEX", "k", "PXAT", "0")).isEqualTo(invalid);
            assertThat(t.exec("GETEX", "k", "EX", "9223372036854775807")).isEqualTo(invalid);
            assertThat(t.exec("GETEX", "k", "PX", "9223372036854775807")).isEqualTo(invalid);
            assertThat(t.exec("GETEX", "k", "EX", "abc")).isEqualTo(NOT_INTEGER);
            assertThat(t.exec("GETEX", "k", "EXAT", "9223372036854775")).isEqualTo(bulk("v"));
            assertThat(t.exec("PEXPIRETIME", "k")).isEqualTo(num(9223372036854775000L));
        }
    }

    @Nested
    @DisplayName("GETDEL and GETSET read the old value while replacing it")
    class GetdelGetset {
        @Test
        void getdelReturnsAndDeletesPropagatingDel() {
            t.exec("SET", "k", "12");
            assertThat(t.exec("GETDEL", "k")).isEqualTo(bulk("12"));
            assertThat(t.exec("GETDEL", "k")).isEqualTo(Reply.NULL);
            assertThat(t.exec("EXISTS", "k")).isEqualTo(num(0));
            assertThat(t.propagatedText()).containsExactly("0 SET k 12", "0 DEL k");
        }

        @Test
        void getdelUsesUnlinkWhenUserDeletesAreLazy() {
            try (TestEngine lazy = TestEngine.create("lazyfree-lazy-user-del", "yes")) {
                lazy.exec("SET", "k", "v");
                lazy.exec("GETDEL", "k");
                assertThat(lazy.propagatedText()).containsExactly("0 SET k v", "0 UNLINK k");
            }
        }

        @Test
        void getsetReplacesRemovesTheTtlAndPropagatesAsSet() {
            t.exec("SET", "k", "old", "PXAT", "4000000000000");
            assertThat(t.exec("GETSET", "k", "5")).isEqualTo(bulk("old"));
            assertThat(t.exec("GET", "k")).isEqualTo(bulk("5"));
            assertThat(encodingOf("k")).isEqualTo("int");
            assertThat(t.exec("PEXPIRETIME", "k")).isEqualTo(num(-1));
            assertThat(t.exec("GETSET", "new", "x")).isEqualTo(Reply.NULL);
            assertThat(t.propagatedText()).containsExactly("0 SET k old PXAT 4000000000000", "0 SET k 5",
                    "0 SET new x");
        }
    }

    @Nested
    @DisplayName("MGET, MSET and MSETNX work on many keys at once")
    class Multi {
        @Test
        void msetSetsAllAndMgetReadsAll() {
            t.exec("SET", "a", "old", "PXAT", "4000000000000");
            assertThat(t.exec("MSET", "a", "1", "b", "2", "a", "3")).isEqualTo(Reply.OK);
            assertThat(t.exec("MGET", "a", "b", "c")).isEqualTo(Reply.array(List.of(bulk("3"), bulk("2"), Reply.NULL)));
            assertThat(t.exec("PEXPIRETIME", "a")).isEqualTo(num(-1));
        }

        @Test
        void msetnxSetsNothingWhenAnyKeyExists() {
            t.exec("SET", "b", "x");
            assertThat(t.exec("MSETNX", "a", "1", "b", "2")).isEqualTo(num(0));
            assertThat(t.exec("EXISTS", "a")).isEqualTo(num(0));
            assertThat(t.exec("MSETNX", "a", "1", "c", "2")).isEqualTo(num(1));
            assertThat(t.exec("MGET", "a", "b", "c")).isEqualTo(Reply.array(List.of(bulk("1"), bulk("x"), bulk("2"))));
            assertThat(t.propagatedText()).containsExactly("0 SET b x", "0 MSETNX a 1 c 2");
        }

        @Test
        void anOddNumberOfArgumentsIsAnArityError() {
            assertThat(t.exec("MSET", "a", "1", "b")).isEqualTo(
                    Reply.error("ERR wrong number of arguments for 'mset' command"));
            assertThat(t.exec("MSETNX", "a", "1", "b")).isEqualTo(
                    Reply.error("ERR wrong number of arguments for 'msetnx' command"));
            assertThat(t.exec("MSET", "a")).isEqualTo(Reply.error("ERR wrong number of arguments for 'mset' command"));
        }
    }

    @Nested
    @DisplayName("APPEND, STRLEN, GETRANGE and SETRANGE")
    class Ranges {
        @Test
        void appendCreatesThenExtendsAsARawString() {
            assertThat(t.exec("APPEND", "k", "12")).isEqualTo(num(2));
            assertThat(encodingOf("k")).isEqualTo("int");
            assertThat(t.exec("APPEND", "k", "34")).isEqualTo(num(4));
            assertThat(t.exec("GET", "k")).isEqualTo(bulk("1234"));
            assertThat(encodingOf("k")).isEqualTo("raw");
            assertThat(t.exec("APPEND", "e", "abc")).isEqualTo(num(3));
            assertThat(encodingOf("e")).isEqualTo("embstr");
        }

        @Test
        void appendKeepsTheTtlAndAnEmptyAppendStillCounts() {
            t.exec("SET", "k", "v", "PXAT", "4000000000000");
            assertThat(t.exec("APPEND", "k", "")).isEqualTo(num(1));
            assertThat(t.exec("PEXPIRETIME", "k")).isEqualTo(num(4000000000000L));
            assertThat(t.propagatedText()).containsExactly("0 SET k v PXAT 4000000000000", "0 APPEND k ");
        }

        @Test
        void strlenCountsBytesAndDigits() {
            t.exec("SET", "i", "-12345");
            t.exec("SET", "s", "héllo");
            assertThat(t.exec("STRLEN", "i")).isEqualTo(num(6));
            assertThat(t.exec("STRLEN", "s")).isEqualTo(num(6));
            assertThat(t.exec("STRLEN", "none")).isEqualTo(num(0));
        }

        @Test
        void getrangeClampsIndexesAsRedisDoes() {
            t.exec("SET", "k", "This is a string");
            assertThat(t.exec("GETRANGE", "k", "0", "3")).isEqualTo(bulk("This"));
            assertThat(t.exec("GETRANGE", "k", "-3", "-1")).isEqualTo(bulk("ing"));
            assertThat(t.exec("GETRANGE", "k", "0", "-1")).isEqualTo(bulk("This is a string"));
            assertThat(t.exec("GETRANGE", "k", "10", "100")).isEqualTo(bulk("string"));
            assertThat(t.exec("GETRANGE", "k", "-1", "-5")).isEqualTo(bulk(""));
            assertThat(t.exec("GETRANGE", "k", "5", "3")).isEqualTo(bulk(""));
            assertThat(t.exec("GETRANGE", "k", "-100", "-50")).isEqualTo(bulk("T"));
            assertThat(t.exec("SUBSTR", "k", "0", "3")).isEqualTo(bulk("This"));
            assertThat(t.exec("GETRANGE", "none", "0", "3")).isEqualTo(bulk(""));
            assertThat(t.exec("GETRANGE", "none", "x", "3")).isEqualTo(NOT_INTEGER);
            t.exec("SET", "i", "1234");
            assertThat(t.exec("GETRANGE", "i", "1", "2")).isEqualTo(bulk("23"));
            t.exec("SET", "empty", "");
            assertThat(t.exec("GETRANGE", "empty", "0", "-1")).isEqualTo(bulk(""));
        }

        @Test
        void setrangeOverwritesAndPadsWithZeros() {
            t.exec("SET", "k", "Hello World");
            assertThat(t.exec("SETRANGE", "k", "6", "Redis")).isEqualTo(num(11));
            assertThat(t.exec("GET", "k")).isEqualTo(bulk("Hello Redis"));
            assertThat(t.exec("SETRANGE", "n", "3", "ab")).isEqualTo(num(5));
            assertThat(t.exec("GET", "n")).isEqualTo(Reply.bulk(new byte[] {0, 0, 0, 'a', 'b'}));
            assertThat(encodingOf("n")).isEqualTo("raw");
        }

        @Test
        void setrangeWithNothingToWriteChangesNothing() {
            assertThat(t.exec("SETRANGE", "n", "5", "")).isEqualTo(num(0));
            assertThat(t.exec("EXISTS", "n")).isEqualTo(num(0));
            t.exec("SET", "k", "abc");
            assertThat(t.exec("SETRANGE", "k", "100", "")).isEqualTo(num(3));
            assertThat(t.propagatedText()).containsExactly("0 SET k abc");
        }

        @Test
        void setrangeErrors() {
            assertThat(t.exec("SETRANGE", "k", "-1", "x")).isEqualTo(Reply.error("ERR offset is out of range"));
            assertThat(t.exec("SETRANGE", "k", "x", "x")).isEqualTo(NOT_INTEGER);
            assertThat(t.exec("SETRANGE", "k", "536870912", "x")).isEqualTo(
                    Reply.error("ERR string exceeds maximum allowed size (proto-max-bulk-len)"));
            assertThat(t.exec("SETRANGE", "k", "9223372036854775807", "x")).isEqualTo(
                    Reply.error("ERR string exceeds maximum allowed size (proto-max-bulk-len)"));
        }
    }

    @Nested
    @DisplayName("INCR, DECR, INCRBY and DECRBY")
    class Counters {
        @Test
        void countFromZeroAndKeepTheTtl() {
            assertThat(t.exec("INCR", "k")).isEqualTo(num(1));
            assertThat(t.exec("INCRBY", "k", "10")).isEqualTo(num(11));
            assertThat(t.exec("DECR", "k")).isEqualTo(num(10));
            assertThat(t.exec("DECRBY", "k", "-5")).isEqualTo(num(15));
            t.exec("SET", "t", "7", "PXAT", "4000000000000");
            assertThat(t.exec("INCR", "t")).isEqualTo(num(8));
            assertThat(t.exec("PEXPIRETIME", "t")).isEqualTo(num(4000000000000L));
            assertThat(encodingOf("t")).isEqualTo("int");
        }

        @Test
        void aRawDigitStringBecomesAnInteger() {
            t.exec("APPEND", "k", "1");
            t.exec("APPEND", "k", "2");
            assertThat(encodingOf("k")).isEqualTo("raw");
            assertThat(t.exec("INCR", "k")).isEqualTo(num(13));
            assertThat(encodingOf("k")).isEqualTo("int");
        }

        @Test
        void nonCanonicalIntegersAreRefused() {
            for (String v : List.of("abc", "1.5", "007", " 1", "+1", "", "12345678901234567890123")) {
                t.exec("SET", "k", v);
                assertThat(t.exec("INCR", "k")).as(v).isEqualTo(NOT_INTEGER);
            }
            assertThat(t.exec("INCRBY", "n", "1.0")).isEqualTo(NOT_INTEGER);
            assertThat(t.exec("DECRBY", "n", "x")).isEqualTo(NOT_INTEGER);
        }

        @Test
        void overflowIsRefusedAndChangesNothing() {
            Reply overflow = Reply.error("ERR increment or decrement would overflow");
            t.exec("SET", "k", "9223372036854775807");
            assertThat(t.exec("INCR", "k")).isEqualTo(overflow);
            assertThat(t.exec("GET", "k")).isEqualTo(bulk("9223372036854775807"));
            t.exec("SET", "k", "-9223372036854775808");
            assertThat(t.exec("DECR", "k")).isEqualTo(overflow);
            assertThat(t.exec("DECRBY", "k", "1")).isEqualTo(overflow);
            t.exec("SET", "k", "0");
            assertThat(t.exec("INCRBY", "k", "-9223372036854775808")).isEqualTo(num(Long.MIN_VALUE));
        }

        @Test
        void decrbyOfTheSmallestLongHasItsOwnMessageBeforeAnyLookup() {
            Reply message = Reply.error("ERR decrement would overflow");
            t.exec("SET", "k", "0");
            assertThat(t.exec("DECRBY", "k", "-9223372036854775808")).isEqualTo(message);
            t.exec("SET", "k", "abc");
            assertThat(t.exec("DECRBY", "k", "-9223372036854775808")).isEqualTo(message);
        }
    }

    @Nested
    @DisplayName("INCRBYFLOAT computes in x87 long double")
    class IncrByFloat {
        @Test
        void decimalFractionsComeOutAsTyped() {
            t.exec("SET", "k", "0.1");
            assertThat(t.exec("INCRBYFLOAT", "k", "0.2")).isEqualTo(bulk("0.3"));
            t.exec("SET", "k", "10.5");
            assertThat(t.exec("INCRBYFLOAT", "k", "0.1")).isEqualTo(bulk("10.6"));
            assertThat(t.exec("INCRBYFLOAT", "n", "5.0e3")).isEqualTo(bulk("5000"));
            assertThat(t.exec("INCRBYFLOAT", "n", "-5000")).isEqualTo(bulk("0"));
            t.exec("SET", "k", "1");
            assertThat(t.exec("INCRBYFLOAT", "k", "0.00000000000000001")).isEqualTo(bulk("1.00000000000000001"));
            assertThat(t.exec("INCRBYFLOAT", "z", "-1e-30")).isEqualTo(bulk("0"));
        }

        @Test
        void resultIsAStringNotAnIntegerAndKeepsTheTtl() {
            t.exec("SET", "k", "2", "PXAT", "4000000000000");
            assertThat(t.exec("INCRBYFLOAT", "k", "1")).isEqualTo(bulk("3"));
            assertThat(encodingOf("k")).isEqualTo("embstr");
            assertThat(t.exec("PEXPIRETIME", "k")).isEqualTo(num(4000000000000L));
            assertThat(t.propagatedText()).containsExactly("0 SET k 2 PXAT 4000000000000", "0 SET k 3 KEEPTTL");
        }

        @Test
        void invalidNumbersAndNonFiniteResultsAreRefused() {
            for (String v : List.of("abc", " 1", "1 ", "1e", "nan", "1e5000", "1e-5000", "", "0x", "--1")) {
                assertThat(t.exec("INCRBYFLOAT", "k", v)).as(v).isEqualTo(NOT_FLOAT);
            }
            t.exec("SET", "s", "abc");
            assertThat(t.exec("INCRBYFLOAT", "s", "1")).isEqualTo(NOT_FLOAT);
            Reply nonFinite = Reply.error("ERR increment would produce NaN or Infinity");
            assertThat(t.exec("INCRBYFLOAT", "k", "inf")).isEqualTo(nonFinite);
            t.exec("SET", "big", "1e4932");
            assertThat(t.exec("INCRBYFLOAT", "big", "1e4932")).isEqualTo(nonFinite);
            assertThat(t.exec("EXISTS", "k")).isEqualTo(num(0));
        }

        @Test
        void hexAndTinyValuesParseAsStrtoldDoes() {
            assertThat(t.exec("INCRBYFLOAT", "k", "0x10")).isEqualTo(bulk("16"));
            assertThat(t.exec("INCRBYFLOAT", "k", "0x1p-3")).isEqualTo(bulk("16.125"));
            assertThat(t.exec("INCRBYFLOAT", "k", "1e-4940")).isEqualTo(bulk("16.125"));
            assertThat(t.exec("INCRBYFLOAT", "k", "+.5")).isEqualTo(bulk("16.625"));
        }
    }

    @Nested
    @DisplayName("SETBIT and GETBIT")
    class Bits {
        @Test
        void setbitGrowsTheStringAndReturnsTheOldBit() {
            assertThat(t.exec("SETBIT", "k", "7", "1")).isEqualTo(num(0));
            assertThat(t.exec("SETBIT", "k", "7", "0")).isEqualTo(num(1));
            assertThat(t.exec("SETBIT", "k", "17", "1")).isEqualTo(num(0));
            assertThat(t.exec("GET", "k")).isEqualTo(Reply.bulk(new byte[] {0, 0, 0x40}));
            assertThat(t.exec("GETBIT", "k", "17")).isEqualTo(num(1));
            assertThat(t.exec("GETBIT", "k", "16")).isEqualTo(num(0));
            assertThat(t.exec("GETBIT", "k", "1000")).isEqualTo(num(0));
            assertThat(t.exec("GETBIT", "none", "3")).isEqualTo(num(0));
            assertThat(encodingOf("k")).isEqualTo("raw");
        }

        @Test
        void anUnchangedBitIsNotPropagatedButStillMakesTheValueRaw() {
            t.exec("SET", "k", "12");
            assertThat(t.exec("SETBIT", "k", "0", "0")).isEqualTo(num(0));
            assertThat(encodingOf("k")).isEqualTo("raw");
            t.exec("SETBIT", "k", "20", "0");
            t.exec("SETBIT", "k", "20", "0");
            assertThat(t.exec("GETBIT", "k", "2")).isEqualTo(num(1));
            assertThat(t.propagatedText()).containsExactly("0 SET k 12", "0 SETBIT k 20 0");
        }

        @Test
        void setbitKeepsTheTtl() {
            t.exec("SET", "k", "a", "PXAT", "4000000000000");
            t.exec("SETBIT", "k", "0", "1");
            assertThat(t.exec("PEXPIRETIME", "k")).isEqualTo(num(4000000000000L));
        }

        @Test
        void offsetsAndBitValuesAreChecked() {
            Reply offset = Reply.error("ERR bit offset is not an integer or out of range");
            Reply bit = Reply.error("ERR bit is not an integer or out of range");
            assertThat(t.exec("SETBIT", "k", "-1", "1")).isEqualTo(offset);
            assertThat(t.exec("SETBIT", "k", "4294967296", "1")).isEqualTo(offset);
            assertThat(t.exec("SETBIT", "k", "abc", "1")).isEqualTo(offset);
            assertThat(t.exec("SETBIT", "k", "#1", "1")).isEqualTo(offset);
            assertThat(t.exec("SETBIT", "k", "1", "2")).isEqualTo(bit);
            assertThat(t.exec("SETBIT", "k", "1", "-1")).isEqualTo(bit);
            assertThat(t.exec("SETBIT", "k", "1", "x")).isEqualTo(bit);
            assertThat(t.exec("GETBIT", "k", "-1")).isEqualTo(offset);
            assertThat(t.exec("GETBIT", "k", "4294967296")).isEqualTo(offset);
            assertThat(t.exec("EXISTS", "k")).isEqualTo(num(0));
        }

        @Test
        void getbitReadsTheDigitsOfAnInteger() {
            t.exec("SET", "k", "1"); // '1' = 0x31 = 00110001
            assertThat(t.exec("GETBIT", "k", "2")).isEqualTo(num(1));
            assertThat(t.exec("GETBIT", "k", "1")).isEqualTo(num(0));
            assertThat(t.exec("GETBIT", "k", "7")).isEqualTo(num(1));
        }
    }

    @Nested
    @DisplayName("BITCOUNT and BITPOS")
    class CountAndPos {
        @Test
        void bitcountCountsBytesOrBitRanges() {
            t.exec("SET", "k", "foobar");
            assertThat(t.exec("BITCOUNT", "k")).isEqualTo(num(26));
            assertThat(t.exec("BITCOUNT", "k", "0", "0")).isEqualTo(num(4));
            assertThat(t.exec("BITCOUNT", "k", "1", "1")).isEqualTo(num(6));
            assertThat(t.exec("BITCOUNT", "k", "1", "1", "BYTE")).isEqualTo(num(6));
            assertThat(t.exec("BITCOUNT", "k", "5", "30", "BIT")).isEqualTo(num(17));
            assertThat(t.exec("BITCOUNT", "k", "-2", "-1")).isEqualTo(num(7));
            assertThat(t.exec("BITCOUNT", "k", "-1", "-2")).isEqualTo(num(0));
            assertThat(t.exec("BITCOUNT", "k", "3", "3", "bit")).isEqualTo(num(0));
            assertThat(t.exec("BITCOUNT", "k", "1", "6", "bit")).isEqualTo(num(4));
        }

        @Test
        void bitcountLooksTheKeyUpBeforeItsArguments() {
            assertThat(t.exec("BITCOUNT", "none", "0")).isEqualTo(num(0));
            assertThat(t.exec("BITCOUNT", "none", "a", "b")).isEqualTo(num(0));
            t.exec("SET", "k", "a");
            assertThat(t.exec("BITCOUNT", "k", "0")).isEqualTo(SYNTAX);
            assertThat(t.exec("BITCOUNT", "k", "a", "b")).isEqualTo(NOT_INTEGER);
            assertThat(t.exec("BITCOUNT", "k", "0", "1", "foo")).isEqualTo(SYNTAX);
            assertThat(t.exec("BITCOUNT", "k", "0", "1", "bit", "x")).isEqualTo(SYNTAX);
        }

        @Test
        void bitposFindsTheFirstSetOrClearBit() {
            t.exec(new byte[][] {"SET".getBytes(), "k".getBytes(), {(byte) 0xff, (byte) 0xf0, 0}});
            assertThat(t.exec("BITPOS", "k", "0")).isEqualTo(num(12));
            assertThat(t.exec("BITPOS", "k", "1", "1")).isEqualTo(num(8));
            assertThat(t.exec("BITPOS", "k", "1", "2")).isEqualTo(num(-1));
            assertThat(t.exec("BITPOS", "k", "0", "0", "0")).isEqualTo(num(-1));
            assertThat(t.exec("BITPOS", "k", "1", "7", "15", "BIT")).isEqualTo(num(7));
            assertThat(t.exec("BITPOS", "k", "0", "7", "15", "BIT")).isEqualTo(num(12));
            assertThat(t.exec("BITPOS", "k", "0", "2", "-1", "BYTE")).isEqualTo(num(16));
            assertThat(t.exec("BITPOS", "k", "0", "1", "0")).isEqualTo(num(-1));
        }

        @Test
        void bitposWithoutAnEndTreatsTheStringAsZeroPadded() {
            t.exec(new byte[][] {"SET".getBytes(), "k".getBytes(), {(byte) 0xff, (byte) 0xff}});
            assertThat(t.exec("BITPOS", "k", "0")).isEqualTo(num(16));
            assertThat(t.exec("BITPOS", "k", "0", "1")).isEqualTo(num(16));
            assertThat(t.exec("BITPOS", "k", "0", "1", "-1")).isEqualTo(num(-1));
            assertThat(t.exec("BITPOS", "none", "0")).isEqualTo(num(0));
            assertThat(t.exec("BITPOS", "none", "1")).isEqualTo(num(-1));
            t.exec("SET", "empty", "");
            assertThat(t.exec("BITPOS", "empty", "0")).isEqualTo(num(-1));
        }

        @Test
        void bitposErrorsInRedisOrder() {
            assertThat(t.exec("BITPOS", "none", "2")).isEqualTo(Reply.error("ERR The bit argument must be 1 or 0."));
            assertThat(t.exec("BITPOS", "none", "x")).isEqualTo(NOT_INTEGER);
            assertThat(t.exec("BITPOS", "none", "1", "a")).isEqualTo(num(-1));
            t.exec("SET", "k", "a");
            assertThat(t.exec("BITPOS", "k", "1", "a")).isEqualTo(NOT_INTEGER);
            assertThat(t.exec("BITPOS", "k", "1", "0", "a", "foo")).isEqualTo(SYNTAX);
            assertThat(t.exec("BITPOS", "k", "1", "0", "a", "bit")).isEqualTo(NOT_INTEGER);
            assertThat(t.exec("BITPOS", "k", "1", "0", "1", "bit", "x")).isEqualTo(SYNTAX);
        }
    }

    @Nested
    @DisplayName("BITOP")
    class Bitop {
        @Test
        void operationsPadShorterStringsWithZeros() {
            t.exec(new byte[][] {"SET".getBytes(), "a".getBytes(), {(byte) 0xf0, 0x0f}});
            t.exec(new byte[][] {"SET".getBytes(), "b".getBytes(), {(byte) 0xff}});
            assertThat(t.exec("BITOP", "AND", "d", "a", "b")).isEqualTo(num(2));
            assertThat(t.exec("GET", "d")).isEqualTo(Reply.bulk(new byte[] {(byte) 0xf0, 0}));
            assertThat(t.exec("BITOP", "or", "d", "a", "b", "none")).isEqualTo(num(2));
            assertThat(t.exec("GET", "d")).isEqualTo(Reply.bulk(new byte[] {(byte) 0xff, 0x0f}));
            assertThat(t.exec("BITOP", "XOR", "d", "a", "b")).isEqualTo(num(2));
            assertThat(t.exec("GET", "d")).isEqualTo(Reply.bulk(new byte[] {0x0f, 0x0f}));
            assertThat(t.exec("BITOP", "NOT", "d", "a")).isEqualTo(num(2));
            assertThat(t.exec("GET", "d")).isEqualTo(Reply.bulk(new byte[] {0x0f, (byte) 0xf0}));
            assertThat(encodingOf("d")).isEqualTo("raw");
        }

        @Test
        void anEmptyResultDeletesTheDestination() {
            t.exec("SET", "d", "x", "PXAT", "4000000000000");
            t.exec("SET", "e", "");
            assertThat(t.exec("BITOP", "AND", "d", "none", "e")).isEqualTo(num(0));
            assertThat(t.exec("EXISTS", "d")).isEqualTo(num(0));
            assertThat(t.exec("BITOP", "AND", "d", "none")).isEqualTo(num(0));
            assertThat(t.propagatedText()).containsExactly("0 SET d x PXAT 4000000000000", "0 SET e ",
                    "0 BITOP AND d none e");
        }

        @Test
        void theDestinationLosesItsTtlAndMayHaveHeldAnotherType() {
            t.exec("SET", "d", "x", "PXAT", "4000000000000");
            t.exec("SET", "s", "1");
            t.exec("BITOP", "OR", "d", "s");
            assertThat(t.exec("PEXPIRETIME", "d")).isEqualTo(num(-1));
            assertThat(encodingOf("d")).isEqualTo("raw");
            putList("l");
            assertThat(t.exec("BITOP", "OR", "l", "s")).isEqualTo(num(1));
            assertThat(t.exec("GET", "l")).isEqualTo(bulk("1"));
        }

        @Test
        void errors() {
            assertThat(t.exec("BITOP", "NAND", "d", "a")).isEqualTo(SYNTAX);
            assertThat(t.exec("BITOP", "NOT", "d", "a", "b")).isEqualTo(
                    Reply.error("ERR BITOP NOT must be called with a single source key."));
            assertThat(t.exec("BITOP", "AND", "d")).isEqualTo(
                    Reply.error("ERR wrong number of arguments for 'bitop' command"));
        }
    }
}
