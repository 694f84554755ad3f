package dev.cellar.core.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Reply;
import dev.cellar.core.testing.TestEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StringSetGetTest {
    private final TestEngine t = TestEngine.create();

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void setThenGetReturnsTheValue() {
        assertThat(t.exec("SET", "k", "v")).isEqualTo(Reply.OK);
        assertThat(t.exec("GET", "k")).isEqualTo(Reply.bulk("v"));
        assertThat(t.exec("GET", "missing")).isEqualTo(Reply.NULL);
    }

    @Test
    void nxAndXxDecideByExistence() {
        assertThat(t.exec("SET", "k", "1", "XX")).isEqualTo(Reply.NULL);
        assertThat(t.exec("SET", "k", "1", "NX")).isEqualTo(Reply.OK);
        assertThat(t.exec("SET", "k", "2", "NX")).isEqualTo(Reply.NULL);
        assertThat(t.exec("SET", "k", "3", "XX", "GET")).isEqualTo(Reply.bulk("1"));
        assertThat(t.exec("GET", "k")).isEqualTo(Reply.bulk("3"));
    }

    @Test
    void conflictingOptionsAreASyntaxError() {
        assertThat(t.exec("SET", "k", "v", "NX", "XX")).isEqualTo(Reply.error("ERR syntax error"));
        assertThat(t.exec("SET", "k", "v", "EX", "10", "PX", "100")).isEqualTo(Reply.error("ERR syntax error"));
        assertThat(t.exec("SET", "k", "v", "EX")).isEqualTo(Reply.error("ERR syntax error"));
        assertThat(t.exec("SET", "k", "v", "EX", "0")).isEqualTo(Reply.error("ERR invalid expire time in 'set' command"));
        assertThat(t.exec("SET", "k", "v", "EX", "x")).isEqualTo(Reply.error("ERR value is not an integer or out of range"));
        assertThat(t.exec("SET", "k")).isEqualTo(Reply.error("ERR wrong number of arguments for 'set' command"));
    }

    @Test
    void relativeExpiryIsPropagatedAsAbsolutePxat() {
        long now = t.clock.currentTimeMillis();
        t.exec("SET", "k", "v", "EX", "10");
        t.exec("SETEX", "j", "5", "w");
        assertThat(t.propagatedText()).containsExactly(
                "0 SET k v PXAT " + (now + 10_000),
                "0 SET j w PXAT " + (now + 5_000));
    }

    @Test
    void keyExpiresWhenItsTimeHasPassed() {
        t.exec("SET", "k", "v", "PX", "100");
        t.clock.advance(99);
        assertThat(t.exec("GET", "k")).isEqualTo(Reply.bulk("v"));
        t.clock.advance(1);
        assertThat(t.exec("GET", "k")).isEqualTo(Reply.NULL);
        assertThat(t.propagatedText()).last().isEqualTo("0 DEL k");
    }

    @Test
    void unknownCommandNamesTheCommandAndArguments() {
        assertThat(t.exec("NOPE", "a", "b")).isEqualTo(
                Reply.error("ERR unknown command 'NOPE', with args beginning with: 'a' 'b' "));
    }

    @Test
    void transactionRunsQueuedCommandsAtomicallyAndPropagatesThemWrapped() {
        assertThat(t.exec("MULTI")).isEqualTo(Reply.OK);
        assertThat(t.exec("SET", "a", "1")).isEqualTo(Reply.QUEUED);
        assertThat(t.exec("GET", "a")).isEqualTo(Reply.QUEUED);
        assertThat(t.exec("EXEC")).isEqualTo(Reply.array(java.util.List.of(Reply.OK, Reply.bulk("1"))));
        assertThat(t.propagatedText()).containsExactly("0 MULTI", "0 SET a 1", "0 EXEC");
    }

    @Test
    void queuedErrorAbortsExec() {
        t.exec("MULTI");
        t.exec("SET", "a");
        assertThat(t.exec("EXEC")).isEqualTo(Reply.error(
                "EXECABORT Transaction discarded because of previous errors."));
        assertThat(t.exec("GET", "a")).isEqualTo(Reply.NULL);
    }

    @Test
    void watchedKeyChangedByAnotherClientFailsExec() {
        var other = t.cellar.newSession();
        t.exec("WATCH", "a");
        t.execOther(other, "SET", "a", "x");
        t.exec("MULTI");
        t.exec("SET", "a", "mine");
        assertThat(t.exec("EXEC")).isEqualTo(Reply.NULL_ARRAY);
        assertThat(t.exec("GET", "a")).isEqualTo(Reply.bulk("x"));
    }

    @Test
    void watchedKeyThatExpiresFailsExec() {
        t.exec("SET", "a", "1", "PX", "10");
        t.exec("WATCH", "a");
        t.clock.advance(20);
        t.exec("MULTI");
        t.exec("SET", "b", "1");
        assertThat(t.exec("EXEC")).isEqualTo(Reply.NULL_ARRAY);
    }
}
