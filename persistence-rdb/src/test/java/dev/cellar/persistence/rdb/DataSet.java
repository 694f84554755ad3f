package dev.cellar.persistence.rdb;

import static dev.cellar.persistence.rdb.Model.b;

import dev.cellar.spi.persistence.DataValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The interop data set: every type and encoding, as Redis commands and as the values they make.
 * Keys with a TTL get an absolute PEXPIREAT so the expiry compares to the millisecond.
 */
final class DataSet {
    /** One key: the commands that create it in Redis and its value. */
    record Key(String name, List<byte[][]> commands, DataValue value, long expireAt) {}

    final Map<String, Key> keys = new LinkedHashMap<>();
    private final Random random = new Random(2026);
    private final long now;

    DataSet(long now) {
        this.now = now;
        str("str:int", b("12345"));
        str("str:neg", b("-7"));
        str("str:intmax", b("9223372036854775807"));
        str("str:intmin", b("-9223372036854775808"));
        str("str:lead0", b("007"));
        str("str:float", b("3.14"));
        str("str:embstr", b("hello world"));
        str("str:empty", new byte[0]);
        byte[] bin = new byte[256];
        for (int i = 0; i < 256; i++) {
            bin[i] = (byte) i;
        }
        str("str:bin", bin);
        byte[] rnd = new byte[3000];
        random.nextBytes(rnd);
        str("str:random", rnd);
        str("str:big", b("abcdefghij".repeat(10_000)));
        str("str:21", b("x".repeat(21)));

        hash("hash:small", "listpack", "f1", "v1", "f2", "2", "n", "-300000", "empty", "");
        List<String> big = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            big.add("field:" + i);
            big.add(i % 3 == 0 ? Integer.toString(i) : "value-" + i);
        }
        hash("hash:big", "hashtable", big.toArray(new String[0]));
        hash("hash:longval", "hashtable", "f", "L".repeat(100));

        zset("zset:small", "listpack", new String[] {"a", "b", "c", "d", "e", "f"},
                new double[] {Double.NEGATIVE_INFINITY, -0.25, 0, 1.5, 3, Double.POSITIVE_INFINITY});
        String[] zm = new String[500];
        double[] zs = new double[500];
        for (int i = 0; i < 500; i++) {
            zm[i] = "m" + i;
            zs[i] = i == 0 ? Double.NEGATIVE_INFINITY : i == 1 ? Double.POSITIVE_INFINITY : (random.nextDouble() - 0.5) * 1e6;
        }
        zset("zset:big", "skiplist", zm, zs);

        set("set:int", "intset", "1", "-5", "300", "70000", "5000000000", "-9223372036854775808");
        String[] ints = new String[1000];
        for (int i = 0; i < 1000; i++) {
            ints[i] = Integer.toString(i * 7);
        }
        set("set:bigint", "hashtable", ints);
        set("set:str", "hashtable", "a", "b", "hello", "007", "");

        list("list:small", "1", "two", "-3", "", "5000000000");
        String[] items = new String[20_000];
        for (int i = 0; i < items.length; i++) {
            items[i] = i % 5 == 0 ? Integer.toString(i) : "item-" + i + "-" + "z".repeat(i % 50);
        }
        list("list:big", items);
        String[] large = new String[10];
        for (int i = 0; i < large.length; i++) {
            large[i] = Character.toString('A' + i).repeat(3000 + i * 1000);
        }
        list("list:largeelems", large);

        long in1h = now + 3_600_000L + 123;
        expiring("ttl:str", RdbValues.string(b("soon")), in1h, cmd("SET", "ttl:str", "soon"));
        expiring("ttl:list", RdbValues.list(Model.bytesList("a", "b")), in1h + 1, cmd("RPUSH", "ttl:list", "a", "b"));
        expiring("ttl:far", RdbValues.string(b("later")), 4102444800000L, cmd("SET", "ttl:far", "later"));
    }

    static byte[][] cmd(String... argv) {
        byte[][] out = new byte[argv.length][];
        for (int i = 0; i < argv.length; i++) {
            out[i] = b(argv[i]);
        }
        return out;
    }

    private void str(String key, byte[] v) {
        keys.put(key, new Key(key, List.<byte[][]>of(new byte[][] {b("SET"), b(key), v}), RdbValues.string(v), -1));
    }

    private void hash(String key, String enc, String... fv) {
        List<byte[][]> cmds = new ArrayList<>();
        for (int i = 0; i < fv.length; i += 100) {
            List<String> argv = new ArrayList<>(List.of("HSET", key));
            argv.addAll(List.of(fv).subList(i, Math.min(fv.length, i + 100)));
            cmds.add(cmd(argv.toArray(new String[0])));
        }
        keys.put(key, new Key(key, cmds, RdbValues.hash(enc, Model.bytesList(fv)), -1));
    }

    private void zset(String key, String enc, String[] members, double[] scores) {
        List<byte[][]> cmds = new ArrayList<>();
        for (int i = 0; i < members.length; i++) {
            String s = Double.isInfinite(scores[i]) ? (scores[i] > 0 ? "+inf" : "-inf") : Double.toString(scores[i]);
            cmds.add(cmd("ZADD", key, s, members[i]));
        }
        keys.put(key, new Key(key, cmds, RdbValues.zset(enc, Model.bytesList(members), scores), -1));
    }

    private void set(String key, String enc, String... members) {
        List<String> argv = new ArrayList<>(List.of("SADD", key));
        argv.addAll(List.of(members));
        keys.put(key, new Key(key, List.<byte[][]>of(cmd(argv.toArray(new String[0]))),
                RdbValues.set(enc, Model.bytesList(members)), -1));
    }

    private void list(String key, String... items) {
        List<byte[][]> cmds = new ArrayList<>();
        for (int i = 0; i < items.length; i += 500) {
            List<String> argv = new ArrayList<>(List.of("RPUSH", key));
            argv.addAll(List.of(items).subList(i, Math.min(items.length, i + 500)));
            cmds.add(cmd(argv.toArray(new String[0])));
        }
        keys.put(key, new Key(key, cmds, RdbValues.list(Model.bytesList(items)), -1));
    }

    private void expiring(String key, DataValue v, long at, byte[][] create) {
        keys.put(key, new Key(key, List.of(create, cmd("PEXPIREAT", key, Long.toString(at))), v, at));
    }

    /** The data set as a snapshot of database {@code db}. */
    Model.Snapshot snapshot(int db) {
        Model.Snapshot s = new Model.Snapshot(16);
        keys.values().forEach(k -> s.put(db, k.name(), k.value(), k.expireAt()));
        return s;
    }
}
