package dev.cellar.core.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Reply;
import dev.cellar.core.engine.Session;
import dev.cellar.core.testing.TestEngine;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Keyspace events named as Redis names them, and WATCH invalidation by list writes. */
class ListNotificationTest {
    final TestEngine t = TestEngine.create();
    final List<String> events = new ArrayList<>();

    @BeforeEach
    void listen() {
        t.cellar.withLock(() -> {
            t.cellar.engine().setKeyspaceListener((type, event, db, key) ->
                    events.add(type + ":" + event + ":" + new String(key, StandardCharsets.UTF_8)));
            return null;
        });
    }

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void pushesAndPops() {
        t.exec("RPUSH", "l", "a", "b");
        t.exec("LPUSHX", "l", "c");
        t.exec("RPOP", "l", "2");
        t.exec("LPOP", "l");
        assertThat(events).containsExactly("l:rpush:l", "l:lpush:l", "l:rpop:l", "l:lpop:l", "g:del:l");
    }

    @Test
    void changesInPlace() {
        t.exec("RPUSH", "l", "a", "b", "c");
        events.clear();
        t.exec("LSET", "l", "0", "x");
        t.exec("LINSERT", "l", "BEFORE", "x", "y");
        t.exec("LINSERT", "l", "BEFORE", "nope", "y");
        t.exec("LREM", "l", "0", "y");
        t.exec("LREM", "l", "0", "nope");
        t.exec("LTRIM", "l", "5", "6");
        assertThat(events).containsExactly("l:lset:l", "l:linsert:l", "l:lrem:l", "l:ltrim:l", "g:del:l");
    }

    @Test
    void moves() {
        t.exec("RPUSH", "a", "1");
        events.clear();
        t.exec("LMOVE", "a", "b", "RIGHT", "LEFT");
        assertThat(events).containsExactly("l:lpush:b", "l:rpop:a", "g:del:a");
        events.clear();
        t.exec("BLMPOP", "0", "1", "b", "LEFT");
        assertThat(events).containsExactly("l:lpop:b", "g:del:b");
    }

    @Test
    void listWritesInvalidateWatch() {
        t.exec("RPUSH", "l", "a", "b");
        Session other = t.cellar.newSession();
        for (String[] write : List.of(new String[] {"LSET", "l", "0", "z"}, new String[] {"LPOP", "l"},
                new String[] {"RPUSH", "l", "q"}, new String[] {"LMOVE", "l", "l", "LEFT", "RIGHT"})) {
            t.exec("WATCH", "l");
            t.execOther(other, write);
            t.exec("MULTI");
            t.exec("LLEN", "l");
            assertThat(t.exec("EXEC")).as(String.join(" ", write)).isEqualTo(Reply.NULL_ARRAY);
        }
        t.exec("WATCH", "l");
        t.execOther(other, "LREM", "l", "0", "nothing");
        t.exec("MULTI");
        t.exec("LLEN", "l");
        assertThat(t.exec("EXEC")).isInstanceOf(Reply.Array.class);
    }
}
