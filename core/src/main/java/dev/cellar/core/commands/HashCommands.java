package dev.cellar.core.commands;

import dev.cellar.api.Reply;
import dev.cellar.core.Glob;
import dev.cellar.core.engine.Args;
import dev.cellar.core.engine.ByteKey;
import dev.cellar.core.engine.CommandError;
import dev.cellar.core.engine.CommandTable;
import dev.cellar.core.engine.Ctx;
import dev.cellar.core.engine.Errors;
import dev.cellar.core.engine.KeyspaceListener;
import dev.cellar.core.values.HashValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The hash commands (Redis's {@code t_hash.c}).
 *
 * <p>Encoding: every write passes the current {@code hash-max-listpack-entries} and
 * {@code hash-max-listpack-value} to {@link HashValue#set}, and HSET/HMSET/HSETNX first convert
 * when any argument is too long for a listpack, as {@code hashTypeTryConversion} does, so a hash
 * changes encoding at exactly the command where Redis's does; iteration order of small hashes
 * (HGETALL, HKEYS, HSCAN) therefore matches Redis's.
 */
public final class HashCommands {
    static final String NOT_INTEGER = "ERR hash value is not an integer";
    static final String NOT_FLOAT = "ERR hash value is not a float";
    static final String INCR_NAN_OR_INF = "ERR value is NaN or Infinity";
    static final String RESULT_NAN_OR_INF = "ERR increment would produce NaN or Infinity";
    static final String COUNT_RANGE =
            "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807";
    static final String OUT_OF_RANGE = "ERR value is out of range";

    static final String MAX_ENTRIES = "hash-max-listpack-entries";
    static final String MAX_VALUE = "hash-max-listpack-value";

    /** HINCRBYFLOAT is propagated as {@code HSET key field result}. */
    private static final byte[] HSET = Args.bytes("HSET");
    /** Redis's {@code HRANDFIELD_SUB_STRATEGY_MUL}. */
    private static final int SUB_STRATEGY_MUL = 3;

    private HashCommands() {}

    /** Registers the family's commands. */
    public static void register(CommandTable t) {
        t.add("hset", -4, "write denyoom fast", 1, 1, 1, "hash", HashCommands::hset);
        t.add("hsetnx", 4, "write denyoom fast", 1, 1, 1, "hash", HashCommands::hsetnx);
        t.add("hmset", -4, "write denyoom fast", 1, 1, 1, "hash", HashCommands::hset);
        t.add("hget", 3, "readonly fast", 1, 1, 1, "hash", HashCommands::hget);
        t.add("hmget", -3, "readonly fast", 1, 1, 1, "hash", HashCommands::hmget);
        t.add("hdel", -3, "write fast", 1, 1, 1, "hash", HashCommands::hdel);
        t.add("hlen", 2, "readonly fast", 1, 1, 1, "hash", HashCommands::hlen);
        t.add("hstrlen", 3, "readonly fast", 1, 1, 1, "hash", HashCommands::hstrlen);
        t.add("hexists", 3, "readonly fast", 1, 1, 1, "hash", HashCommands::hexists);
        t.add("hkeys", 2, "readonly", 1, 1, 1, "hash", ctx -> getAll(ctx, true, false));
        t.add("hvals", 2, "readonly", 1, 1, 1, "hash", ctx -> getAll(ctx, false, true));
        t.add("hgetall", 2, "readonly", 1, 1, 1, "hash", ctx -> getAll(ctx, true, true));
        t.add("hincrby", 4, "write denyoom fast", 1, 1, 1, "hash", HashCommands::hincrby);
        t.add("hincrbyfloat", 4, "write denyoom fast", 1, 1, 1, "hash", HashCommands::hincrbyfloat);
        t.add("hrandfield", -2, "readonly", 1, 1, 1, "hash", HashCommands::hrandfield);
        t.add("hscan", -3, "readonly", 1, 1, 1, "hash", HashCommands::hscan);
    }

    // ------------------------------------------------------------------ helpers

    /** The hash at {@code key} for writing, created empty when absent ({@code hashTypeLookupWriteOrCreate}). */
    private static HashValue lookupOrCreate(Ctx ctx, byte[] key) {
        HashValue h = ctx.lookupWrite(key, HashValue.class);
        if (h == null) {
            h = HashValue.create();
            ctx.db().add(key, h);
        }
        return h;
    }

    /** Sets one field with the thresholds of the moment. */
    private static boolean set(Ctx ctx, HashValue h, byte[] field, byte[] value) {
        return h.set(field, value, ctx.settings().getLong(MAX_ENTRIES), ctx.settings().getLong(MAX_VALUE));
    }

    /** Converts to a hashtable when any of {@code argv[from..to]} is too long for a listpack. */
    private static void tryConversion(Ctx ctx, HashValue h, int from, int to) {
        if (!h.isListpack()) {
            return;
        }
        long max = ctx.settings().getLong(MAX_VALUE);
        for (int i = from; i <= to; i++) {
            if (ctx.arg(i).length > max) {
                h.convertToHashtable();
                return;
            }
        }
    }

    private static void changed(Ctx ctx, byte[] key, String event, long dirty) {
        ctx.signalModified(key);
        ctx.notify(KeyspaceListener.HASH, event, key);
        ctx.dirty(dirty);
    }

    // ------------------------------------------------------------------ writes

    // HSET key field value [field value ...]
    // HMSET key field value [field value ...]
    static Reply hset(Ctx ctx) {
        if (ctx.argc() % 2 == 1) {
            throw new CommandError(Errors.arity(ctx.spec().name()));
        }
        byte[] key = ctx.arg(1);
        HashValue h = lookupOrCreate(ctx, key);
        tryConversion(ctx, h, 2, ctx.argc() - 1);
        long created = 0;
        for (int i = 2; i < ctx.argc(); i += 2) {
            if (set(ctx, h, ctx.arg(i), ctx.arg(i + 1))) {
                created++;
            }
        }
        changed(ctx, key, "hset", (ctx.argc() - 2) / 2);
        return ctx.spec().shortName().equals("hmset") ? Reply.OK : Reply.of(created);
    }

    // HSETNX key field value
    static Reply hsetnx(Ctx ctx) {
        byte[] key = ctx.arg(1);
        HashValue h = lookupOrCreate(ctx, key);
        if (h.contains(ctx.arg(2))) {
            return Reply.ZERO;
        }
        tryConversion(ctx, h, 2, 3);
        set(ctx, h, ctx.arg(2), ctx.arg(3));
        changed(ctx, key, "hset", 1);
        return Reply.ONE;
    }

    // HDEL key field [field ...]
    static Reply hdel(Ctx ctx) {
        byte[] key = ctx.arg(1);
        HashValue h = ctx.lookupWrite(key, HashValue.class);
        if (h == null) {
            return Reply.ZERO;
        }
        long deleted = 0;
        boolean keyRemoved = false;
        for (int i = 2; i < ctx.argc(); i++) {
            if (h.remove(ctx.arg(i))) {
                deleted++;
                if (h.size() == 0) {
                    ctx.db().delete(key);
                    keyRemoved = true;
                    break;
                }
            }
        }
        if (deleted > 0) {
            changed(ctx, key, "hdel", deleted);
            if (keyRemoved) {
                ctx.notify(KeyspaceListener.GENERIC, "del", key);
            }
        }
        return Reply.of(deleted);
    }

    // HINCRBY key field increment
    static Reply hincrby(Ctx ctx) {
        long incr = ctx.longArg(3);
        byte[] key = ctx.arg(1);
        byte[] field = ctx.arg(2);
        HashValue h = lookupOrCreate(ctx, key);
        byte[] current = h.get(field);
        long value = 0;
        if (current != null) {
            value = Args.parseLong(current, NOT_INTEGER);
        }
        if ((incr < 0 && value < 0 && incr < Long.MIN_VALUE - value)
                || (incr > 0 && value > 0 && incr > Long.MAX_VALUE - value)) {
            throw new CommandError(Errors.OVERFLOW);
        }
        value += incr;
        set(ctx, h, field, Args.bytes(value));
        changed(ctx, key, "hincrby", 1);
        return Reply.of(value);
    }

    // HINCRBYFLOAT key field increment
    static Reply hincrbyfloat(Ctx ctx) {
        LongDouble incr = parseFloat(ctx.arg(3), Errors.NOT_FLOAT);
        if (incr.isInfinite()) {
            throw new CommandError(INCR_NAN_OR_INF);
        }
        byte[] key = ctx.arg(1);
        byte[] field = ctx.arg(2);
        HashValue h = lookupOrCreate(ctx, key);
        byte[] current = h.get(field);
        LongDouble value = current == null ? LongDouble.ZERO : parseFloat(current, NOT_FLOAT);
        LongDouble sum = value.add(incr);
        if (!sum.isFinite()) {
            throw new CommandError(RESULT_NAN_OR_INF);
        }
        byte[] text = sum.toBytes();
        set(ctx, h, field, text);
        changed(ctx, key, "hincrbyfloat", 1);
        // Replicas and the AOF get the result, never the float arithmetic.
        ctx.propagateAs(HSET, key, field, text);
        return Reply.bulk(text);
    }

    private static LongDouble parseFloat(byte[] text, String error) {
        try {
            return LongDouble.parse(text);
        } catch (NumberFormatException e) {
            throw new CommandError(error);
        }
    }

    // ------------------------------------------------------------------ reads

    // HGET key field
    static Reply hget(Ctx ctx) {
        HashValue h = ctx.lookupRead(ctx.arg(1), HashValue.class);
        return h == null ? Reply.NULL : Reply.bulk(h.get(ctx.arg(2)));
    }

    // HMGET key field [field ...]
    static Reply hmget(Ctx ctx) {
        HashValue h = ctx.lookupRead(ctx.arg(1), HashValue.class);
        List<Reply> out = new ArrayList<>(ctx.argc() - 2);
        for (int i = 2; i < ctx.argc(); i++) {
            out.add(h == null ? Reply.NULL : Reply.bulk(h.get(ctx.arg(i))));
        }
        return Reply.array(out);
    }

    // HLEN key
    static Reply hlen(Ctx ctx) {
        HashValue h = ctx.lookupRead(ctx.arg(1), HashValue.class);
        return h == null ? Reply.ZERO : Reply.of(h.size());
    }

    // HSTRLEN key field
    static Reply hstrlen(Ctx ctx) {
        HashValue h = ctx.lookupRead(ctx.arg(1), HashValue.class);
        return h == null ? Reply.ZERO : Reply.of(Math.max(0, h.valueLength(ctx.arg(2))));
    }

    // HEXISTS key field
    static Reply hexists(Ctx ctx) {
        HashValue h = ctx.lookupRead(ctx.arg(1), HashValue.class);
        return h != null && h.contains(ctx.arg(2)) ? Reply.ONE : Reply.ZERO;
    }

    // HKEYS key | HVALS key | HGETALL key  (Redis's genericHgetallCommand)
    static Reply getAll(Ctx ctx, boolean fields, boolean values) {
        HashValue h = ctx.lookupRead(ctx.arg(1), HashValue.class);
        boolean map = fields && values;
        if (h == null) {
            return map ? new Reply.MapReply(List.of()) : Reply.EMPTY_ARRAY;
        }
        List<Reply> out = new ArrayList<>((int) h.size() * (map ? 2 : 1));
        h.forEach((f, v) -> {
            if (fields) {
                out.add(Reply.bulk(f));
            }
            if (values) {
                out.add(Reply.bulk(v));
            }
        });
        return map ? new Reply.MapReply(out) : Reply.array(out);
    }

    // HRANDFIELD key [count [WITHVALUES]]
    static Reply hrandfield(Ctx ctx) {
        byte[] key = ctx.arg(1);
        if (ctx.argc() >= 3) {
            long count = ctx.longArg(2);
            if (count == Long.MIN_VALUE) {
                throw new CommandError(COUNT_RANGE);
            }
            boolean withValues = false;
            if (ctx.argc() > 4 || (ctx.argc() == 4 && !ctx.is(3, "WITHVALUES"))) {
                throw new CommandError(Errors.SYNTAX);
            } else if (ctx.argc() == 4) {
                withValues = true;
                if (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2) {
                    throw new CommandError(OUT_OF_RANGE);
                }
            }
            return randomWithCount(ctx, key, count, withValues);
        }
        HashValue h = ctx.lookupRead(key, HashValue.class);
        if (h == null) {
            return Reply.NULL;
        }
        return Reply.bulk(h.randomEntry(ctx.random())[0]);
    }

    /**
     * HRANDFIELD with a count, following {@code hrandfieldWithCountCommand}'s cases: repeats allowed
     * for a negative count; the whole hash when the count covers it; otherwise distinct fields (for a
     * listpack in hash order; for a hashtable by removing from a copy or by sampling, depending on
     * how the count compares with the size).
     *
     * <p>Deliberate difference: a negative count beyond what a Java array can hold is refused with
     * {@code ERR value is out of range}, where Redis would try to send billions of replies.
     */
    private static Reply randomWithCount(Ctx ctx, byte[] key, long count, boolean withValues) {
        HashValue h = ctx.lookupRead(key, HashValue.class);
        if (h == null || count == 0) {
            return Reply.EMPTY_ARRAY;
        }
        boolean resp3 = ctx.session().resp() >= 3;
        RandomGenerator random = ctx.random();
        long size = h.size();
        List<byte[][]> picked = new ArrayList<>();

        if (count < 0 || count == 1) {
            long n = Math.abs(count);
            if (n > Integer.MAX_VALUE - 8 || (withValues && n * 2 > Integer.MAX_VALUE - 8)) {
                throw new CommandError(OUT_OF_RANGE);
            }
            if (h.isListpack()) {
                List<byte[][]> all = entries(h);
                for (long i = 0; i < n; i++) {
                    picked.add(all.get(random.nextInt(all.size())));
                }
            } else {
                for (long i = 0; i < n; i++) {
                    picked.add(h.randomEntry(random));
                }
            }
        } else if (count >= size) {
            picked = entries(h);
        } else if (h.isListpack()) {
            // Distinct fields in their listpack order (lpRandomPairsUnique).
            List<byte[][]> all = entries(h);
            boolean[] chosen = new boolean[all.size()];
            int remaining = (int) count;
            for (int i = 0; i < all.size() && remaining > 0; i++) {
                // Selection sampling: each entry is kept with probability remaining / left.
                if (random.nextInt(all.size() - i) < remaining) {
                    chosen[i] = true;
                    remaining--;
                }
            }
            for (int i = 0; i < all.size(); i++) {
                if (chosen[i]) {
                    picked.add(all.get(i));
                }
            }
        } else if (count * SUB_STRATEGY_MUL > size) {
            // Copy the hash and remove random fields until count remain.
            List<byte[][]> all = entries(h);
            while (all.size() > count) {
                int victim = random.nextInt(all.size());
                all.set(victim, all.get(all.size() - 1));
                all.remove(all.size() - 1);
            }
            picked = all;
        } else {
            // Few fields of many: sample until count distinct ones are found.
            Set<ByteKey> seen = new HashSet<>();
            while (picked.size() < count) {
                byte[][] e = h.randomEntry(random);
                if (seen.add(new ByteKey(e[0]))) {
                    picked.add(e);
                }
            }
        }
        List<Reply> out = new ArrayList<>(picked.size() * (withValues && !resp3 ? 2 : 1));
        for (byte[][] e : picked) {
            if (!withValues) {
                out.add(Reply.bulk(e[0]));
            } else if (resp3) {
                out.add(Reply.array(List.of(Reply.bulk(e[0]), Reply.bulk(e[1]))));
            } else {
                out.add(Reply.bulk(e[0]));
                out.add(Reply.bulk(e[1]));
            }
        }
        return Reply.array(out);
    }

    private static List<byte[][]> entries(HashValue h) {
        List<byte[][]> all = new ArrayList<>((int) h.size());
        h.forEach((f, v) -> all.add(new byte[][] {f, v}));
        return all;
    }

    // HSCAN key cursor [MATCH pattern] [COUNT count]
    static Reply hscan(Ctx ctx) {
        long cursor = Args.parseScanCursor(ctx.arg(2));
        HashValue h = ctx.lookupRead(ctx.arg(1), HashValue.class);
        if (h == null) {
            return scanReply(0, List.of());
        }
        long count = 10;
        byte[] pattern = null;
        for (int i = 3; i < ctx.argc(); i += 2) {
            boolean hasValue = i + 1 < ctx.argc();
            if (ctx.is(i, "COUNT") && hasValue) {
                count = ctx.longArg(i + 1);
                if (count < 1) {
                    throw new CommandError(Errors.SYNTAX);
                }
            } else if (ctx.is(i, "MATCH") && hasValue) {
                byte[] p = ctx.arg(i + 1);
                pattern = p.length == 1 && p[0] == '*' ? null : p;
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        List<byte[]> found = new ArrayList<>();
        byte[] match = pattern;
        java.util.function.BiConsumer<byte[], byte[]> collect = (f, v) -> {
            if (match == null || Glob.matches(match, f, false)) {
                found.add(f);
                found.add(v);
            }
        };
        if (h.isListpack()) {
            cursor = h.scan(cursor, collect);
        } else {
            // Redis bounds the work per call to ten buckets per requested element.
            long maxIterations = count > Long.MAX_VALUE / 10 ? Long.MAX_VALUE : count * 10;
            int[] visited = new int[1];
            java.util.function.BiConsumer<byte[], byte[]> counting = (f, v) -> {
                visited[0] += 2; // Redis counts fields and values alike
                collect.accept(f, v);
            };
            do {
                cursor = h.scan(cursor, counting);
            } while (cursor != 0 && maxIterations-- > 0 && visited[0] < count);
        }
        return scanReply(cursor, found);
    }

    private static Reply scanReply(long cursor, List<byte[]> items) {
        return Reply.array(List.of(Reply.bulk(Long.toUnsignedString(cursor)), Replies.bulks(items)));
    }

}
