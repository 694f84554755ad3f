package dev.cellar.conformance;

import dev.cellar.api.Cellar;
import dev.cellar.api.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Everything a store holds, read through the public API only (KEYS, TYPE, PEXPIRETIME and each
 * type's read command) into a canonical form that two stores can be compared by: binary-safe
 * (bytes as ISO-8859-1 characters), with sets and hashes sorted and scores compared bit for bit.
 */
final class DataSet {
    /** One key: its type, absolute expiry (-1 for none) and canonical content. */
    record Entry(String type, long expireAtMillis, List<String> content) {}

    private final Map<Integer, Map<String, Entry>> databases;

    private DataSet(Map<Integer, Map<String, Entry>> databases) {
        this.databases = databases;
    }

    /** Reads every database of {@code store}. */
    static DataSet read(Cellar store) {
        Map<Integer, Map<String, Entry>> all = new TreeMap<>();
        for (int db = 0; db < store.databases(); db++) {
            Map<String, Entry> keys = new TreeMap<>();
            for (Reply key : items(Kit.call(store, db, "KEYS", "*"))) {
                byte[] name = ((Reply.Bulk) key).value();
                String type = ((Reply.Simple) Kit.call(store, db, "TYPE", name)).value();
                long expireAt = ((Reply.Int) Kit.call(store, db, "PEXPIRETIME", name)).value();
                keys.put(Kit.latin1(name), new Entry(type, expireAt, content(store, db, type, name)));
            }
            if (!keys.isEmpty()) {
                all.put(db, keys);
            }
        }
        return new DataSet(all);
    }

    private static List<String> content(Cellar store, int db, String type, byte[] key) {
        List<String> out = new ArrayList<>();
        switch (type) {
            case "string" -> out.add(Kit.latin1(((Reply.Bulk) Kit.call(store, db, "GET", key)).value()));
            case "list" -> items(Kit.call(store, db, "LRANGE", key, "0", "-1")).forEach(r -> out.add(text(r)));
            case "set" -> {
                items(Kit.call(store, db, "SMEMBERS", key)).forEach(r -> out.add(text(r)));
                out.sort(null);
            }
            case "hash" -> {
                List<Reply> flat = flatten(Kit.call(store, db, "HGETALL", key));
                for (int i = 0; i + 1 < flat.size(); i += 2) {
                    out.add(text(flat.get(i)) + '\u0000' + text(flat.get(i + 1)));
                }
                out.sort(null);
            }
            case "zset" -> {
                List<Reply> flat = flatten(Kit.call(store, db, "ZRANGE", key, "0", "-1", "WITHSCORES"));
                for (int i = 0; i + 1 < flat.size(); i += 2) {
                    out.add(text(flat.get(i)) + " @ " + Double.toString(score(flat.get(i + 1))));
                }
            }
            default -> throw new AssertionError("key '" + Kit.preview(Kit.latin1(key)) + "' in db " + db
                    + " has a type the kit does not know: " + type);
        }
        return out;
    }

    /** The number of keys in every database together. */
    int keyCount() {
        return databases.values().stream().mapToInt(Map::size).sum();
    }

    /** The keys of one database. */
    Map<String, Entry> database(int db) {
        return databases.getOrDefault(db, Map.of());
    }

    /** The entry of a key, or null. */
    Entry entry(int db, String key) {
        return database(db).get(key);
    }

    /** What differs from {@code other}, one line per difference, at most {@code limit} lines. */
    List<String> differences(DataSet other, int limit) {
        List<String> out = new ArrayList<>();
        java.util.Set<Integer> dbs = new java.util.TreeSet<>(databases.keySet());
        dbs.addAll(other.databases.keySet());
        for (int db : dbs) {
            Map<String, Entry> mine = database(db);
            Map<String, Entry> theirs = other.database(db);
            java.util.Set<String> keys = new java.util.TreeSet<>(mine.keySet());
            keys.addAll(theirs.keySet());
            for (String key : keys) {
                if (out.size() >= limit) {
                    out.add("...");
                    return out;
                }
                String where = "db " + db + " key '" + Kit.preview(key) + "': ";
                Entry a = mine.get(key);
                Entry b = theirs.get(key);
                if (b == null) {
                    out.add(where + "missing (expected a " + a.type() + ")");
                } else if (a == null) {
                    out.add(where + "unexpected " + b.type());
                } else if (!a.type().equals(b.type())) {
                    out.add(where + "type " + b.type() + " (expected " + a.type() + ")");
                } else if (a.expireAtMillis() != b.expireAtMillis()) {
                    out.add(where + "expires at " + b.expireAtMillis() + " (expected " + a.expireAtMillis() + ")");
                } else if (!a.content().equals(b.content())) {
                    out.add(where + contentDifference(a.content(), b.content()));
                }
            }
        }
        return out;
    }

    private static String contentDifference(List<String> expected, List<String> actual) {
        if (expected.size() != actual.size()) {
            return actual.size() + " elements (expected " + expected.size() + ")";
        }
        for (int i = 0; i < expected.size(); i++) {
            if (!Objects.equals(expected.get(i), actual.get(i))) {
                return "element " + i + " is '" + Kit.preview(actual.get(i)) + "' of " + actual.get(i).length()
                        + " bytes (expected '" + Kit.preview(expected.get(i)) + "' of " + expected.get(i).length() + ")";
            }
        }
        return "differs";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DataSet d && d.databases.equals(databases);
    }

    @Override
    public int hashCode() {
        return databases.hashCode();
    }

    @Override
    public String toString() {
        return keyCount() + " keys in databases " + databases.keySet();
    }

    private static List<Reply> items(Reply reply) {
        if (reply instanceof Reply.Array a) {
            return a.items();
        }
        if (reply instanceof Reply.SetReply s) {
            return s.items();
        }
        throw new AssertionError("expected an array reply, got " + reply);
    }

    /** Flat field-value (or member-score) pairs, whether the reply is a map, pairs or a flat array. */
    private static List<Reply> flatten(Reply reply) {
        List<Reply> flat = new ArrayList<>();
        List<Reply> items = reply instanceof Reply.MapReply m ? m.keysAndValues() : items(reply);
        for (Reply item : items) {
            if (item instanceof Reply.Array pair) {
                flat.addAll(pair.items());
            } else {
                flat.add(item);
            }
        }
        return flat;
    }

    private static String text(Reply reply) {
        if (reply instanceof Reply.Bulk b) {
            return Kit.latin1(b.value());
        }
        throw new AssertionError("expected a bulk string, got " + reply);
    }

    private static double score(Reply reply) {
        if (reply instanceof Reply.Double d) {
            return d.value();
        }
        String s = new String(((Reply.Bulk) reply).value(), StandardCharsets.US_ASCII);
        return switch (s) {
            case "inf", "+inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }
}
