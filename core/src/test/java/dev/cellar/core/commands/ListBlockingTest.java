package dev.cellar.core.commands;

import static dev.cellar.core.commands.ListCommandsTest.WRONGTYPE;
import static dev.cellar.core.commands.ListCommandsTest.arr;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Reply;
import dev.cellar.core.engine.Session;
import dev.cellar.core.testing.ReplayCheck;
import dev.cellar.core.testing.TestEngine;
import dev.cellar.core.values.RValue;
import dev.cellar.core.values.ValueType;
import dev.cellar.spi.persistence.DataValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** BLPOP, BRPOP, BLMOVE, BRPOPLPUSH and BLMPOP: immediate, blocked, served, timed out, inside MULTI. */
class ListBlockingTest {
    final TestEngine t = TestEngine.create();

    @AfterEach
    void close() {
        t.close();
    }

    /** A second client whose late replies are collected. */
    final class Client {
        final Session session = t.cellar.newSession();
        final List<Reply> late = Collections.synchronizedList(new ArrayList<>());

        Client() {
            session.setReplyListener(late::add);
        }

        Reply exec(String... argv) {
            return t.execOther(session, argv);
        }
    }

    static Reply pair(String key, String value) {
        return Reply.array(List.of(Reply.bulk(key), Reply.bulk(value)));
    }

    static Reply keyed(String key, String... values) {
        return Reply.array(List.of(Reply.bulk(key), arr(values)));
    }

    @Test
    void nonEmptyListsAnswerAtOnceAndPropagateTheNonBlockingForm() {
        t.exec("RPUSH", "k", "1", "2", "3", "4", "5", "6", "7");
        assertThat(t.exec("BLPOP", "none", "k", "0")).isEqualTo(pair("k", "1"));
        assertThat(t.exec("BRPOP", "k", "0")).isEqualTo(pair("k", "7"));
        assertThat(t.exec("BLMPOP", "0", "2", "none", "k", "RIGHT", "COUNT", "2")).isEqualTo(keyed("k", "6", "5"));
        assertThat(t.exec("BLMOVE", "k", "d", "LEFT", "Right", "0")).isEqualTo(Reply.bulk("2"));
        assertThat(t.exec("BRPOPLPUSH", "k", "d", "0")).isEqualTo(Reply.bulk("4"));
        assertThat(t.exec("BLMPOP", "0.01", "1", "k", "LEFT", "COUNT", "9")).isEqualTo(keyed("k", "3"));
        assertThat(t.propagatedText()).containsExactly(
                "0 RPUSH k 1 2 3 4 5 6 7", "0 LPOP k", "0 RPOP k", "0 RPOP k 2", "0 LMOVE k d LEFT Right",
                "0 RPOPLPUSH k d", "0 LPOP k 1");
        assertThat(t.exec("LRANGE", "d", "0", "-1")).isEqualTo(arr("4", "2"));
    }

    @Test
    void lmpopPropagatesAsPopWithTheNumberPopped() {
        t.exec("RPUSH", "k", "1", "2", "3");
        t.exec("LMPOP", "1", "k", "LEFT", "COUNT", "2");
        t.exec("LMPOP", "1", "k", "RIGHT", "COUNT", "5");
        assertThat(t.propagatedText()).containsExactly("0 RPUSH k 1 2 3", "0 LPOP k 2", "0 RPOP k 1");
    }

    @Test
    void aBlockedPopIsServedWhenAnotherClientPushes() {
        assertThat(t.exec("BLPOP", "k", "0")).isSameAs(Session.BLOCKED);
        Client other = new Client();
        assertThat(other.exec("RPUSH", "k", "a", "b")).isEqualTo(Reply.of(2));
        assertThat(t.lateReplies).containsExactly(pair("k", "a"));
        assertThat(t.exec("LRANGE", "k", "0", "-1")).isEqualTo(arr("b"));
        assertThat(t.propagatedText()).containsExactly("0 RPUSH k a b", "0 LPOP k");
        ReplayCheck.assertReplayMatches(t);
    }

    @Test
    void severalWaitersAreServedInTheOrderTheyBlocked() {
        Client a = new Client();
        Client b = new Client();
        Client c = new Client();
        assertThat(a.exec("BLPOP", "w", "0")).isSameAs(Session.BLOCKED);
        assertThat(b.exec("BRPOP", "w", "0")).isSameAs(Session.BLOCKED);
        assertThat(c.exec("BLPOP", "w", "0")).isSameAs(Session.BLOCKED);
        t.exec("LPUSH", "w", "1", "2");
        assertThat(a.late).containsExactly(pair("w", "2"));
        assertThat(b.late).containsExactly(pair("w", "1"));
        assertThat(c.late).isEmpty();
        assertThat(t.exec("EXISTS", "w")).isEqualTo(Reply.ZERO);
        t.exec("RPUSH", "w", "3");
        assertThat(c.late).containsExactly(pair("w", "3"));
        assertThat(t.propagatedText()).containsExactly(
                "0 LPUSH w 1 2", "0 LPOP w", "0 RPOP w", "0 RPUSH w 3", "0 LPOP w");
    }

    @Test
    void blmoveChainsServeEachOther() {
        Client a = new Client();
        Client b = new Client();
        assertThat(a.exec("BLMOVE", "c1", "c2", "LEFT", "RIGHT", "0")).isSameAs(Session.BLOCKED);
        assertThat(b.exec("BLMOVE", "c2", "c3", "LEFT", "RIGHT", "0")).isSameAs(Session.BLOCKED);
        t.exec("RPUSH", "c1", "v");
        assertThat(a.late).containsExactly(Reply.bulk("v"));
        assertThat(b.late).containsExactly(Reply.bulk("v"));
        assertThat(t.exec("KEYS", "*")).isEqualTo(arr("c3"));
        // served BLMOVE propagates with Redis's lower-case side names
        assertThat(t.propagatedText()).containsExactly(
                "0 RPUSH c1 v", "0 LMOVE c1 c2 left right", "0 LMOVE c2 c3 left right");
        ReplayCheck.assertReplayMatches(t);
    }

    @Test
    void servedBrpoplpushAndBlmpopPropagateTheirNonBlockingForms() {
        Client a = new Client();
        Client b = new Client();
        assertThat(a.exec("BLMPOP", "0", "2", "m1", "m2", "RIGHT", "COUNT", "2")).isSameAs(Session.BLOCKED);
        assertThat(b.exec("BRPOPLPUSH", "m2", "m3", "0")).isSameAs(Session.BLOCKED);
        t.exec("RPUSH", "m2", "1", "2", "3");
        assertThat(a.late).containsExactly(keyed("m2", "3", "2"));
        assertThat(b.late).containsExactly(Reply.bulk("1"));
        assertThat(t.propagatedText()).containsExactly("0 RPUSH m2 1 2 3", "0 RPOP m2 2", "0 RPOPLPUSH m2 m3");
    }

    @Test
    void aServedBlmpopPopsNoMoreThanTheListHolds() {
        Client a = new Client();
        a.exec("BLMPOP", "0", "1", "bm", "LEFT", "COUNT", "5");
        t.exec("RPUSH", "bm", "1", "2");
        assertThat(a.late).containsExactly(keyed("bm", "1", "2"));
        assertThat(t.propagatedText()).containsExactly("0 RPUSH bm 1 2", "0 LPOP bm 2");
    }

    @Test
    void aWaiterOnSeveralKeysIsServedFromTheKeyThatBecameReady() {
        Client a = new Client();
        a.exec("BLPOP", "q1", "q2", "0");
        t.exec("MULTI");
        t.exec("RPUSH", "q2", "x");
        t.exec("RPUSH", "q1", "y");
        t.exec("EXEC");
        assertThat(a.late).containsExactly(pair("q2", "x"));
        assertThat(t.propagatedText()).containsExactly(
                "0 MULTI", "0 RPUSH q2 x", "0 RPUSH q1 y", "0 EXEC", "0 LPOP q2");
    }

    @Test
    void aKeyPushedAndPoppedInOneTransactionServesNobody() {
        Client a = new Client();
        a.exec("BLPOP", "mm", "1");
        t.exec("MULTI");
        t.exec("RPUSH", "mm", "x");
        t.exec("LPOP", "mm");
        t.exec("EXEC");
        assertThat(a.late).isEmpty();
        t.clock.advance(1001);
        t.cron();
        assertThat(a.late).containsExactly(Reply.NULL_ARRAY);
    }

    @Test
    void aServedBlmoveIntoAWrongTypeGetsWrongTypeAndTheNextWaiterIsServed() {
        t.exec("SET", "str", "v");
        Client a = new Client();
        Client b = new Client();
        a.exec("BLMOVE", "s1", "str", "LEFT", "RIGHT", "0");
        b.exec("BLPOP", "s1", "0");
        t.exec("RPUSH", "s1", "x", "y");
        assertThat(a.late).containsExactly(WRONGTYPE);
        assertThat(b.late).containsExactly(pair("s1", "x"));
        assertThat(t.exec("LRANGE", "s1", "0", "-1")).isEqualTo(arr("y"));
    }

    @Test
    void blmoveOntoItsOwnSourceRotates() {
        Client a = new Client();
        a.exec("BLMOVE", "r", "r", "LEFT", "RIGHT", "0");
        t.exec("RPUSH", "r", "1", "2");
        assertThat(a.late).containsExactly(Reply.bulk("1"));
        assertThat(t.exec("LRANGE", "r", "0", "-1")).isEqualTo(arr("2", "1"));
        assertThat(t.propagatedText()).containsExactly("0 RPUSH r 1 2", "0 LMOVE r r left right");
    }

    @Test
    void aMoveIntoAKeyWithAWaiterServesIt() {
        Client a = new Client();
        Client b = new Client();
        a.exec("BLPOP", "dst", "0");
        b.exec("BRPOPLPUSH", "src", "dst", "0");
        t.exec("LPUSH", "src", "e");
        assertThat(b.late).containsExactly(Reply.bulk("e"));
        assertThat(a.late).containsExactly(pair("dst", "e"));
        assertThat(t.exec("EXISTS", "src", "dst")).isEqualTo(Reply.ZERO);
        assertThat(t.propagatedText()).containsExactly("0 LPUSH src e", "0 RPOPLPUSH src dst", "0 LPOP dst");
        ReplayCheck.assertReplayMatches(t);
    }

    @Test
    void waitersInAnotherDatabaseAreServedThere() {
        Client a = new Client();
        a.exec("SELECT", "3");
        a.exec("BLPOP", "d3", "0");
        t.exec("RPUSH", "d3", "zero");
        assertThat(a.late).isEmpty();
        t.exec("SELECT", "3");
        t.exec("RPUSH", "d3", "x");
        assertThat(a.late).containsExactly(pair("d3", "x"));
        assertThat(t.propagatedText()).containsExactly("0 RPUSH d3 zero", "3 RPUSH d3 x", "3 LPOP d3");
    }

    @Test
    void timeoutsAnswerTheNullArray() {
        Client a = new Client();
        Client b = new Client();
        Client c = new Client();
        Client d = new Client();
        a.exec("BLPOP", "e", "1");
        b.exec("BLMOVE", "e", "f", "LEFT", "LEFT", "1.5");
        c.exec("BRPOPLPUSH", "e", "f", "2");
        d.exec("BLMPOP", "0", "1", "e", "LEFT");
        t.clock.advance(1000);
        t.cron();
        assertThat(a.late).containsExactly(Reply.NULL_ARRAY);
        assertThat(b.late).isEmpty();
        t.clock.advance(500);
        t.cron();
        assertThat(b.late).containsExactly(Reply.NULL_ARRAY);
        t.clock.advance(500);
        t.cron();
        assertThat(c.late).containsExactly(Reply.NULL_ARRAY);
        t.clock.advance(1_000_000);
        t.cron();
        assertThat(d.late).isEmpty();
        assertThat(t.cellar.engine().blockedClients()).isEqualTo(1);
        t.exec("RPUSH", "e", "x");
        assertThat(d.late).containsExactly(keyed("e", "x"));
        assertThat(a.late).hasSize(1);
        assertThat(t.propagatedText()).containsExactly("0 RPUSH e x", "0 LPOP e 1");
    }

    @Test
    void insideMultiBlockingCommandsAnswerAsOnTimeout() {
        t.exec("MULTI");
        t.exec("BLPOP", "e", "0");
        t.exec("BRPOP", "e", "0");
        t.exec("BLMOVE", "e", "f", "LEFT", "LEFT", "0");
        t.exec("BRPOPLPUSH", "e", "f", "0");
        t.exec("BLMPOP", "0", "1", "e", "LEFT");
        assertThat(t.exec("EXEC")).isEqualTo(Reply.array(List.of(
                Reply.NULL_ARRAY, Reply.NULL_ARRAY, Reply.NULL, Reply.NULL, Reply.NULL_ARRAY)));
        assertThat(t.cellar.engine().blockedClients()).isZero();
        assertThat(t.propagatedText()).isEmpty();
    }

    @Test
    void insideMultiANonEmptyListIsPopped() {
        t.exec("RPUSH", "k", "a", "b");
        t.exec("MULTI");
        t.exec("BLPOP", "k", "0");
        t.exec("BLMOVE", "k", "d", "RIGHT", "LEFT", "0");
        assertThat(t.exec("EXEC")).isEqualTo(Reply.array(List.of(pair("k", "a"), Reply.bulk("b"))));
        assertThat(t.propagatedText()).containsExactly(
                "0 RPUSH k a b", "0 MULTI", "0 LPOP k", "0 LMOVE k d RIGHT LEFT", "0 EXEC");
    }

    @Test
    void aKeyNamedTwiceQueuesTheWaiterOnce() {
        Client a = new Client();
        a.exec("BLPOP", "k", "k", "0");
        t.exec("RPUSH", "k", "1");
        assertThat(a.late).containsExactly(pair("k", "1"));
        // blocked on another key now: a push to k must not run this command for k
        a.exec("BLPOP", "j", "0");
        t.exec("RPUSH", "k", "2");
        assertThat(a.late).hasSize(1);
        assertThat(t.exec("LRANGE", "k", "0", "-1")).isEqualTo(arr("2"));
        t.exec("RPUSH", "j", "3");
        assertThat(a.late).containsExactly(pair("k", "1"), pair("j", "3"));
    }

    @Test
    void aStringWrittenToTheKeyDoesNotWakeTheWaiter() {
        Client a = new Client();
        a.exec("BLPOP", "k", "0");
        t.exec("SET", "k", "v");
        assertThat(a.late).isEmpty();
        t.exec("DEL", "k");
        t.exec("RPUSH", "k", "x");
        assertThat(a.late).containsExactly(pair("k", "x"));
    }

    @Test
    void aKeyCreatedAsAnotherBlockingTypeKeepsListWaitersWaiting() {
        Client a = new Client();
        a.exec("BLPOP", "z", "0");
        t.cellar.withLock(() -> {
            t.cellar.engine().db(0).add("z".getBytes(), new FakeZSet());
            return null;
        });
        t.exec("PING");
        assertThat(a.late).isEmpty();
        t.exec("DEL", "z");
        t.exec("RPUSH", "z", "x");
        assertThat(a.late).containsExactly(pair("z", "x"));
    }

    @Test
    void timeoutErrors() {
        t.exec("RPUSH", "k", "a");
        Reply notFloat = Reply.error("ERR timeout is not a float or out of range");
        Reply negative = Reply.error("ERR timeout is negative");
        assertThat(t.exec("BLPOP", "k", "x")).isEqualTo(notFloat);
        assertThat(t.exec("BRPOP", "k", "-1")).isEqualTo(negative);
        assertThat(t.exec("BLMOVE", "k", "d", "LEFT", "LEFT", "x")).isEqualTo(notFloat);
        assertThat(t.exec("BRPOPLPUSH", "k", "d", "-0.5")).isEqualTo(negative);
        assertThat(t.exec("BLMPOP", "x", "1", "k", "LEFT")).isEqualTo(notFloat);
        assertThat(t.exec("LLEN", "k")).isEqualTo(Reply.ONE);
        // Redis 7.0 casts the rounded-up milliseconds to long long: too large comes out negative
        assertThat(t.exec("BLPOP", "e", "1e16")).isEqualTo(negative);
        assertThat(t.exec("BLPOP", "e", "inf")).isEqualTo(negative);
        assertThat(t.exec("BLPOP", "e", "nan")).isEqualTo(notFloat);
    }

    @Test
    void aTimeoutBelowOneMillisecondWaitsOneAndATinyNegativeOneForever() {
        Client a = new Client();
        Client b = new Client();
        a.exec("BLPOP", "e", "0.0001");
        b.exec("BLPOP", "e", "-0.0001");
        t.clock.advance(1);
        t.cron();
        assertThat(a.late).containsExactly(Reply.NULL_ARRAY);
        t.clock.advance(10_000_000);
        t.cron();
        assertThat(b.late).isEmpty();
        t.exec("RPUSH", "e", "x");
        assertThat(b.late).containsExactly(pair("e", "x"));
    }

    @Test
    void argumentErrors() {
        t.exec("SET", "s", "v");
        t.exec("RPUSH", "k", "a");
        assertThat(t.exec("BLPOP", "s", "k", "0")).isEqualTo(WRONGTYPE);
        assertThat(t.exec("BLPOP", "k", "s", "0")).isEqualTo(pair("k", "a"));
        t.exec("RPUSH", "k", "a");
        assertThat(t.exec("BLMOVE", "k", "d", "UP", "LEFT", "0")).isEqualTo(ListCommandsTest.SYNTAX);
        assertThat(t.exec("BLMOVE", "s", "d", "LEFT", "LEFT", "0")).isEqualTo(WRONGTYPE);
        assertThat(t.exec("BLMOVE", "k", "s", "LEFT", "LEFT", "0")).isEqualTo(WRONGTYPE);
        assertThat(t.exec("BRPOPLPUSH", "s", "k", "0")).isEqualTo(WRONGTYPE);
        assertThat(t.exec("BLMPOP", "0", "0", "k", "LEFT")).isEqualTo(Reply.error("ERR numkeys should be greater than 0"));
        assertThat(t.exec("BLMPOP", "x", "0", "k", "LEFT")).isEqualTo(Reply.error("ERR numkeys should be greater than 0"));
        assertThat(t.exec("BLMPOP", "0", "1", "k", "LEFT", "COUNT", "0"))
                .isEqualTo(Reply.error("ERR count should be greater than 0"));
        assertThat(t.exec("BLMPOP", "0", "2", "k", "LEFT")).isEqualTo(ListCommandsTest.SYNTAX);
        assertThat(t.exec("BLMPOP", "0", "1", "s", "LEFT")).isEqualTo(WRONGTYPE);
        assertThat(t.exec("BLPOP", "k")).isEqualTo(Reply.error("ERR wrong number of arguments for 'blpop' command"));
        assertThat(t.cellar.engine().blockedClients()).isZero();
    }

    /** A stand-in for a sorted set value, so the test does not depend on the sorted set family. */
    static final class FakeZSet implements RValue {
        @Override
        public ValueType type() {
            return ValueType.ZSET;
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
            throw new UnsupportedOperationException();
        }
    }
}
