package dev.cellar.core.commands;

import dev.cellar.api.Reply;
import dev.cellar.core.Glob;
import dev.cellar.core.Numbers;
import dev.cellar.core.engine.Args;
import dev.cellar.core.engine.ByteKey;
import dev.cellar.core.engine.CommandError;
import dev.cellar.core.engine.CommandTable;
import dev.cellar.core.engine.Ctx;
import dev.cellar.core.engine.Errors;
import dev.cellar.core.engine.KeyspaceListener;
import dev.cellar.core.values.ValueType;
import dev.cellar.core.values.ZSetValue;
import dev.cellar.core.values.ZSetValue.Entry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The sorted set command family (Redis's {@code t_zset.c}): single-key reads and writes, pops
 * (plain, multi-key and blocking), random members and ZSCAN. The range commands and the set
 * algebra live in {@link ZSetRangeCommands}.
 *
 * <p>Replies with scores use {@link Reply.Double}. Where Redis 7.0 nests member/score pairs only in
 * RESP3 (ZRANGE ... WITHSCORES, ZPOPMIN with a count, ZRANDMEMBER, ZUNION ...), the reply is shaped
 * by the session's protocol, as Redis does; ZMPOP and BZMPOP nest in both protocols.
 */
public final class ZSetCommands {
    static final String NAN_RESULT = "ERR resulting score is not a number (NaN)";
    static final String XX_NX = "ERR XX and NX options at the same time are not compatible";
    static final String GT_LT_NX = "ERR GT, LT, and/or NX options at the same time are not compatible";
    static final String INCR_PAIR = "ERR INCR option supports a single increment-element pair";
    static final String NUMKEYS = "ERR numkeys should be greater than 0";
    static final String COUNT_POSITIVE = "ERR count should be greater than 0";
    static final String OUT_OF_RANGE = "ERR value is out of range";
    static final String LONG_RANGE =
            "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807";

    private static final byte[] ZPOPMIN = Args.bytes("ZPOPMIN");
    private static final byte[] ZPOPMAX = Args.bytes("ZPOPMAX");

    private ZSetCommands() {}

    /** Registers the family's commands (flags as Redis 7.0's COMMAND INFO). */
    public static void register(CommandTable t) {
        t.add("zadd", -4, "write denyoom fast", 1, 1, 1, "sorted_set", ZSetCommands::zadd);
        t.add("zincrby", 4, "write denyoom fast", 1, 1, 1, "sorted_set", ZSetCommands::zadd);
        t.add("zrem", -3, "write fast", 1, 1, 1, "sorted_set", ZSetCommands::zrem);
        t.add("zcard", 2, "readonly fast", 1, 1, 1, "sorted_set", ZSetCommands::zcard);
        t.add("zscore", 3, "readonly fast", 1, 1, 1, "sorted_set", ZSetCommands::zscore);
        t.add("zmscore", -3, "readonly fast", 1, 1, 1, "sorted_set", ZSetCommands::zmscore);
        t.add("zrank", 3, "readonly fast", 1, 1, 1, "sorted_set", c -> zrank(c, false));
        t.add("zrevrank", 3, "readonly fast", 1, 1, 1, "sorted_set", c -> zrank(c, true));
        t.add("zpopmin", -2, "write fast", 1, 1, 1, "sorted_set", c -> zpop(c, false));
        t.add("zpopmax", -2, "write fast", 1, 1, 1, "sorted_set", c -> zpop(c, true));
        t.add("zmpop", -4, "write movablekeys", 0, 0, 0, "sorted_set", c -> zmpop(c, 1, false));
        t.add("bzpopmin", -3, "write noscript blocking fast", 1, -2, 1, "sorted_set", c -> bzpop(c, false));
        t.add("bzpopmax", -3, "write noscript blocking fast", 1, -2, 1, "sorted_set", c -> bzpop(c, true));
        t.add("bzmpop", -5, "write blocking movablekeys", 0, 0, 0, "sorted_set", c -> zmpop(c, 2, true));
        t.add("zrandmember", -2, "readonly", 1, 1, 1, "sorted_set", ZSetCommands::zrandmember);
        t.add("zscan", -3, "readonly", 1, 1, 1, "sorted_set", ZSetCommands::zscan);
        ZSetRangeCommands.register(t);
    }

    // ------------------------------------------------------------------ shared helpers

    static ZSetValue.Limits limits(Ctx ctx) {
        return new ZSetValue.Limits(ctx.settings().getLong("zset-max-listpack-entries"),
                ctx.settings().getLong("zset-max-listpack-value"));
    }

    static boolean resp3(Ctx ctx) {
        return ctx.session().resp() >= 3;
    }

    /** Members, or members with scores: nested pairs in RESP3, flat in RESP2 (Redis 7.0's shape). */
    static Reply entries(Ctx ctx, List<Entry> entries, boolean withScores) {
        return entries(entries, withScores, withScores && resp3(ctx));
    }

    static Reply entries(List<Entry> entries, boolean withScores, boolean nested) {
        List<Reply> out = new ArrayList<>(withScores && !nested ? entries.size() * 2 : entries.size());
        for (Entry e : entries) {
            if (!withScores) {
                out.add(new Reply.Bulk(e.member()));
            } else if (nested) {
                out.add(new Reply.Array(List.of(new Reply.Bulk(e.member()), new Reply.Double(e.score()))));
            } else {
                out.add(new Reply.Bulk(e.member()));
                out.add(new Reply.Double(e.score()));
            }
        }
        return new Reply.Array(out);
    }

    /** Deletes the key if its set became empty, notifying {@code del} as Redis does. */
    static void deleteIfEmpty(Ctx ctx, byte[] key, ZSetValue z) {
        if (z.size() == 0) {
            ctx.db().delete(key);
            ctx.notify(KeyspaceListener.GENERIC, "del", key);
        }
    }

    // ------------------------------------------------------------------ ZADD / ZINCRBY

    // ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]
    // ZINCRBY key increment member  (the same code with INCR set, as in Redis)
    static Reply zadd(Ctx ctx) {
        boolean incr = ctx.spec().shortName().equals("zincrby");
        boolean nx = false;
        boolean xx = false;
        boolean gt = false;
        boolean lt = false;
        boolean ch = false;
        int scoreIdx = 2;
        for (; scoreIdx < ctx.argc(); scoreIdx++) {
            if (ctx.is(scoreIdx, "nx")) {
                nx = true;
            } else if (ctx.is(scoreIdx, "xx")) {
                xx = true;
            } else if (ctx.is(scoreIdx, "ch")) {
                ch = true;
            } else if (ctx.is(scoreIdx, "incr")) {
                incr = true;
            } else if (ctx.is(scoreIdx, "gt")) {
                gt = true;
            } else if (ctx.is(scoreIdx, "lt")) {
                lt = true;
            } else {
                break;
            }
        }
        int elements = ctx.argc() - scoreIdx;
        if (elements % 2 != 0 || elements == 0) {
            throw new CommandError(Errors.SYNTAX);
        }
        elements /= 2;
        if (nx && xx) {
            throw new CommandError(XX_NX);
        }
        if ((gt && nx) || (lt && nx) || (gt && lt)) {
            throw new CommandError(GT_LT_NX);
        }
        if (incr && elements > 1) {
            throw new CommandError(INCR_PAIR);
        }
        double[] scores = new double[elements];
        for (int j = 0; j < elements; j++) {
            scores[j] = ctx.doubleArg(scoreIdx + j * 2);
        }
        byte[] key = ctx.arg(1);
        ZSetValue z = ctx.lookupWrite(key, ZSetValue.class);
        long added = 0;
        long updated = 0;
        boolean processed = false;
        double score = 0;
        if (z == null) {
            if (xx) {
                return incr ? Reply.NULL : Reply.ZERO;
            }
            z = ZSetValue.create();
            ctx.db().add(key, z);
        }
        ZSetValue.Limits limits = limits(ctx);
        try {
            for (int j = 0; j < elements; j++) {
                byte[] member = ctx.arg(scoreIdx + j * 2 + 1);
                score = scores[j];
                double cur = z.score(member);
                if (!Double.isNaN(cur)) {
                    if (nx) {
                        continue;
                    }
                    if (incr) {
                        score += cur;
                        if (Double.isNaN(score)) {
                            throw new CommandError(NAN_RESULT);
                        }
                    }
                    if ((lt && score >= cur) || (gt && score <= cur)) {
                        continue;
                    }
                    processed = true;
                    if (score != cur) {
                        z.put(member, score, limits);
                        updated++;
                    }
                } else if (!xx) {
                    z.put(member, score, limits);
                    added++;
                    processed = true;
                }
            }
        } finally {
            if (added + updated > 0) {
                ctx.dirty(added + updated);
                ctx.signalModified(key);
                ctx.notify(KeyspaceListener.ZSET, incr ? "zincr" : "zadd", key);
            }
        }
        if (incr) {
            return processed ? new Reply.Double(score) : Reply.NULL;
        }
        return Reply.of(ch ? added + updated : added);
    }

    // ZREM key member [member ...]
    static Reply zrem(Ctx ctx) {
        byte[] key = ctx.arg(1);
        ZSetValue z = ctx.lookupWrite(key, ZSetValue.class);
        if (z == null) {
            return Reply.ZERO;
        }
        long deleted = 0;
        for (int i = 2; i < ctx.argc(); i++) {
            if (z.remove(ctx.arg(i))) {
                deleted++;
                if (z.size() == 0) {
                    break;
                }
            }
        }
        if (deleted > 0) {
            ctx.notify(KeyspaceListener.ZSET, "zrem", key);
            deleteIfEmpty(ctx, key, z);
            ctx.signalModified(key);
            ctx.dirty(deleted);
        }
        return Reply.of(deleted);
    }

    // ------------------------------------------------------------------ single-key reads

    // ZCARD key
    static Reply zcard(Ctx ctx) {
        ZSetValue z = ctx.lookupRead(ctx.arg(1), ZSetValue.class);
        return Reply.of(z == null ? 0 : z.size());
    }

    // ZSCORE key member
    static Reply zscore(Ctx ctx) {
        ZSetValue z = ctx.lookupRead(ctx.arg(1), ZSetValue.class);
        double s = z == null ? Double.NaN : z.score(ctx.arg(2));
        return Double.isNaN(s) ? Reply.NULL : new Reply.Double(s);
    }

    // ZMSCORE key member [member ...]
    static Reply zmscore(Ctx ctx) {
        ZSetValue z = ctx.lookupRead(ctx.arg(1), ZSetValue.class);
        List<Reply> out = new ArrayList<>(ctx.argc() - 2);
        for (int i = 2; i < ctx.argc(); i++) {
            double s = z == null ? Double.NaN : z.score(ctx.arg(i));
            out.add(Double.isNaN(s) ? Reply.NULL : new Reply.Double(s));
        }
        return new Reply.Array(out);
    }

    // ZRANK key member / ZREVRANK key member
    static Reply zrank(Ctx ctx, boolean reverse) {
        ZSetValue z = ctx.lookupRead(ctx.arg(1), ZSetValue.class);
        if (z == null) {
            return Reply.NULL;
        }
        long rank = z.rank(ctx.arg(2));
        if (rank < 0) {
            return Reply.NULL;
        }
        return Reply.of(reverse ? z.size() - 1 - rank : rank);
    }

    // ------------------------------------------------------------------ pops

    /** Pops up to {@code count} members from one end; the set must be non-empty. */
    static List<Entry> popFrom(Ctx ctx, byte[] key, ZSetValue z, long count, boolean max) {
        long n = Math.min(count, z.size());
        List<Entry> popped = new ArrayList<>((int) n);
        ZSetValue.Cursor c = z.cursor(max ? z.size() - 1 : 0, max);
        for (long i = 0; i < n && c.next(); i++) {
            popped.add(new Entry(c.member(), c.score()));
        }
        if (max) {
            z.removeRange(z.size() - n, z.size() - 1);
        } else {
            z.removeRange(0, n - 1);
        }
        deleteIfEmpty(ctx, key, z);
        ctx.signalModified(key);
        ctx.notify(KeyspaceListener.ZSET, max ? "zpopmax" : "zpopmin", key);
        ctx.dirty(n);
        return popped;
    }

    // ZPOPMIN key [count] / ZPOPMAX key [count]
    static Reply zpop(Ctx ctx, boolean max) {
        if (ctx.argc() > 3) {
            throw new CommandError(Errors.SYNTAX);
        }
        long count = -1;
        if (ctx.argc() == 3) {
            count = Args.parseLong(ctx.arg(2), Errors.NOT_POSITIVE);
            if (count < 0) {
                throw new CommandError(Errors.NOT_POSITIVE);
            }
        }
        byte[] key = ctx.arg(1);
        ZSetValue z = ctx.lookupWrite(key, ZSetValue.class);
        if (z == null || count == 0) {
            return Reply.EMPTY_ARRAY;
        }
        List<Entry> popped = popFrom(ctx, key, z, count == -1 ? 1 : count, max);
        return entries(popped, true, resp3(ctx) && count != -1);
    }

    // BZPOPMIN key [key ...] timeout / BZPOPMAX key [key ...] timeout
    static Reply bzpop(Ctx ctx, boolean max) {
        long timeout = Args.parseTimeoutMillis(ctx.arg(ctx.argc() - 1));
        List<byte[]> keys = new ArrayList<>();
        for (int i = 1; i < ctx.argc() - 1; i++) {
            keys.add(ctx.arg(i));
        }
        for (byte[] key : keys) {
            ZSetValue z = ctx.lookupWrite(key, ZSetValue.class);
            if (z == null || z.size() == 0) {
                continue;
            }
            List<Entry> popped = popFrom(ctx, key, z, 1, max);
            ctx.propagateAs(max ? ZPOPMAX : ZPOPMIN, key);
            Entry e = popped.get(0);
            return new Reply.Array(List.of(new Reply.Bulk(key), new Reply.Bulk(e.member()),
                    new Reply.Double(e.score())));
        }
        if (!ctx.mayBlock()) {
            return Reply.NULL_ARRAY;
        }
        return ctx.block(ValueType.ZSET, distinct(keys), timeout, Reply.NULL_ARRAY);
    }

    /** The keys without repeats, in order: a client waits once per key, as Redis's blockForKeys. */
    private static List<byte[]> distinct(List<byte[]> keys) {
        Set<ByteKey> seen = new HashSet<>();
        List<byte[]> out = new ArrayList<>(keys.size());
        for (byte[] k : keys) {
            if (seen.add(new ByteKey(k))) {
                out.add(k);
            }
        }
        return out;
    }

    // ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]
    // BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]
    static Reply zmpop(Ctx ctx, int numkeysIdx, boolean blocking) {
        long numkeys = Args.parseLong(ctx.arg(numkeysIdx), NUMKEYS);
        if (numkeys < 1) {
            throw new CommandError(NUMKEYS);
        }
        long whereIdx = numkeysIdx + numkeys + 1;
        if (whereIdx >= ctx.argc()) {
            throw new CommandError(Errors.SYNTAX);
        }
        boolean max;
        if (ctx.is((int) whereIdx, "min")) {
            max = false;
        } else if (ctx.is((int) whereIdx, "max")) {
            max = true;
        } else {
            throw new CommandError(Errors.SYNTAX);
        }
        long count = -1;
        for (int j = (int) whereIdx + 1; j < ctx.argc(); j++) {
            boolean moreArgs = ctx.argc() - 1 - j > 0;
            if (count == -1 && ctx.is(j, "count") && moreArgs) {
                j++;
                count = Args.parseLong(ctx.arg(j), COUNT_POSITIVE);
                if (count < 1) {
                    throw new CommandError(COUNT_POSITIVE);
                }
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        if (count == -1) {
            count = 1;
        }
        long timeout = blocking ? Args.parseTimeoutMillis(ctx.arg(1)) : 0;
        List<byte[]> keys = new ArrayList<>();
        for (int i = numkeysIdx + 1; i < whereIdx; i++) {
            keys.add(ctx.arg(i));
        }
        for (byte[] key : keys) {
            ZSetValue z = ctx.lookupWrite(key, ZSetValue.class);
            if (z == null || z.size() == 0) {
                continue;
            }
            List<Entry> popped = popFrom(ctx, key, z, count, max);
            ctx.propagateAs(max ? ZPOPMAX : ZPOPMIN, key, Args.bytes(popped.size()));
            return new Reply.Array(List.of(new Reply.Bulk(key), entries(popped, true, true)));
        }
        if (!blocking || !ctx.mayBlock()) {
            return Reply.NULL_ARRAY;
        }
        return ctx.block(ValueType.ZSET, distinct(keys), timeout, Reply.NULL_ARRAY);
    }

    // ------------------------------------------------------------------ ZRANDMEMBER

    // ZRANDMEMBER key [count [WITHSCORES]]
    static Reply zrandmember(Ctx ctx) {
        if (ctx.argc() >= 3) {
            long l;
            try {
                l = Numbers.parseLong(ctx.arg(2));
            } catch (NumberFormatException e) {
                throw new CommandError(Errors.NOT_INTEGER);
            }
            if (l == Long.MIN_VALUE) {
                throw new CommandError(LONG_RANGE);
            }
            boolean withScores = false;
            if (ctx.argc() > 4 || (ctx.argc() == 4 && !ctx.is(3, "withscores"))) {
                throw new CommandError(Errors.SYNTAX);
            } else if (ctx.argc() == 4) {
                withScores = true;
                if (l < -Long.MAX_VALUE / 2 || l > Long.MAX_VALUE / 2) {
                    throw new CommandError(OUT_OF_RANGE);
                }
            }
            return zrandmemberWithCount(ctx, l, withScores);
        }
        ZSetValue z = ctx.lookupRead(ctx.arg(1), ZSetValue.class);
        if (z == null) {
            return Reply.NULL;
        }
        ZSetValue.Cursor c = z.cursor(ctx.random().nextLong(z.size()), false);
        c.next();
        return new Reply.Bulk(c.member());
    }

    private static Reply zrandmemberWithCount(Ctx ctx, long l, boolean withScores) {
        ZSetValue z = ctx.lookupRead(ctx.arg(1), ZSetValue.class);
        if (z == null || l == 0) {
            return Reply.EMPTY_ARRAY;
        }
        long size = z.size();
        List<Entry> out = new ArrayList<>();
        if (l < 0) {
            // repetitions allowed: independent picks
            long count = -l;
            Entry[] all = z.isListpack() ? all(z) : null;
            for (long i = 0; i < count; i++) {
                long r = ctx.random().nextLong(size);
                if (all != null) {
                    out.add(all[(int) r]);
                } else {
                    ZSetValue.Cursor c = z.cursor(r, false);
                    c.next();
                    out.add(new Entry(c.member(), c.score()));
                }
            }
        } else if (l >= size) {
            out.addAll(Arrays.asList(all(z)));
        } else if (l * 3 > size) {
            // many of the members: shuffle the first l of them into place
            Entry[] all = all(z);
            for (int i = 0; i < l; i++) {
                int j = i + ctx.random().nextInt((int) (size - i));
                Entry t = all[i];
                all[i] = all[j];
                all[j] = t;
                out.add(all[i]);
            }
        } else {
            Set<Long> picked = new HashSet<>();
            while (picked.size() < l) {
                long r = ctx.random().nextLong(size);
                if (picked.add(r)) {
                    ZSetValue.Cursor c = z.cursor(r, false);
                    c.next();
                    out.add(new Entry(c.member(), c.score()));
                }
            }
        }
        return entries(ctx, out, withScores);
    }

    private static Entry[] all(ZSetValue z) {
        Entry[] all = new Entry[(int) z.size()];
        int[] i = {0};
        z.forEach((m, s) -> all[i[0]++] = new Entry(m, s));
        return all;
    }

    // ------------------------------------------------------------------ ZSCAN

    // ZSCAN key cursor [MATCH pattern] [COUNT count]
    static Reply zscan(Ctx ctx) {
        long cursor = Args.parseScanCursor(ctx.arg(2));
        ZSetValue z = ctx.lookupRead(ctx.arg(1), ZSetValue.class);
        if (z == null) {
            return new Reply.Array(List.of(Reply.bulk("0"), Reply.EMPTY_ARRAY));
        }
        long count = 10;
        byte[] pattern = null;
        for (int i = 3; i < ctx.argc(); ) {
            int left = ctx.argc() - i;
            if (ctx.is(i, "count") && left >= 2) {
                count = ctx.longArg(i + 1);
                if (count < 1) {
                    throw new CommandError(Errors.SYNTAX);
                }
                i += 2;
            } else if (ctx.is(i, "match") && left >= 2) {
                byte[] p = ctx.arg(i + 1);
                pattern = p.length == 1 && p[0] == '*' ? null : p;
                i += 2;
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        List<Entry> scanned = new ArrayList<>();
        long next;
        if (z.isListpack()) {
            z.forEach((m, s) -> scanned.add(new Entry(m, s)));
            next = 0;
        } else {
            // Redis counts members and scores alike against COUNT, before MATCH filters them
            long maxIterations = count * 10;
            next = cursor;
            do {
                next = z.scanStep(next, (m, s) -> scanned.add(new Entry(m, s)));
            } while (next != 0 && maxIterations-- > 0 && scanned.size() * 2L < count);
        }
        List<Reply> items = new ArrayList<>();
        for (Entry e : scanned) {
            if (pattern == null || Glob.matches(pattern, e.member(), false)) {
                items.add(new Reply.Bulk(e.member()));
                items.add(Reply.bulk(Numbers.formatDouble(e.score())));
            }
        }
        return new Reply.Array(List.of(Reply.bulk(Long.toUnsignedString(next)), new Reply.Array(items)));
    }

}
