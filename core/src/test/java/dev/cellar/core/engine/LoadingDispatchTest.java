package dev.cellar.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Reply;
import dev.cellar.core.testing.TestEngine;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link Engine#callLoading}, the dispatch a log's commands are replayed through, and the memory
 * accounts loading leaves: the same data and the same accounts as running the commands as a
 * client would, without statistics or propagation (as Redis's AOF loader).
 */
class LoadingDispatchTest {

    /** A workload touching every kind of change: adds, overwrites, in-place changes, expiries, deletes. */
    private static List<String[]> workload() {
        List<String[]> out = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            out.add(new String[] {"SET", "s:" + (i % 1700), "value:" + i});
            if (i % 3 == 0) {
                out.add(new String[] {"HSET", "h:" + (i % 40), "f" + i, "x".repeat(i % 90)});
            }
            if (i % 5 == 0) {
                out.add(new String[] {"RPUSH", "l:" + (i % 7), "item" + i});
            }
            if (i % 7 == 0) {
                out.add(new String[] {"APPEND", "s:" + (i % 50), "tail" + i});
            }
            if (i % 11 == 0) {
                out.add(new String[] {"SET", "t:" + i, "v", "PXAT", Long.toString(4_000_000_000_000L + i)});
            }
            if (i % 13 == 0) {
                out.add(new String[] {"DEL", "s:" + (i % 300)});
            }
            if (i % 17 == 0) {
                out.add(new String[] {"INCRBY", "n:" + (i % 9), Integer.toString(i)});
                out.add(new String[] {"SADD", "set:" + (i % 4), Integer.toString(i), "m" + i});
                out.add(new String[] {"ZADD", "z:" + (i % 3), Integer.toString(i), "m" + i});
            }
            if (i % 19 == 0) {
                out.add(new String[] {"PERSIST", "t:" + (i - i % 11)});
                out.add(new String[] {"LPOP", "l:" + (i % 7)});
                out.add(new String[] {"HDEL", "h:" + (i % 40), "f" + (i - 3)});
            }
        }
        return out;
    }

    private static byte[][] bytes(String[] argv) {
        byte[][] out = new byte[argv.length][];
        for (int i = 0; i < argv.length; i++) {
            out[i] = argv[i].getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    @Test
    @DisplayName("replayed while loading: the same data and memory accounts as clients' commands, no statistics, nothing propagated")
    void sameAsClients() {
        List<String[]> commands = workload();
        try (TestEngine clients = TestEngine.create(); TestEngine loaded = TestEngine.create()) {
            for (String[] c : commands) {
                clients.exec(c);
            }
            Session session = loaded.cellar.newSession();
            loaded.cellar.withLock(() -> {
                Engine engine = loaded.cellar.engine();
                engine.setLoading(true);
                long processed = engine.stats().commandsProcessed;
                for (String[] c : commands) {
                    CommandSpec spec = engine.commands().get(c[0].toLowerCase());
                    Reply r = engine.callLoading(session, spec, bytes(c));
                    assertThat(r).isNotInstanceOf(Reply.Error.class);
                }
                assertThat(engine.stats().commandsProcessed).isEqualTo(processed);
                assertThat(engine.commands().get("set").calls()).isZero();
                assertThat(engine.commands().get("hset").calls()).isZero();
                engine.setLoading(false);
                return null;
            });
            assertThat(loaded.propagated).isEmpty();

            Engine a = clients.cellar.engine();
            Engine b = loaded.cellar.engine();
            clients.cellar.withLock(() -> loaded.cellar.withLock(() -> {
                assertThat(b.db(0).size()).isEqualTo(a.db(0).size());
                assertThat(b.db(0).expiresSize()).isEqualTo(a.db(0).expiresSize());
                assertThat(b.db(0).memoryUsage()).isEqualTo(a.db(0).memoryUsage());
                assertThat(b.usedMemory()).isEqualTo(a.usedMemory());
                return null;
            }));
            for (String key : new String[] {"s:1", "s:49", "h:3", "l:2", "n:4", "set:1", "z:2", "t:11", "t:0"}) {
                assertThat(loaded.exec("DUMP", key)).as(key).isEqualTo(clients.exec("DUMP", key));
                assertThat(loaded.exec("PTTL", key)).as(key).isEqualTo(clients.exec("PTTL", key));
            }
        }
    }

    @Test
    @DisplayName("a failing command replayed while loading gives its error, counted nowhere")
    void errors() {
        try (TestEngine t = TestEngine.create()) {
            t.exec("SET", "s", "text");
            Session session = t.cellar.newSession();
            Reply r = t.cellar.withLock(() -> {
                Engine engine = t.cellar.engine();
                engine.setLoading(true);
                try {
                    return engine.callLoading(session, engine.commands().get("incr"), bytes(new String[] {"INCR", "s"}));
                } finally {
                    engine.setLoading(false);
                }
            });
            assertThat(r).isInstanceOf(Reply.Error.class);
            assertThat(((Reply.Error) r).message()).contains("not an integer");
            assertThat(t.cellar.withLock(() -> t.cellar.engine().commands().get("incr").failedCalls)).isZero();
        }
    }

    @Test
    @DisplayName("memory accounts are counted again when loading ends, also after keys were removed while loading")
    void recount() {
        try (TestEngine t = TestEngine.create()) {
            for (int i = 0; i < 500; i++) {
                t.exec("SET", "k" + i, "v".repeat(i % 70));
            }
            long before = t.cellar.withLock(() -> t.cellar.engine().usedMemory());
            Session session = t.cellar.newSession();
            t.cellar.withLock(() -> {
                Engine engine = t.cellar.engine();
                engine.setLoading(true);
                for (int i = 0; i < 500; i++) {
                    engine.callLoading(session, engine.commands().get("del"), bytes(new String[] {"DEL", "k" + i}));
                }
                engine.setLoading(false);
                assertThat(engine.db(0).size()).isZero();
                assertThat(engine.usedMemory()).isLessThan(before);
                assertThat(engine.db(0).memoryUsage()).isEqualTo(engine.db(0).dict().tableBytes()
                        + engine.db(0).expires().tableBytes());
                return null;
            });
        }
    }
}
