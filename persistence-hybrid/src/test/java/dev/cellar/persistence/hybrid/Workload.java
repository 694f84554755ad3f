package dev.cellar.persistence.hybrid;

import dev.cellar.api.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * A data set written through commands, the same on Cellar and on Redis: every type in its compact
 * and its general encoding, integers and long strings, scores at the extremes, expiries, several
 * databases, then (after a rewrite, in the tests) overwrites, deletes and appends that the
 * incremental file must carry on top of the base.
 */
final class Workload {
    /** An expiry that no test outlives: 2100-01-01. */
    static final String FAR = "4102444800000";

    private Workload() {}

    /** What goes into the base. */
    static void beforeRewrite(BiFunction<Integer, String[], Reply> exec) {
        run(exec, 0, "SET", "int", "12345");
        run(exec, 0, "SET", "neg", "-9223372036854775808");
        run(exec, 0, "SET", "short", "hello");
        run(exec, 0, "SET", "empty", "");
        run(exec, 0, "SET", "long", "abcdefghij".repeat(10_000));
        run(exec, 0, "SET", "utf8", "h\u00e9llo w\u00f6rld \u2603");
        run(exec, 0, "SET", "expiring", "soon-not");
        run(exec, 0, "PEXPIREAT", "expiring", FAR);
        run(exec, 0, "RPUSH", "list:small", "a", "b", "c", "1", "2");
        bulk(exec, 1, "RPUSH", "list:big", 2_000, i -> List.of("element-" + i + "-" + "x".repeat(i % 50)));
        run(exec, 1, "HSET", "hash:small", "f1", "v1", "f2", "2");
        bulk(exec, 1, "HSET", "hash:big", 700, i -> List.of("field-" + i, "value-" + i));
        run(exec, 1, "HSET", "hash:longvalue", "f", "v".repeat(200));
        run(exec, 2, "SADD", "set:ints", "1", "2", "3", "-7", "100000");
        bulk(exec, 2, "SADD", "set:big", 1_000, i -> List.of("member-" + i));
        run(exec, 3, "ZADD", "zset:small", "1", "a", "-2.5", "b", "inf", "c", "-inf", "d", "0.1", "e");
        bulk(exec, 3, "ZADD", "zset:big", 500, i -> List.of(Double.toString(i * 1.5 - 100), "m" + i));
        run(exec, 3, "PEXPIREAT", "zset:big", FAR);
        run(exec, 15, "SET", "last-db", "here");
        run(exec, 15, "HSET", "will-change", "f", "old");
        run(exec, 15, "SET", "will-go", "x");
    }

    /** What the incremental file carries after the rewrite. */
    static void afterRewrite(BiFunction<Integer, String[], Reply> exec) {
        run(exec, 0, "SET", "after-rewrite", "1");
        run(exec, 0, "INCRBY", "int", "41");
        run(exec, 0, "RPUSH", "list:small", "tail");
        run(exec, 0, "PEXPIREAT", "short", FAR);
        run(exec, 1, "HSET", "hash:big", "field-0", "changed");
        run(exec, 2, "SREM", "set:big", "member-1", "member-2");
        run(exec, 3, "ZINCRBY", "zset:small", "10", "a");
        run(exec, 15, "DEL", "will-go");
        run(exec, 15, "SET", "will-change", "now a string");
        run(exec, 7, "SADD", "new-db", "x", "y");
    }

    private static void run(BiFunction<Integer, String[], Reply> exec, int db, String... argv) {
        Reply r = exec.apply(db, argv);
        if (r instanceof Reply.Error e) {
            throw new AssertionError(String.join(" ", argv) + " failed: " + e.message());
        }
    }

    private static void bulk(BiFunction<Integer, String[], Reply> exec, int db, String command, String key, int n,
                             java.util.function.IntFunction<List<String>> element) {
        for (int from = 0; from < n; from += 100) {
            List<String> argv = new ArrayList<>(List.of(command, key));
            for (int i = from; i < Math.min(n, from + 100); i++) {
                argv.addAll(element.apply(i));
            }
            run(exec, db, argv.toArray(String[]::new));
        }
    }
}
