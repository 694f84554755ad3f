package dev.cellar.persistence.aof;

import dev.cellar.spi.persistence.DataValue;
import dev.cellar.spi.persistence.LoadSink;
import dev.cellar.spi.persistence.SnapshotView;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.ObjDoubleConsumer;

/**
 * A tiny keyspace for tests: applies the handful of write commands the tests log, serves as the
 * load sink, and gives point-in-time views for rewrites. Keys and members are ISO-8859-1 strings
 * (one char per byte).
 */
final class Model implements LoadSink {
    final int databases;
    final List<Map<String, Object>> dbs = new ArrayList<>();
    final List<Map<String, Long>> expires = new ArrayList<>();
    final List<String> replayed = new ArrayList<>();

    Model(int databases) {
        this.databases = databases;
        for (int i = 0; i < databases; i++) {
            dbs.add(new TreeMap<>());
            expires.add(new TreeMap<>());
        }
    }

    static String s(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void put(int db, byte[] key, DataValue value, long expireAtMillis) {
        throw new UnsupportedOperationException();
    }

    @Override
    public String replay(int db, byte[][] argv) {
        StringBuilder sb = new StringBuilder().append(db).append(':');
        for (byte[] a : argv) {
            sb.append(' ').append(s(a));
        }
        replayed.add(sb.toString());
        return apply(db, argv);
    }

    @SuppressWarnings("unchecked")
    String apply(int db, byte[][] argv) {
        String cmd = s(argv[0]).toUpperCase();
        Map<String, Object> d = dbs.get(db);
        String key = argv.length > 1 ? s(argv[1]) : null;
        switch (cmd) {
            case "SET" -> {
                d.put(key, s(argv[2]));
                expires.get(db).remove(key);
            }
            case "DEL" -> {
                for (int i = 1; i < argv.length; i++) {
                    d.remove(s(argv[i]));
                    expires.get(db).remove(s(argv[i]));
                }
            }
            case "RPUSH" -> {
                List<String> l = (List<String>) d.computeIfAbsent(key, k -> new ArrayList<String>());
                for (int i = 2; i < argv.length; i++) {
                    l.add(s(argv[i]));
                }
            }
            case "SADD" -> {
                Set<String> set = (Set<String>) d.computeIfAbsent(key, k -> new LinkedHashSet<String>());
                for (int i = 2; i < argv.length; i++) {
                    set.add(s(argv[i]));
                }
            }
            case "HSET", "HMSET" -> {
                Map<String, String> h = (Map<String, String>) d.computeIfAbsent(key, k -> new LinkedHashMap<String, String>());
                for (int i = 2; i + 1 < argv.length; i += 2) {
                    h.put(s(argv[i]), s(argv[i + 1]));
                }
            }
            case "ZADD" -> {
                Map<String, Double> z = (Map<String, Double>) d.computeIfAbsent(key, k -> new HashMap<String, Double>());
                for (int i = 2; i + 1 < argv.length; i += 2) {
                    String sc = s(argv[i]);
                    double v = sc.equals("inf") ? Double.POSITIVE_INFINITY
                            : sc.equals("-inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(sc);
                    z.put(s(argv[i + 1]), v);
                }
            }
            case "PEXPIREAT" -> {
                if (d.containsKey(key)) {
                    expires.get(db).put(key, Long.parseLong(s(argv[2])));
                }
            }
            case "FAIL" -> {
                return "ERR deliberate failure";
            }
            default -> {
                return "ERR unknown command '" + cmd + "'";
            }
        }
        return null;
    }

    /** Applies a write and returns it, for feeding the same write to an engine. */
    byte[][] write(int db, String... args) {
        byte[][] argv = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            argv[i] = b(args[i]);
        }
        String err = apply(db, argv);
        if (err != null) {
            throw new IllegalStateException(err);
        }
        return argv;
    }

    /** A comparable rendering of the whole data set. */
    String dump() {
        StringBuilder sb = new StringBuilder();
        for (int db = 0; db < databases; db++) {
            for (Map.Entry<String, Object> e : dbs.get(db).entrySet()) {
                sb.append(db).append(' ').append(e.getKey()).append(" = ").append(render(e.getValue()));
                Long exp = expires.get(db).get(e.getKey());
                if (exp != null) {
                    sb.append(" @").append(exp);
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    private static String render(Object v) {
        if (v instanceof Set<?> set) {
            return "set" + new java.util.TreeSet<>((Set<String>) set);
        }
        if (v instanceof Map<?, ?> m && !m.isEmpty() && m.values().iterator().next() instanceof Double) {
            return "zset" + new TreeMap<>(m);
        }
        if (v instanceof Map<?, ?> m) {
            return "hash" + new TreeMap<>(m);
        }
        return v.toString();
    }

    /** A point-in-time copy as a snapshot view. */
    @SuppressWarnings("unchecked")
    SnapshotView snapshot() {
        List<Map<String, Object>> copy = new ArrayList<>();
        List<Map<String, Long>> exp = new ArrayList<>();
        for (int i = 0; i < databases; i++) {
            Map<String, Object> c = new TreeMap<>();
            for (Map.Entry<String, Object> e : dbs.get(i).entrySet()) {
                Object v = e.getValue();
                if (v instanceof List<?> l) {
                    v = new ArrayList<>(l);
                } else if (v instanceof Set<?> s) {
                    v = new LinkedHashSet<>(s);
                } else if (v instanceof Map<?, ?> m) {
                    v = new LinkedHashMap<>(m);
                }
                c.put(e.getKey(), v);
            }
            copy.add(c);
            exp.add(new TreeMap<>(expires.get(i)));
        }
        return new SnapshotView() {
            @Override
            public int databases() {
                return databases;
            }

            @Override
            public long size(int db) {
                return copy.get(db).size();
            }

            @Override
            public long expiresSize(int db) {
                return exp.get(db).size();
            }

            @Override
            public void forEach(int db, EntryVisitor visitor) {
                for (Map.Entry<String, Object> e : copy.get(db).entrySet()) {
                    Long at = exp.get(db).get(e.getKey());
                    visitor.entry(b(e.getKey()), view(e.getValue()), at == null ? -1 : at, -1, -1);
                }
            }
        };
    }

    @SuppressWarnings("unchecked")
    private static DataValue view(Object v) {
        if (v instanceof String s) {
            return new DataValue.StringData() {
                public String encoding() { return "raw"; }
                public byte[] bytes() { return b(s); }
            };
        }
        if (v instanceof List<?> l) {
            return new DataValue.ListData() {
                public String encoding() { return "quicklist"; }
                public long size() { return l.size(); }
                public void forEach(Consumer<byte[]> c) { ((List<String>) l).forEach(x -> c.accept(b(x))); }
            };
        }
        if (v instanceof Set<?> set) {
            return new DataValue.SetData() {
                public String encoding() { return "hashtable"; }
                public long size() { return set.size(); }
                public void forEach(Consumer<byte[]> c) { ((Set<String>) set).forEach(x -> c.accept(b(x))); }
            };
        }
        Map<String, ?> m = (Map<String, ?>) v;
        if (!m.isEmpty() && m.values().iterator().next() instanceof Double) {
            return new DataValue.ZSetData() {
                public String encoding() { return "skiplist"; }
                public long size() { return m.size(); }
                public void forEach(ObjDoubleConsumer<byte[]> c) {
                    m.entrySet().stream().sorted(Comparator.comparing(e -> (Double) e.getValue()))
                            .forEach(e -> c.accept(b(e.getKey()), (Double) e.getValue()));
                }
            };
        }
        return new DataValue.HashData() {
            public String encoding() { return "hashtable"; }
            public long size() { return m.size(); }
            public void forEach(BiConsumer<byte[], byte[]> c) { m.forEach((f, x) -> c.accept(b(f), b((String) x))); }
        };
    }
}
