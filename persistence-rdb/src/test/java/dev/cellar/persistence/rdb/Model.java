package dev.cellar.persistence.rdb;

import dev.cellar.api.CellarClock;
import dev.cellar.spi.persistence.DataValue;
import dev.cellar.spi.persistence.LoadSink;
import dev.cellar.spi.persistence.SnapshotView;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** Test helpers: canonical comparable forms of values, a collecting sink, an in-memory snapshot. */
final class Model {
    private Model() {}

    static String s(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A value in a form equals() compares: type name and contents. */
    record Canon(String type, Object value) {}

    static Canon canon(DataValue v) {
        if (v instanceof DataValue.StringData s) {
            return new Canon("string", s(s.bytes()));
        } else if (v instanceof DataValue.ListData l) {
            List<String> items = new ArrayList<>();
            l.forEach(e -> items.add(s(e)));
            return new Canon("list", items);
        } else if (v instanceof DataValue.HashData h) {
            Map<String, String> m = new TreeMap<>();
            h.forEach((f, x) -> m.put(s(f), s(x)));
            return new Canon("hash", m);
        } else if (v instanceof DataValue.SetData st) {
            TreeSet<String> m = new TreeSet<>();
            st.forEach(e -> m.add(s(e)));
            return new Canon("set", m);
        } else {
            Map<String, Double> m = new LinkedHashMap<>();
            ((DataValue.ZSetData) v).forEach((e, d) -> m.put(s(e), d));
            return new Canon("zset", m);
        }
    }

    /** One loaded key. */
    record Entry(DataValue value, long expireAt) {}

    /** Collects what a reader puts, per database. */
    static final class Sink implements LoadSink {
        final Map<Integer, Map<String, Entry>> dbs = new TreeMap<>();
        long lastProgress = -1;

        @Override
        public void put(int db, byte[] key, DataValue value, long expireAtMillis) {
            dbs.computeIfAbsent(db, d -> new LinkedHashMap<>()).put(s(key), new Entry(value, expireAtMillis));
        }

        @Override
        public String replay(int db, byte[][] argv) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void progress(long loadedBytes, long totalBytes) {
            lastProgress = loadedBytes;
        }

        Map<String, Entry> db(int db) {
            return dbs.getOrDefault(db, Map.of());
        }

        int size() {
            return dbs.values().stream().mapToInt(Map::size).sum();
        }
    }

    /** A snapshot over in-memory maps (insertion order kept). */
    static class Snapshot implements SnapshotView {
        final Map<Integer, Map<String, Entry>> dbs = new TreeMap<>();
        final int databases;

        Snapshot(int databases) {
            this.databases = databases;
        }

        Snapshot put(int db, String key, DataValue v, long expireAt) {
            dbs.computeIfAbsent(db, d -> new LinkedHashMap<>()).put(key, new Entry(v, expireAt));
            return this;
        }

        @Override
        public int databases() {
            return databases;
        }

        @Override
        public long size(int db) {
            return dbs.getOrDefault(db, Map.of()).size();
        }

        @Override
        public long expiresSize(int db) {
            return dbs.getOrDefault(db, Map.of()).values().stream().filter(e -> e.expireAt() != -1).count();
        }

        @Override
        public void forEach(int db, EntryVisitor visitor) {
            dbs.getOrDefault(db, Map.of()).forEach((k, e) -> visitor.entry(b(k), e.value(), e.expireAt(), -1, -1));
        }
    }

    /** A clock stopped at {@code millis}. */
    static CellarClock clockAt(long millis) {
        return new CellarClock() {
            @Override
            public long currentTimeMillis() {
                return millis;
            }

            @Override
            public long nanoTime() {
                return millis * 1_000_000;
            }
        };
    }

    static List<byte[]> bytesList(String... items) {
        List<byte[]> l = new ArrayList<>();
        for (String i : items) {
            l.add(b(i));
        }
        return l;
    }
}
