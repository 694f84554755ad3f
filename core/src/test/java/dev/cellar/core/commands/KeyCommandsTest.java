package dev.cellar.core.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Reply;
import dev.cellar.core.testing.TestEngine;
import dev.cellar.core.values.ValueType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class KeyCommandsTest {
    private final TestEngine t = TestEngine.create();

    @AfterEach
    void close() {
        t.close();
    }

    private static Reply i(long v) {
        return Reply.of(v);
    }

    private static Reply err(String m) {
        return Reply.error(m);
    }

    private List<String> scanAll(String... options) {
        List<String> keys = new ArrayList<>();
        String cursor = "0";
        do {
            String[] argv = new String[2 + options.length];
            argv[0] = "SCAN";
            argv[1] = cursor;
            System.arraycopy(options, 0, argv, 2, options.length);
            List<Reply> r = ((Reply.Array) t.exec(argv)).items();
            cursor = ((Reply.Bulk) r.get(0)).text();
            for (Reply k : ((Reply.Array) r.get(1)).items()) {
                keys.add(((Reply.Bulk) k).text());
            }
        } while (!cursor.equals("0"));
        return keys;
    }

    @Nested
    class DelUnlinkExistsTouch {
        @Test
        void delAndUnlinkCountDeletedKeysAndPropagateUnderTheirOwnNames() {
            t.exec("SET", "a", "1");
            t.exec("SET", "b", "1");
            t.exec("SET", "c", "1");
            assertThat(t.exec("DEL", "a", "a", "x")).isEqualTo(i(1));
            assertThat(t.exec("UNLINK", "b", "c", "x")).isEqualTo(i(2));
            assertThat(t.exec("UNLINK", "b")).isEqualTo(i(0));
            assertThat(t.propagatedText()).containsExactly("0 SET a 1", "0 SET b 1", "0 SET c 1", "0 DEL a a x",
                    "0 UNLINK b c x");
        }

        @Test
        void existsAndTouchCountRepeatedKeysEachTime() {
            t.exec("SET", "a", "1");
            assertThat(t.exec("EXISTS", "a", "a", "b")).isEqualTo(i(2));
            assertThat(t.exec("TOUCH", "a", "a", "b")).isEqualTo(i(2));
            assertThat(t.propagatedText()).containsExactly("0 SET a 1");
        }

        @Test
        void touchResetsIdleTime() {
            t.exec("SET", "a", "1");
            t.clock.advance(10_000);
            assertThat(t.exec("OBJECT", "IDLETIME", "a")).isEqualTo(i(10));
            t.exec("TOUCH", "a");
            assertThat(t.exec("OBJECT", "IDLETIME", "a")).isEqualTo(i(0));
        }

        @Test
        void typeNamesEveryType() {
            t.exec("SET", "s", "1");
            KeyTestValue.insert(t, 0, "l", ValueType.LIST, "x");
            KeyTestValue.insert(t, 0, "h", ValueType.HASH, "x");
            KeyTestValue.insert(t, 0, "z", ValueType.ZSET, "x");
            KeyTestValue.insert(t, 0, "st", ValueType.SET, "x");
            assertThat(t.exec("TYPE", "s")).isEqualTo(new Reply.Simple("string"));
            assertThat(t.exec("TYPE", "l")).isEqualTo(new Reply.Simple("list"));
            assertThat(t.exec("TYPE", "h")).isEqualTo(new Reply.Simple("hash"));
            assertThat(t.exec("TYPE", "z")).isEqualTo(new Reply.Simple("zset"));
            assertThat(t.exec("TYPE", "st")).isEqualTo(new Reply.Simple("set"));
            assertThat(t.exec("TYPE", "none")).isEqualTo(new Reply.Simple("none"));
        }
    }

    @Nested
    class Enumeration {
        @Test
        void dbsizeCountsExpiredKeysNotYetReclaimedAsRedisDoes() {
            t.exec("SET", "a", "1", "PX", "10");
            t.exec("SET", "b", "1");
            t.clock.advance(20);
            assertThat(t.exec("DBSIZE")).isEqualTo(i(2));
            assertThat(t.exec("EXISTS", "a")).isEqualTo(i(0));
            assertThat(t.exec("DBSIZE")).isEqualTo(i(1));
        }

        @Test
        void keysSkipsExpiredKeysWithoutDeletingThem() {
            t.exec("SET", "a", "1", "PX", "10");
            t.exec("SET", "b", "1");
            t.exec("SET", "ab", "1");
            t.clock.advance(20);
            assertThat(t.exec("KEYS", "a*")).isEqualTo(Reply.array(List.of(Reply.bulk("ab"))));
            assertThat(t.exec("DBSIZE")).isEqualTo(i(3));
            assertThat(t.propagatedText()).noneMatch(l -> l.contains("DEL"));
        }

        @Test
        void scanReturnsEveryKeyOnceOnAStableTable() {
            Set<String> expected = new HashSet<>();
            for (int n = 0; n < 500; n++) {
                t.exec("SET", "k" + n, "v");
                expected.add("k" + n);
            }
            List<String> seen = scanAll();
            assertThat(seen).hasSize(500);
            assertThat(new HashSet<>(seen)).isEqualTo(expected);
            assertThat(scanAll("COUNT", "1000")).hasSize(500);
        }

        @Test
        void scanFiltersByPatternAndType() {
            t.exec("SET", "s1", "1");
            t.exec("SET", "s2", "1");
            t.exec("SET", "x", "1");
            KeyTestValue.insert(t, 0, "l1", ValueType.LIST, "x");
            KeyTestValue.insert(t, 0, "h1", ValueType.HASH, "x");
            assertThat(scanAll("MATCH", "s*")).containsExactlyInAnyOrder("s1", "s2");
            assertThat(scanAll("TYPE", "LIST")).containsExactly("l1");
            assertThat(scanAll("TYPE", "string", "MATCH", "*1")).containsExactly("s1");
            assertThat(scanAll("TYPE", "nosuchtype")).isEmpty();
            assertThat(scanAll("MATCH", "*", "COUNT", "1")).hasSize(5);
        }

        @Test
        void scanReclaimsExpiredKeysAndPropagatesDel() {
            t.exec("SET", "a", "1", "PX", "10");
            t.exec("SET", "b", "1");
            t.clock.advance(20);
            assertThat(scanAll()).containsExactly("b");
            assertThat(t.exec("DBSIZE")).isEqualTo(i(1));
            assertThat(t.propagatedText()).last().isEqualTo("0 DEL a");
        }

        @Test
        void scanRejectsBadCursorsAndOptions() {
            assertThat(t.exec("SCAN", "x")).isEqualTo(err("ERR invalid cursor"));
            assertThat(t.exec("SCAN", " 0")).isEqualTo(err("ERR invalid cursor"));
            assertThat(t.exec("SCAN", "0 ")).isEqualTo(err("ERR invalid cursor"));
            assertThat(t.exec("SCAN", "0x1")).isEqualTo(err("ERR invalid cursor"));
            assertThat(t.exec("SCAN", "-")).isEqualTo(err("ERR invalid cursor"));
            assertThat(t.exec("SCAN", "18446744073709551616")).isEqualTo(err("ERR invalid cursor"));
            assertThat(t.exec("SCAN", "0", "COUNT", "0")).isEqualTo(err("ERR syntax error"));
            assertThat(t.exec("SCAN", "0", "COUNT", "-1")).isEqualTo(err("ERR syntax error"));
            assertThat(t.exec("SCAN", "0", "COUNT", "x")).isEqualTo(err("ERR value is not an integer or out of range"));
            assertThat(t.exec("SCAN", "0", "MATCH")).isEqualTo(err("ERR syntax error"));
            assertThat(t.exec("SCAN", "0", "TYPE")).isEqualTo(err("ERR syntax error"));
            assertThat(t.exec("SCAN", "0", "FOO", "1")).isEqualTo(err("ERR syntax error"));
            assertThat(t.exec("SCAN")).isEqualTo(err("ERR wrong number of arguments for 'scan' command"));
        }

        @Test
        void scanCursorIsParsedLikeStrtoull() {
            assertThat(dev.cellar.core.engine.Args.parseScanCursor("".getBytes())).isZero();
            assertThat(dev.cellar.core.engine.Args.parseScanCursor("+7".getBytes())).isEqualTo(7);
            assertThat(dev.cellar.core.engine.Args.parseScanCursor("-1".getBytes())).isEqualTo(-1L);
            assertThat(dev.cellar.core.engine.Args.parseScanCursor("18446744073709551615".getBytes())).isEqualTo(-1L);
            assertThat(((Reply.Array) t.exec("SCAN", "18446744073709551615")).items().get(0))
                    .isEqualTo(Reply.bulk("0"));
        }

        @Test
        void randomkeyReturnsNullWhenEmptyAndSkipsExpiredKeys() {
            assertThat(t.exec("RANDOMKEY")).isEqualTo(Reply.NULL);
            for (int n = 0; n < 20; n++) {
                t.exec("SET", "gone" + n, "1", "PX", "10");
            }
            t.exec("SET", "live", "1");
            t.clock.advance(20);
            assertThat(t.exec("RANDOMKEY")).isEqualTo(Reply.bulk("live"));
        }
    }

    @Nested
    class Rename {
        @Test
        void renameMovesValueAndKeepsTtl() {
            t.exec("SET", "a", "v", "EX", "100");
            assertThat(t.exec("RENAME", "a", "b")).isEqualTo(Reply.OK);
            assertThat(t.exec("GET", "b")).isEqualTo(Reply.bulk("v"));
            assertThat(t.exec("EXISTS", "a")).isEqualTo(i(0));
            assertThat(t.exec("TTL", "b")).isEqualTo(i(100));
        }

        @Test
        void renameOverwritesTargetAndItsTtl() {
            t.exec("SET", "a", "v");
            t.exec("SET", "b", "w", "EX", "100");
            assertThat(t.exec("RENAME", "a", "b")).isEqualTo(Reply.OK);
            assertThat(t.exec("TTL", "b")).isEqualTo(i(-1));
            assertThat(t.exec("GET", "b")).isEqualTo(Reply.bulk("v"));
        }

        @Test
        void renamenxRefusesExistingTarget() {
            t.exec("SET", "a", "v");
            t.exec("SET", "b", "w");
            assertThat(t.exec("RENAMENX", "a", "b")).isEqualTo(i(0));
            assertThat(t.exec("RENAMENX", "a", "c")).isEqualTo(i(1));
            assertThat(t.exec("GET", "c")).isEqualTo(Reply.bulk("v"));
        }

        @Test
        void missingSourceIsAnErrorEvenOntoItself() {
            assertThat(t.exec("RENAME", "x", "y")).isEqualTo(err("ERR no such key"));
            assertThat(t.exec("RENAMENX", "x", "y")).isEqualTo(err("ERR no such key"));
            assertThat(t.exec("RENAME", "x", "x")).isEqualTo(err("ERR no such key"));
        }

        @Test
        void renameOntoItselfIsANoOp() {
            t.exec("SET", "a", "v", "EX", "100");
            assertThat(t.exec("RENAME", "a", "a")).isEqualTo(Reply.OK);
            assertThat(t.exec("RENAMENX", "a", "a")).isEqualTo(i(0));
            assertThat(t.exec("TTL", "a")).isEqualTo(i(100));
            assertThat(t.propagatedText()).hasSize(1);
        }

        @Test
        void expiredSourceIsMissing() {
            t.exec("SET", "a", "v", "PX", "10");
            t.clock.advance(10);
            assertThat(t.exec("RENAME", "a", "b")).isEqualTo(err("ERR no such key"));
        }

        @Test
        void renameKeepsEncodingOfEveryStringKind() {
            t.exec("SET", "i", "123");
            t.exec("SET", "e", "short");
            t.exec("SET", "r", "x".repeat(45));
            t.exec("RENAME", "i", "i2");
            t.exec("RENAME", "e", "e2");
            t.exec("RENAME", "r", "r2");
            assertThat(t.exec("OBJECT", "ENCODING", "i2")).isEqualTo(Reply.bulk("int"));
            assertThat(t.exec("OBJECT", "ENCODING", "e2")).isEqualTo(Reply.bulk("embstr"));
            assertThat(t.exec("OBJECT", "ENCODING", "r2")).isEqualTo(Reply.bulk("raw"));
        }
    }

    @Nested
    class MoveAndCopy {
        @Test
        void moveCarriesValueAndTtlToAnotherDatabase() {
            t.exec("SET", "a", "v", "EX", "100");
            assertThat(t.exec("MOVE", "a", "3")).isEqualTo(i(1));
            assertThat(t.exec("EXISTS", "a")).isEqualTo(i(0));
            t.exec("SELECT", "3");
            assertThat(t.exec("GET", "a")).isEqualTo(Reply.bulk("v"));
            assertThat(t.exec("TTL", "a")).isEqualTo(i(100));
        }

        @Test
        void moveRefusesExistingTargetAndMissingSource() {
            t.exec("SET", "a", "v");
            t.exec("SELECT", "1");
            t.exec("SET", "a", "w");
            t.exec("SELECT", "0");
            assertThat(t.exec("MOVE", "a", "1")).isEqualTo(i(0));
            assertThat(t.exec("MOVE", "nokey", "1")).isEqualTo(i(0));
            assertThat(t.exec("GET", "a")).isEqualTo(Reply.bulk("v"));
        }

        @Test
        void moveErrors() {
            t.exec("SET", "a", "v");
            assertThat(t.exec("MOVE", "a", "0")).isEqualTo(err("ERR source and destination objects are the same"));
            assertThat(t.exec("MOVE", "a", "x")).isEqualTo(err("ERR value is not an integer or out of range"));
            assertThat(t.exec("MOVE", "a", "16")).isEqualTo(err("ERR DB index is out of range"));
            assertThat(t.exec("MOVE", "a", "-1")).isEqualTo(err("ERR DB index is out of range"));
            assertThat(t.exec("MOVE", "a", "9999999999")).isEqualTo(err(KeyCommands.INT_RANGE));
        }

        @Test
        void copyDuplicatesValueAndTtl() {
            t.exec("SET", "a", "v", "EX", "100");
            assertThat(t.exec("COPY", "a", "b")).isEqualTo(i(1));
            assertThat(t.exec("GET", "b")).isEqualTo(Reply.bulk("v"));
            assertThat(t.exec("TTL", "b")).isEqualTo(i(100));
            assertThat(t.exec("COPY", "a", "b")).isEqualTo(i(0));
            t.exec("SET", "a", "v2");
            assertThat(t.exec("COPY", "a", "b", "REPLACE")).isEqualTo(i(1));
            assertThat(t.exec("TTL", "b")).isEqualTo(i(-1));
            assertThat(t.exec("COPY", "a", "c", "DB", "2")).isEqualTo(i(1));
            t.exec("SELECT", "2");
            assertThat(t.exec("GET", "c")).isEqualTo(Reply.bulk("v2"));
        }

        @Test
        void copyOfACollectionIsDeep() {
            KeyTestValue original = KeyTestValue.insert(t, 0, "l", ValueType.LIST, "x", "y");
            assertThat(t.exec("COPY", "l", "l2", "DB", "1")).isEqualTo(i(1));
            KeyTestValue copy = t.cellar.withLock(() ->
                    (KeyTestValue) t.cellar.engine().db(1).lookupReadNoTouch("l2".getBytes()));
            assertThat(copy).isNotSameAs(original);
            original.elements.get(0)[0] = 'Z';
            original.elements.add("more".getBytes());
            assertThat(copy.elements).hasSize(2);
            assertThat(new String(copy.elements.get(0))).isEqualTo("x");
        }

        @Test
        void copyErrors() {
            t.exec("SET", "k", "v");
            assertThat(t.exec("COPY", "k", "k")).isEqualTo(err("ERR source and destination objects are the same"));
            assertThat(t.exec("COPY", "k", "k", "DB", "0")).isEqualTo(err("ERR source and destination objects are the same"));
            assertThat(t.exec("COPY", "k", "k2", "DB", "x")).isEqualTo(err("ERR value is not an integer or out of range"));
            assertThat(t.exec("COPY", "k", "k2", "DB", "99")).isEqualTo(err("ERR DB index is out of range"));
            assertThat(t.exec("COPY", "k", "k2", "DB", "9999999999")).isEqualTo(err(KeyCommands.INT_RANGE));
            assertThat(t.exec("COPY", "k", "k2", "DB")).isEqualTo(err("ERR syntax error"));
            assertThat(t.exec("COPY", "k", "k2", "foo")).isEqualTo(err("ERR syntax error"));
            assertThat(t.exec("COPY", "k", "k2", "DB", "99", "foo")).isEqualTo(err("ERR DB index is out of range"));
            assertThat(t.exec("COPY", "k", "k", "DB", "1")).isEqualTo(i(1));
        }
    }

    @Nested
    class WholeDatabases {
        @Test
        void swapdbExchangesContentsAndInvalidatesWatch() {
            var other = t.cellar.newSession();
            t.exec("SET", "a", "in0");
            t.exec("SELECT", "1");
            t.exec("SET", "b", "in1", "EX", "50");
            t.exec("SELECT", "0");
            t.exec("WATCH", "b");
            assertThat(t.execOther(other, "SWAPDB", "0", "1")).isEqualTo(Reply.OK);
            assertThat(t.exec("GET", "b")).isEqualTo(Reply.bulk("in1"));
            assertThat(t.exec("TTL", "b")).isEqualTo(i(50));
            t.exec("MULTI");
            t.exec("GET", "a");
            assertThat(t.exec("EXEC")).isEqualTo(Reply.NULL_ARRAY);
            t.exec("SELECT", "1");
            assertThat(t.exec("GET", "a")).isEqualTo(Reply.bulk("in0"));
            assertThat(t.propagatedText()).contains("0 SWAPDB 0 1");
        }

        @Test
        void swapdbOfADatabaseWithItselfLeavesWatchAlone() {
            t.exec("SET", "a", "1");
            t.exec("WATCH", "a");
            assertThat(t.exec("SWAPDB", "0", "0")).isEqualTo(Reply.OK);
            t.exec("MULTI");
            t.exec("GET", "a");
            assertThat(t.exec("EXEC")).isEqualTo(Reply.array(List.of(Reply.bulk("1"))));
            assertThat(t.propagatedText()).last().isEqualTo("0 SWAPDB 0 0");
        }

        @Test
        void swapdbErrors() {
            assertThat(t.exec("SWAPDB", "a", "1")).isEqualTo(err("ERR invalid first DB index"));
            assertThat(t.exec("SWAPDB", "1", "a")).isEqualTo(err("ERR invalid second DB index"));
            assertThat(t.exec("SWAPDB", "9999999999", "0")).isEqualTo(err("ERR invalid first DB index"));
            assertThat(t.exec("SWAPDB", "0", "99")).isEqualTo(err("ERR DB index is out of range"));
            assertThat(t.exec("SWAPDB", "-1", "0")).isEqualTo(err("ERR DB index is out of range"));
        }

        @Test
        void flushdbEmptiesOnlyTheSelectedDatabaseAndIsAlwaysPropagated() {
            t.exec("SET", "a", "1");
            t.exec("SELECT", "1");
            t.exec("SET", "b", "1");
            assertThat(t.exec("FLUSHDB")).isEqualTo(Reply.OK);
            assertThat(t.exec("DBSIZE")).isEqualTo(i(0));
            assertThat(t.exec("FLUSHDB", "async")).isEqualTo(Reply.OK);
            t.exec("SELECT", "0");
            assertThat(t.exec("DBSIZE")).isEqualTo(i(1));
            assertThat(t.propagatedText()).containsSubsequence("1 FLUSHDB", "1 FLUSHDB async");
        }

        @Test
        void flushallEmptiesEverythingAndIsAlwaysPropagated() {
            t.exec("SET", "a", "1");
            t.exec("SELECT", "5");
            t.exec("SET", "b", "1");
            assertThat(t.exec("FLUSHALL", "SYNC")).isEqualTo(Reply.OK);
            assertThat(t.exec("FLUSHALL")).isEqualTo(Reply.OK);
            assertThat(t.exec("DBSIZE")).isEqualTo(i(0));
            t.exec("SELECT", "0");
            assertThat(t.exec("DBSIZE")).isEqualTo(i(0));
            assertThat(t.propagatedText()).endsWith("5 FLUSHALL SYNC", "5 FLUSHALL");
        }

        @Test
        void flushErrors() {
            assertThat(t.exec("FLUSHDB", "x")).isEqualTo(err("ERR syntax error"));
            assertThat(t.exec("FLUSHDB", "async", "sync")).isEqualTo(err("ERR syntax error"));
            assertThat(t.exec("FLUSHALL", "x")).isEqualTo(err("ERR syntax error"));
        }

        @Test
        void flushInvalidatesWatch() {
            var other = t.cellar.newSession();
            t.exec("SET", "a", "1");
            t.exec("WATCH", "a");
            t.execOther(other, "FLUSHALL");
            t.exec("MULTI");
            t.exec("SET", "x", "1");
            assertThat(t.exec("EXEC")).isEqualTo(Reply.NULL_ARRAY);
        }

        @Test
        void flushInsideMultiKeepsMemoryAccountsRight() {
            long empty = t.cellar.withLock(() -> t.cellar.engine().usedMemory());
            t.exec("SET", "z", "1");
            t.exec("MULTI");
            t.exec("SET", "a", "x".repeat(100));
            t.exec("SELECT", "1");
            t.exec("SET", "b", "x".repeat(100));
            t.exec("SELECT", "0");
            t.exec("FLUSHDB");
            t.exec("SET", "c", "y");
            t.exec("EXEC");
            long after = t.cellar.withLock(() -> t.cellar.engine().usedMemory());
            t.exec("FLUSHALL");
            assertThat(t.cellar.withLock(() -> t.cellar.engine().usedMemory())).isEqualTo(empty);
            assertThat(after).isGreaterThan(empty + 100);
        }
    }
}
