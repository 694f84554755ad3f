package dev.cellar.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.core.testing.TestEngine;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The running memory account ({@code Db.usedBytes}) equals a recount of every key from scratch
 * after any mix of writes: string writes keep the account themselves in their one probe (SET,
 * INCR, APPEND), others are tracked and settled after the execution unit, and both may touch the
 * same key in one unit (a transaction).
 */
class MemoryRecountTest {

    static List<List<String[]>> scripts() {
        return List.of(
                List.of(cmd("SET", "a", "1"), cmd("INCR", "a"), cmd("SET", "a", "x".repeat(80)),
                        cmd("SET", "a", "short")),
                List.of(cmd("MULTI"), cmd("INCR", "a"), cmd("SET", "a", "xyz"), cmd("APPEND", "a", "more"),
                        cmd("INCRBY", "a2", "5"), cmd("APPEND", "a2", "0"), cmd("EXEC")),
                List.of(cmd("RPUSH", "l", "1", "2", "3"), cmd("MULTI"), cmd("LPUSH", "l", "0"), cmd("SET", "l", "str"),
                        cmd("RPUSH", "l2", "a"), cmd("EXEC")),
                List.of(cmd("SET", "b", "v", "EX", "100"), cmd("SET", "b", "w", "KEEPTTL"), cmd("SET", "b", "7"),
                        cmd("EXPIRE", "b", "50"), cmd("PERSIST", "b"), cmd("SETEX", "c", "10", "v")),
                List.of(cmd("MULTI"), cmd("SET", "t", "v", "PX", "100000"), cmd("SET", "t", "w"), cmd("EXPIRE", "t", "9"),
                        cmd("SET", "t", "x", "KEEPTTL"), cmd("EXEC")),
                List.of(cmd("SETRANGE", "r", "3", "abc"), cmd("SETBIT", "bits", "100", "1"), cmd("APPEND", "r", "z"),
                        cmd("GETSET", "r", "1"), cmd("DECR", "r")),
                List.of(cmd("MSET", "m1", "1", "m2", "two", "m3", "x".repeat(60)), cmd("MULTI"), cmd("DEL", "m1"),
                        cmd("SET", "m1", "again"), cmd("RENAME", "m2", "m4"), cmd("INCR", "m4x"), cmd("EXEC")),
                List.of(cmd("SADD", "s", "a", "b"), cmd("HSET", "h", "f", "v"), cmd("ZADD", "z", "1", "m"),
                        cmd("MULTI"), cmd("SET", "s", "1"), cmd("SET", "h", "2"), cmd("INCR", "z2"), cmd("SET", "z", "3"),
                        cmd("EXEC")),
                manyKeysInOneTransaction());
    }

    /** More keys than the tracker scans linearly, each tracked, then overwritten by SET, in one unit. */
    private static List<String[]> manyKeysInOneTransaction() {
        List<String[]> s = new java.util.ArrayList<>();
        s.add(cmd("MULTI"));
        for (int i = 0; i < 40; i++) {
            s.add(cmd("RPUSH", "q" + i, "x", "y"));
        }
        for (int i = 0; i < 40; i += 2) {
            s.add(cmd("SET", "q" + i, "now a string " + i));
        }
        for (int i = 1; i < 40; i += 4) {
            s.add(cmd("INCR", "n" + i));
            s.add(cmd("APPEND", "q" + i, "z"));
        }
        s.add(cmd("EXEC"));
        return s;
    }

    private static String[] cmd(String... argv) {
        return argv;
    }

    @ParameterizedTest
    @MethodSource("scripts")
    void runningAccountEqualsARecount(List<String[]> script) {
        try (TestEngine t = TestEngine.create()) {
            for (String[] argv : script) {
                t.exec(argv);
            }
            t.cellar.withLock(() -> {
                Db db = t.cellar.engine().db(0);
                long[] recount = {0};
                db.dict().forEachSlot(slot -> recount[0] += db.bytesAt(slot, db.dict().keyAt(slot)));
                assertThat(db.usedBytes).isEqualTo(recount[0]);
                return null;
            });
        }
    }
}
