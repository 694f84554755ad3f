package dev.cellar.persistence.aof;

import dev.cellar.api.Cellar;
import dev.cellar.api.Reply;
import dev.cellar.core.CellarEngine;
import dev.cellar.core.testing.RespClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The interop data set (every type, TTLs, a transaction, several databases) and a store-neutral dump. */
final class Dataset {
    /** Runs commands in a database; a list of commands runs as one client (MULTI ... EXEC). */
    interface Store {
        Object call(int db, String... args) throws IOException;

        void transaction(int db, List<String[]> commands) throws IOException;
    }

    static final long FAR = 4102444800L; // 2100-01-01

    static void write(Store s) throws IOException {
        s.call(0, "SET", "str", "hello");
        s.call(0, "APPEND", "str", " world");
        s.call(0, "SET", "int", "12345");
        s.call(0, "SET", "empty", "");
        s.call(0, "SET", "bin", "a\r\nb\u0000c\u00ff*3\r\n$");
        s.call(0, "SET", "big", "x".repeat(100_000));
        s.call(0, "INCR", "counter");
        s.call(0, "INCRBY", "counter", "41");
        s.call(0, "INCRBYFLOAT", "flt", "1.5");
        s.call(0, "SETRANGE", "sr", "5", "xyz");
        s.call(0, "SET", "ttl1", "v", "EX", "100000");
        s.call(0, "SET", "ttl2", "v", "PXAT", Long.toString(FAR * 1000 + 123));
        // EXPIRE/EXPIREAT (logged as PEXPIREAT) wait for core's generic key commands; SET carries TTLs here
        s.call(0, "SET", "ttl3", "w", "EXAT", Long.toString(FAR));
        s.call(0, "SET", "tmp", "gone");
        s.call(0, "DEL", "tmp");
        s.call(0, "RPUSH", "list", "a", "b", "c", "d", "e");
        s.call(0, "LPUSH", "list", "z");
        s.call(0, "LPOP", "list");
        s.call(0, "LINSERT", "list", "BEFORE", "c", "bb");
        s.call(0, "LSET", "list", "0", "first");
        for (int i = 0; i < 1000; i += 100) {
            List<String> a = new ArrayList<>(List.of("RPUSH", "biglist"));
            for (int j = i; j < i + 100; j++) {
                a.add("element-" + j);
            }
            s.call(0, a.toArray(String[]::new));
        }
        s.call(0, "SADD", "iset", "1", "2", "3", "100");
        s.call(0, "SADD", "sset", "a", "b", "c", "d");
        s.call(0, "SREM", "sset", "b");
        List<String> bigset = new ArrayList<>(List.of("SADD", "bigset"));
        List<String> bighash = new ArrayList<>(List.of("HSET", "bighash"));
        List<String> bigz = new ArrayList<>(List.of("ZADD", "bigz"));
        for (int i = 0; i < 600; i++) {
            bigset.add("m" + i);
            bighash.add("f" + i);
            bighash.add("v" + i);
            bigz.add(Double.toString(i / 7.0));
            bigz.add("m" + i);
        }
        s.call(0, bigset.toArray(String[]::new));
        s.call(0, bighash.toArray(String[]::new));
        s.call(0, bigz.toArray(String[]::new));
        s.call(0, "HSET", "h", "f1", "v1", "f2", "v2");
        s.call(0, "HINCRBY", "h", "n", "5");
        s.call(0, "HINCRBYFLOAT", "h", "fl", "2.25");
        s.call(0, "ZADD", "z", "1", "a", "2.5", "b", "-3", "c", "inf", "pinf", "-inf", "ninf");
        s.call(0, "ZINCRBY", "z", "0.1", "a");
        s.transaction(0, List.of(new String[] {"MULTI"}, new String[] {"SET", "m1", "1"},
                new String[] {"RPUSH", "m2", "x"}, new String[] {"INCR", "m3"}, new String[] {"EXEC"}));
        s.call(3, "SET", "db3", "x");
        s.call(3, "HSET", "db3h", "a", "b");
        s.call(3, "SET", "db3ttl", "x", "EX", "100000");
        s.call(15, "ZADD", "z15", "1", "a");
        s.call(15, "SADD", "s15", "x");
        s.call(15, "SPOP", "s15");
    }

    /** Every key of every database as {@code db key -> type value @expiretime}. */
    static Map<String, String> dump(Store s) throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (int db = 0; db < 16; db++) {
            for (Object k : (List<?>) s.call(db, "KEYS", "*")) {
                String key = (String) k;
                String type = (String) s.call(db, "TYPE", key);
                String value = switch (type) {
                    case "string" -> (String) s.call(db, "GET", key);
                    case "list" -> s.call(db, "LRANGE", key, "0", "-1").toString();
                    case "set" -> new java.util.TreeSet<Object>((List<?>) s.call(db, "SMEMBERS", key)).toString();
                    case "hash" -> pairs((List<?>) s.call(db, "HGETALL", key), false);
                    case "zset" -> pairs((List<?>) s.call(db, "ZRANGE", key, "0", "-1", "WITHSCORES"), true);
                    default -> "?";
                };
                out.put(db + " " + key, type + " " + value + " @" + s.call(db, "PEXPIRETIME", key));
            }
        }
        return out;
    }

    private static String pairs(List<?> flat, boolean scores) {
        Map<String, String> m = new TreeMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            Object v = flat.get(i + 1);
            m.put(String.valueOf(flat.get(i)), scores ? Double.toString(score(v)) : String.valueOf(v));
        }
        return m.toString();
    }

    private static double score(Object v) {
        if (v instanceof Double d) {
            return d;
        }
        String s = v.toString();
        return s.equals("inf") ? Double.POSITIVE_INFINITY : s.equals("-inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(s);
    }

    /** A real Redis over RESP. */
    static Store redis(RespClient c) {
        return new Store() {
            private int selected = 0;

            private void select(int db) throws IOException {
                if (db != selected) {
                    c.call("SELECT", Integer.toString(db));
                    selected = db;
                }
            }

            @Override
            public Object call(int db, String... args) throws IOException {
                select(db);
                Object r = RespClient.plain(c.call(args), StandardCharsets.ISO_8859_1);
                if (r instanceof Reply.Error e) {
                    throw new IOException(String.join(" ", args) + ": " + e.message());
                }
                return r;
            }

            @Override
            public void transaction(int db, List<String[]> commands) throws IOException {
                select(db);
                for (String[] cmd : commands) {
                    c.call(cmd);
                }
            }
        };
    }

    /** An embedded Cellar. */
    static Store cellar(Cellar cellar) {
        return new Store() {
            @Override
            public Object call(int db, String... args) throws IOException {
                Reply r = cellar.execute(db, args);
                if (r instanceof Reply.Error e) {
                    throw new IOException(String.join(" ", args) + ": " + e.message());
                }
                return plain(r);
            }

            @Override
            public void transaction(int db, List<String[]> commands) {
                List<byte[][]> argvs = new ArrayList<>();
                for (String[] cmd : commands) {
                    byte[][] argv = new byte[cmd.length][];
                    for (int i = 0; i < cmd.length; i++) {
                        argv[i] = cmd[i].getBytes(StandardCharsets.ISO_8859_1);
                    }
                    argvs.add(argv);
                }
                ((CellarEngine) cellar).pipeline(db, argvs);
                ((CellarEngine) cellar).flushBatch();
            }
        };
    }

    /** A Cellar reply as the RESP2 client sees it, with RESP3's nested pairs (ZRANGE WITHSCORES) flattened. */
    private static Object plain(Reply r) {
        Object p = RespClient.plain(r, StandardCharsets.ISO_8859_1);
        if (!(p instanceof List<?> items)) {
            return p;
        }
        List<Object> out = new ArrayList<>();
        for (Object item : items) {
            if (item instanceof List<?> pair) {
                out.addAll(pair);
            } else {
                out.add(item);
            }
        }
        return out;
    }
}
