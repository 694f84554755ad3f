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
        if (value instanceof DataValue.StringData s) {
            return s.bytes();
        } else if (value instanceof DataValue.ListData l) {
            ListValue list = new ListValue(settings.getInt("list-max-listpack-size"));
            l.forEach(list::pushTail);
            return list;
        } else if (value instanceof DataValue.SetData s) {
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
        } else if (value instanceof DataValue.HashData h) {
            long maxEntries = settings.getLong("hash-max-listpack-entries");
            long maxValue = settings.getLong("hash-max-listpack-value");
            if (h.distinct() && h.size() <= maxEntries) {
                List<byte[]> fv = new ArrayList<>((int) Math.max(0, h.size()) * 2);
                h.forEach((field, v) -> {
                    fv.add(field);
                    fv.add(v);
                });
                HashValue small = fv.size() / 2 <= maxEntries ? HashValue.listpackOf(fv, maxValue) : null;
                if (small != null) {
                    return small;
                }
            }
            HashValue hash = HashValue.create();
            if (h.distinct() && h.size() > maxEntries) {
                hash.convertToHashtable(); // where HSET would end, without a listpack on the way
            }
            h.forEach((field, v) -> hash.set(field, v, maxEntries, maxValue));
            return hash;
        } else if (value instanceof DataValue.ZSetData z) {
            return zset(z, new ZSetValue.Limits(settings.getLong("zset-max-listpack-entries"),
                    settings.getLong("zset-max-listpack-value")));
        }
        throw new IllegalArgumentException("unknown value kind " + value.getClass().getName());
    }

    /**
     * A sorted set. One that may fit a listpack is gathered (duplicates resolved, the last score
     * winning, unless the value promises none) and encoded at once ({@link ZSetValue#fromEntries}, which picks the encoding by the
     * final size, as a run of ZADDs ends); a larger one goes straight into a skiplist.
     */
    private static ZSetValue zset(DataValue.ZSetData z, ZSetValue.Limits limits) {
        if (z.size() > limits.maxEntries()) {
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
