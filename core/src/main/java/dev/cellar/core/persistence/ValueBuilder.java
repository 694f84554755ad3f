package dev.cellar.core.persistence;

import dev.cellar.core.engine.Settings;
import dev.cellar.core.values.HashValue;
import dev.cellar.core.values.ListValue;
import dev.cellar.core.values.SetValue;
import dev.cellar.core.values.ZSetValue;
import dev.cellar.spi.persistence.DataValue;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a keyspace value from a {@link DataValue} (a loaded key, a RESTORE payload) with the value
 * classes' own methods and the thresholds their commands read, as Redis's {@code rdbLoadObject}
 * builds a value: the encoding is the one the engine would reach by adding the same elements with
 * RPUSH, SADD, HSET or ZADD under the current settings (the last of duplicate fields or members
 * wins, as it would there), but no command is dispatched and no score goes through text.
 *
 * <p>It used to run those commands, in chunks; that cost a dispatch per chunk, a decimal
 * formatting and parsing per score and an insertion sort into each small sorted set, and made a
 * load of collections about ten times slower than Redis's (docs/performance.md, "Loading
 * collections"). {@code ValueBuilderTest} holds the two ways to the same encodings and contents.
 */
final class ValueBuilder {
    private ValueBuilder() {}

    /**
     * The value to store for {@code value}: the string's bytes for a string (the caller stores it
     * with {@code Db.setKey}, which encodes it), else a new list, set, hash or sorted set.
     */
    static Object build(Settings settings, DataValue value) {
        // Each kind is built by a method of its own, called through an interface from a table, not
        // from a chain of direct calls: C2 inlined all of them into this method (27 KB of code,
        // half a second of a core while a load of collections ran on the other); through a call
        // site that sees several classes each builder is compiled alone.
        int kind = value instanceof DataValue.StringData ? 0 : value instanceof DataValue.ListData ? 1
                : value instanceof DataValue.SetData ? 2 : value instanceof DataValue.HashData ? 3
                : value instanceof DataValue.ZSetData ? 4 : -1;
        if (kind < 0) {
            throw new IllegalArgumentException("unknown value kind " + value.getClass().getName());
        }
        return BUILDERS[kind].build(settings, value);
    }

    private interface KindBuilder {
        Object build(Settings settings, DataValue value);
    }

    private static final KindBuilder[] BUILDERS = {
        (settings, value) -> ((DataValue.StringData) value).bytes(),
        (settings, value) -> list(settings, (DataValue.ListData) value),
        (settings, value) -> set(settings, (DataValue.SetData) value),
        (settings, value) -> hash(settings, (DataValue.HashData) value),
        (settings, value) -> zset((DataValue.ZSetData) value, new ZSetValue.Limits(
                settings.getLong("zset-max-listpack-entries"), settings.getLong("zset-max-listpack-value"))),
    };

    private static ListValue list(Settings settings, DataValue.ListData l) {
        ListValue list = new ListValue(settings.getInt("list-max-listpack-size"));
        List<byte[]> listpacks = l.listpacks();
        if (listpacks != null) {
            // Redis's listpack entries are this list's node entries: the nodes are taken over.
            for (byte[] lp : listpacks) {
                list.appendListpack(lp);
            }
            return list;
        }
        l.forEach(list::pushTail);
        return list;
    }

    private static SetValue set(Settings settings, DataValue.SetData s) {
        long maxIntset = settings.getLong("set-max-intset-entries");
        long[] integers = s.integers();
        if (integers != null && integers.length <= maxIntset) {
            return SetValue.ofIntegers(integers);
        }
        // More distinct members than an intset may hold: SADD would end in a hashtable.
        SetValue set = s.distinct() && s.size() > maxIntset
                ? SetValue.createHashtable((int) Math.min(s.size(), 1 << 20)) : new SetValue();
        s.forEach(member -> set.add(member, maxIntset));
        return set;
    }

    private static HashValue hash(Settings settings, DataValue.HashData h) {
        long maxEntries = settings.getLong("hash-max-listpack-entries");
        long maxValue = settings.getLong("hash-max-listpack-value");
        if (h.distinct() && h.size() <= maxEntries) {
            HashValue small = HashValue.listpackOf(h, maxValue);
            if (small != null && small.size() <= maxEntries) {
                return small;
            }
        }
        HashValue hash = HashValue.create();
        if (h.distinct() && h.size() > maxEntries) {
            hash.convertToHashtable(); // where HSET would end, without a listpack on the way
        }
        h.forEach((field, v) -> hash.set(field, v, maxEntries, maxValue));
        return hash;
    }

    /**
     * A sorted set. One that may fit a listpack is gathered (duplicates resolved, the last score
     * winning, unless the value promises none) and encoded at once ({@link ZSetValue#fromEntries}, which picks the encoding by the
     * final size, as a run of ZADDs ends); a larger one goes straight into a skiplist.
     */
    private static ZSetValue zset(DataValue.ZSetData z, ZSetValue.Limits limits) {
        if (z.size() > limits.maxEntries()) {
            if (z.distinct()) {
                return ZSetValue.skiplistOfDistinct(z); // appended in order, no search per member
            }
            ZSetValue set = ZSetValue.createSkiplist();
            z.forEach((member, score) -> set.put(member, score, limits));
            return set;
        }
        List<ZSetValue.Entry> entries = new ArrayList<>((int) Math.max(0, z.size()));
        if (z.distinct()) {
            z.forEach((member, score) -> entries.add(new ZSetValue.Entry(member, score)));
        } else {
            Map<ByteBuffer, Integer> seen = new HashMap<>();
            z.forEach((member, score) -> {
                Integer at = seen.putIfAbsent(ByteBuffer.wrap(member), entries.size());
                if (at == null) {
                    entries.add(new ZSetValue.Entry(member, score));
                } else {
                    entries.set(at, new ZSetValue.Entry(member, score));
                }
            });
        }
        return ZSetValue.fromEntries(entries, limits);
    }
}
