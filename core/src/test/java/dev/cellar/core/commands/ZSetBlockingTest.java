package dev.cellar.core.commands;

import static dev.cellar.core.commands.ZSetCommandsTest.err;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Reply;
import dev.cellar.core.engine.Session;
import dev.cellar.core.testing.Resp2;
import dev.cellar.core.testing.TestEngine;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** BZPOPMIN, BZPOPMAX and BZMPOP with two clients: served by later writes, or timing out. */
class ZSetBlockingTest {
    private final TestEngine t = TestEngine.create();
    private final Session other = t.cellar.newSession();

    @AfterEach
    void close() {
        t.close();
    }

    static Reply strings(Object... items) {
        List<Reply> out = new ArrayList<>();
        for (Object o : items) {
            out.add(o instanceof Reply r ? r : Reply.bulk(o.toString()));
        }
        return Reply.array(out);
    }

    @Test
    void aNonEmptyKeyIsPoppedAtOnceAndPropagatedAsZpop() {
        t.exec("ZADD", "a", "1", "x", "2", "y");
        assertThat(Resp2.of(t.exec("BZPOPMIN", "none", "a", "0"))).isEqualTo(strings("a", "x", "1"));
        assertThat(Resp2.of(t.exec("BZPOPMAX", "a", "0"))).isEqualTo(strings("a", "y", "2"));
        assertThat(t.exec("EXISTS", "a")).isEqualTo(Reply.ZERO);
        assertThat(t.propagatedText()).containsExactly("0 ZADD a 1 x 2 y", "0 ZPOPMIN a", "0 ZPOPMAX a");
    }

    @Test
    void aBlockedClientIsServedByALaterZadd() {
        assertThat(t.exec("BZPOPMIN", "a", "b", "0")).isEqualTo(Session.BLOCKED);
        assertThat(t.execOther(other, "ZADD", "b", "5", "m", "6", "n")).isEqualTo(Reply.of(2));
        assertThat(t.lateReplies).hasSize(1);
        assertThat(Resp2.of(t.lateReplies.get(0))).isEqualTo(strings("b", "m", "5"));
        assertThat(t.execOther(other, "ZRANGE", "b", "0", "-1")).isEqualTo(strings("n"));
        assertThat(t.propagatedText()).containsExactly("0 ZADD b 5 m 6 n", "0 ZPOPMIN b");
    }

    @Test
    void bzmpopServedLaterIsPropagatedWithThePoppedCount() {
        assertThat(t.exec("BZMPOP", "0", "1", "k", "MAX", "COUNT", "3")).isEqualTo(Session.BLOCKED);
        t.execOther(other, "ZADD", "k", "1", "a", "2", "b");
        assertThat(Resp2.of(t.lateReplies.get(0))).isEqualTo(strings("k",
                strings(strings("b", "2"), strings("a", "1"))));
        assertThat(t.propagatedText()).containsExactly("0 ZADD k 1 a 2 b", "0 ZPOPMAX k 2");
        assertThat(t.execOther(other, "EXISTS", "k")).isEqualTo(Reply.ZERO);
    }

    @Test
    void clientsAreServedInTheOrderTheyBlocked() {
        List<Reply> second = Collections.synchronizedList(new ArrayList<>());
        Session s2 = t.cellar.newSession();
        s2.setReplyListener(second::add);
        assertThat(t.exec("BZPOPMAX", "k", "0")).isEqualTo(Session.BLOCKED);
        assertThat(t.execOther(s2, "BZPOPMAX", "k", "0")).isEqualTo(Session.BLOCKED);
        t.execOther(other, "ZADD", "k", "1", "a");
        assertThat(Resp2.of(t.lateReplies.get(0))).isEqualTo(strings("k", "a", "1"));
        assertThat(second).isEmpty();
        t.execOther(other, "ZADD", "k", "1", "b", "2", "c");
        assertThat(Resp2.of(second.get(0))).isEqualTo(strings("k", "c", "2"));
    }

    @Test
    void aStoreCommandCreatingTheKeyServesTheClient() {
        t.execOther(other, "ZADD", "src", "3", "s");
        assertThat(t.exec("BZPOPMIN", "dst", "0")).isEqualTo(Session.BLOCKED);
        t.execOther(other, "ZUNIONSTORE", "dst", "1", "src");
        assertThat(Resp2.of(t.lateReplies.get(0))).isEqualTo(strings("dst", "s", "3"));
    }

    @Test
    void aKeyRepeatedInTheCommandIsWaitedOnOnce() {
        assertThat(t.exec("BZPOPMIN", "k", "k", "0")).isEqualTo(Session.BLOCKED);
        t.execOther(other, "ZADD", "k", "1", "a", "2", "b");
        assertThat(t.lateReplies).hasSize(1);
        assertThat(t.cellar.withLock(() -> t.cellar.engine().blockedClients())).isZero();
        t.execOther(other, "ZADD", "k", "3", "c");
        assertThat(t.lateReplies).hasSize(1);
        assertThat(t.execOther(other, "ZCARD", "k")).isEqualTo(Reply.of(2));
    }

    @Test
    void aClientWokenButNotServedKeepsItsFirstDeadline() {
        Session first = t.cellar.newSession();
        List<Reply> firstReplies = Collections.synchronizedList(new ArrayList<>());
        first.setReplyListener(firstReplies::add);
        assertThat(t.execOther(first, "BZPOPMIN", "k", "1")).isEqualTo(Session.BLOCKED);
        assertThat(t.exec("BZPOPMIN", "k", "1")).isEqualTo(Session.BLOCKED);
        t.clock.advance(500);
        t.execOther(other, "ZADD", "k", "1", "only");
        assertThat(firstReplies).hasSize(1);
        assertThat(t.lateReplies).isEmpty();
        t.clock.advance(500);
        t.cron();
        assertThat(t.lateReplies).as("timed out at the original deadline, not 1 s after the wake-up")
                .containsExactly(Reply.NULL_ARRAY);
    }

    @Test
    void theTimeoutAnswersWithANullArray() {
        assertThat(t.exec("BZPOPMIN", "k", "1.5")).isEqualTo(Session.BLOCKED);
        t.clock.advance(1000);
        t.cron();
        assertThat(t.lateReplies).isEmpty();
        t.clock.advance(600);
        t.cron();
        assertThat(t.lateReplies).containsExactly(Reply.NULL_ARRAY);
        assertThat(t.exec("BZMPOP", "0.1", "1", "k", "MIN")).isEqualTo(Session.BLOCKED);
        t.clock.advance(200);
        t.cron();
        assertThat(t.lateReplies).containsExactly(Reply.NULL_ARRAY, Reply.NULL_ARRAY);
        t.execOther(other, "ZADD", "k", "1", "a");
        assertThat(t.lateReplies).hasSize(2);
        assertThat(t.propagatedText()).containsExactly("0 ZADD k 1 a");
    }

    @Test
    void insideMultiAnEmptyKeyAnswersAsOnTimeout() {
        t.exec("MULTI");
        t.exec("BZPOPMIN", "k", "0");
        t.exec("BZMPOP", "0", "1", "k", "MIN");
        assertThat(t.exec("EXEC")).isEqualTo(Reply.array(List.of(Reply.NULL_ARRAY, Reply.NULL_ARRAY)));
    }

    @Test
    void argumentErrorsAndWrongTypeComeBeforeBlocking() {
        t.exec("SET", "s", "v");
        assertThat(t.exec("BZPOPMIN", "k", "-1")).isEqualTo(err("ERR timeout is negative"));
        assertThat(t.exec("BZPOPMIN", "k", "x")).isEqualTo(err("ERR timeout is not a float or out of range"));
        assertThat(t.exec("BZPOPMIN", "k", "s", "0"))
                .isEqualTo(err("WRONGTYPE Operation against a key holding the wrong kind of value"));
        assertThat(t.exec("BZMPOP", "x", "1", "k", "MIN")).isEqualTo(err("ERR timeout is not a float or out of range"));
        assertThat(t.exec("BZMPOP", "0", "0", "k", "MIN")).isEqualTo(err("ERR numkeys should be greater than 0"));
        assertThat(t.exec("BZMPOP", "0", "1", "k", "MIN", "COUNT", "0"))
                .isEqualTo(err("ERR count should be greater than 0"));
        assertThat(t.lateReplies).isEmpty();
    }
}
