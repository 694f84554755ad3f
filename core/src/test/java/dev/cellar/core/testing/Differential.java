package dev.cellar.core.testing;

import dev.cellar.api.Reply;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * Runs the same seeded random command sequence on the embedded engine and on a real
 * {@code redis-server}, comparing every reply (as a RESP2 client sees it) and finally the whole
 * data set. Generators say per command how to compare: exactly, as an unordered collection (for
 * hash-table iteration order), by size only (random picks), or not at all.
 */
public final class Differential {

    /** How two replies are compared. */
    public enum Compare {
        /** Byte for byte. */
        EXACT,
        /** Arrays compared as multisets (recursively only at the top level). */
        UNORDERED,
        /** Flat arrays of pairs (HGETALL) compared as sets of pairs. */
        UNORDERED_PAIRS,
        /** Same reply type and, for arrays, the same length. */
        SHAPE,
        /** Integers within {@link Cmd#tolerance()}; anything else exactly. */
        APPROX,
        /** Not compared (the command only changes state). */
        NONE
    }

    /** One generated command and how to compare its reply. */
    public record Cmd(Compare compare, long tolerance, String... argv) {
        /** A command compared exactly. */
        public static Cmd exact(String... argv) {
            return new Cmd(Compare.EXACT, 0, argv);
        }

        /** A command compared as an unordered collection. */
        public static Cmd unordered(String... argv) {
            return new Cmd(Compare.UNORDERED, 0, argv);
        }

        /** A command compared with the given mode. */
        public static Cmd of(Compare compare, String... argv) {
            return new Cmd(compare, 0, argv);
        }

        /** A command whose integer reply may differ by {@code tolerance} (TTLs). */
        public static Cmd approx(long tolerance, String... argv) {
            return new Cmd(Compare.APPROX, tolerance, argv);
        }
    }

    private Differential() {}

    /**
     * Runs {@code count} generated commands against both servers and returns the mismatches
     * (empty when everything agreed). Both start empty with the given settings.
     */
    public static List<String> run(long seed, int count, Function<Random, Cmd> generator, String... settings)
            throws IOException, InterruptedException {
        String[] options = new String[settings.length];
        for (int i = 0; i < settings.length; i += 2) {
            options[i] = "--" + settings[i];
            options[i + 1] = settings[i + 1];
        }
        List<String> mismatches = new ArrayList<>();
        try (RedisServerProcess redis = RedisServerProcess.start(options);
                RespClient client = redis.client();
                TestEngine cellar = TestEngine.create(new ManualClock(System.currentTimeMillis()), settings)) {
            Random random = new Random(seed);
            for (int i = 0; i < count; i++) {
                Cmd cmd = generator.apply(random);
                cellar.clock.advance(System.currentTimeMillis() - cellar.clock.currentTimeMillis());
                Reply expected = client.call(cmd.argv());
                Reply actual = Resp2.of(cellar.exec(cmd.argv()));
                if (!agree(cmd, expected, actual)) {
                    mismatches.add("#" + i + " " + String.join(" ", cmd.argv()) + "\n   redis:  " + expected
                            + "\n   cellar: " + actual);
                }
            }
            cellar.clock.advance(System.currentTimeMillis() - cellar.clock.currentTimeMillis());
            int dbs = 16;
            Map<String, String> redisDump = DatasetDump.of(dbs, (db, argv) -> {
                try {
                    client.call("SELECT", Integer.toString(db));
                    return client.call(argv);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            dev.cellar.core.engine.Session dumpSession = cellar.cellar.newSession();
            Map<String, String> cellarDump = DatasetDump.of(dbs, (db, argv) -> {
                cellar.execOther(dumpSession, "SELECT", Integer.toString(db));
                return cellar.execOther(dumpSession, argv);
            });
            if (!redisDump.equals(cellarDump)) {
                for (String k : redisDump.keySet()) {
                    if (!redisDump.get(k).equals(cellarDump.get(k))) {
                        mismatches.add("final data set differs at " + k + "\n   redis:  " + redisDump.get(k)
                                + "\n   cellar: " + cellarDump.get(k));
                    }
                }
                for (String k : cellarDump.keySet()) {
                    if (!redisDump.containsKey(k)) {
                        mismatches.add("final data set: cellar has extra key " + k + " = " + cellarDump.get(k));
                    }
                }
            }
        }
        return mismatches;
    }

    /**
     * Sends each command to both servers in turn and adds to {@code mismatches} the ones whose
     * replies differ, exactly (a fixed script against a running pair, not a generated sequence).
     */
    public static void compareScript(List<List<String>> commands, RespClient redis, RespClient cellar,
            List<String> mismatches) throws IOException {
        for (List<String> cmd : commands) {
            String[] argv = cmd.toArray(new String[0]);
            Reply expected = redis.call(argv);
            Reply actual = cellar.call(argv);
            if (!expected.equals(actual)) {
                mismatches.add(String.join(" | ", cmd) + "\n   redis:  " + expected + "\n   cellar: " + actual);
            }
        }
    }

    /** Formats mismatches for an assertion message (the first 20). */
    public static String report(List<String> mismatches) {
        StringBuilder sb = new StringBuilder(mismatches.size() + " mismatches:\n");
        mismatches.stream().limit(20).forEach(m -> sb.append(m).append('\n'));
        return sb.toString();
    }

    static boolean agree(Cmd cmd, Reply expected, Reply actual) {
        switch (cmd.compare()) {
            case NONE:
                return true;
            case EXACT:
                return expected.equals(actual);
            case UNORDERED:
                if (expected instanceof Reply.Array e && actual instanceof Reply.Array a) {
                    return sortedStrings(e.items()).equals(sortedStrings(a.items()));
                }
                return expected.equals(actual);
            case UNORDERED_PAIRS:
                if (expected instanceof Reply.Array e && actual instanceof Reply.Array a) {
                    return pairs(e.items()).equals(pairs(a.items()));
                }
                return expected.equals(actual);
            case SHAPE:
                if (expected instanceof Reply.Array e && actual instanceof Reply.Array a) {
                    return e.items().size() == a.items().size();
                }
                return expected.getClass() == actual.getClass()
                        && (!(expected instanceof Reply.Error) || expected.equals(actual));
            case APPROX:
                if (expected instanceof Reply.Int e && actual instanceof Reply.Int a) {
                    return Math.abs(e.value() - a.value()) <= cmd.tolerance()
                            || (e.value() < 0 || a.value() < 0) && e.value() == a.value();
                }
                return expected.equals(actual);
            default:
                return false;
        }
    }

    private static List<String> sortedStrings(List<Reply> items) {
        List<String> out = new ArrayList<>();
        for (Reply r : items) {
            out.add(r.toString());
        }
        out.sort(null);
        return out;
    }

    private static java.util.Set<String> pairs(List<Reply> items) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (int i = 0; i + 1 < items.size(); i += 2) {
            out.add(items.get(i) + "=" + items.get(i + 1));
        }
        return out;
    }
}
