package dev.cellar.core.commands;

import dev.cellar.api.Reply;
import dev.cellar.core.engine.Args;
import dev.cellar.core.engine.ByteKey;
import dev.cellar.core.engine.CommandError;
import dev.cellar.core.engine.CommandTable;
import dev.cellar.core.engine.Ctx;
import dev.cellar.core.engine.Errors;
import dev.cellar.core.engine.KeyspaceListener;
import dev.cellar.core.values.RValue;
import dev.cellar.core.values.ValueType;
import dev.cellar.core.values.ZRange;
import dev.cellar.core.values.ZSetValue;
import dev.cellar.core.values.ZSetValue.Entry;
import dev.cellar.spi.persistence.DataValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ObjDoubleConsumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The sorted set range commands (ZRANGE and its older forms, ZRANGESTORE, ZCOUNT, ZLEXCOUNT,
 * ZREMRANGEBY*) and the set algebra (ZUNION, ZINTER, ZDIFF, their STORE forms, ZINTERCARD).
 */
final class ZSetRangeCommands {
    static final String NOT_FLOAT_RANGE = "ERR min or max is not a float";
    static final String NOT_LEX_RANGE = "ERR min or max not valid string range item";
    static final String LIMIT_NEEDS_BY =
            "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX";
    static final String WITHSCORES_BYLEX = "ERR syntax error, WITHSCORES not supported in combination with BYLEX";
    static final String WEIGHT_NOT_FLOAT = "ERR weight value is not a float";
    static final String LIMIT_NEGATIVE = "ERR LIMIT can't be negative";

    private enum By { AUTO, RANK, SCORE, LEX }

    private enum Dir { AUTO, FORWARD, REVERSE }

    private enum Op { UNION, INTER, DIFF }

    private enum Aggregate { SUM, MIN, MAX }

    private ZSetRangeCommands() {}

    static void register(CommandTable t) {
        t.add("zcount", 4, "readonly fast", 1, 1, 1, "sorted_set", ZSetRangeCommands::zcount);
        t.add("zlexcount", 4, "readonly fast", 1, 1, 1, "sorted_set", ZSetRangeCommands::zlexcount);
        t.add("zrange", -4, "readonly", 1, 1, 1, "sorted_set", c -> zrange(c, 1, false, By.AUTO, Dir.AUTO));
        t.add("zrangestore", -5, "write denyoom", 1, 2, 1, "sorted_set",
                c -> zrange(c, 2, true, By.AUTO, Dir.AUTO));
        t.add("zrangebyscore", -4, "readonly", 1, 1, 1, "sorted_set",
                c -> zrange(c, 1, false, By.SCORE, Dir.FORWARD));
        t.add("zrevrangebyscore", -4, "readonly", 1, 1, 1, "sorted_set",
                c -> zrange(c, 1, false, By.SCORE, Dir.REVERSE));
        t.add("zrangebylex", -4, "readonly", 1, 1, 1, "sorted_set", c -> zrange(c, 1, false, By.LEX, Dir.FORWARD));
        t.add("zrevrangebylex", -4, "readonly", 1, 1, 1, "sorted_set",
                c -> zrange(c, 1, false, By.LEX, Dir.REVERSE));
        t.add("zrevrange", -4, "readonly", 1, 1, 1, "sorted_set", c -> zrange(c, 1, false, By.RANK, Dir.REVERSE));
        t.add("zremrangebyrank", 4, "write", 1, 1, 1, "sorted_set", c -> zremrange(c, By.RANK));
        t.add("zremrangebyscore", 4, "write", 1, 1, 1, "sorted_set", c -> zremrange(c, By.SCORE));
        t.add("zremrangebylex", 4, "write", 1, 1, 1, "sorted_set", c -> zremrange(c, By.LEX));
        t.add("zunion", -3, "readonly movablekeys", 0, 0, 0, "sorted_set", c -> zsetOp(c, 1, false, Op.UNION, false));
        t.add("zinter", -3, "readonly movablekeys", 0, 0, 0, "sorted_set", c -> zsetOp(c, 1, false, Op.INTER, false));
        t.add("zdiff", -3, "readonly movablekeys", 0, 0, 0, "sorted_set", c -> zsetOp(c, 1, false, Op.DIFF, false));
        t.add("zunionstore", -4, "write denyoom movablekeys", 1, 1, 1, "sorted_set", c -> zsetOp(c, 2, true, Op.UNION, false));
        t.add("zinterstore", -4, "write denyoom movablekeys", 1, 1, 1, "sorted_set", c -> zsetOp(c, 2, true, Op.INTER, false));
        t.add("zdiffstore", -4, "write denyoom movablekeys", 1, 1, 1, "sorted_set", c -> zsetOp(c, 2, true, Op.DIFF, false));
        t.add("zintercard", -3, "readonly movablekeys", 0, 0, 0, "sorted_set", c -> zsetOp(c, 1, false, Op.INTER, true));
    }

    // ------------------------------------------------------------------ range parsing

    private static final Pattern DECIMAL = Pattern.compile("([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");
    private static final Pattern HEX = Pattern.compile("0[xX]([0-9a-fA-F]+\\.?[0-9a-fA-F]*|\\.[0-9a-fA-F]+)([pP][+-]?[0-9]+)?");
    private static final Pattern INF = Pattern.compile("(?i)inf(inity)?");

    /**
     * A number as C's {@code strtod} reads it when the whole argument must be consumed (Redis's
     * {@code zslParseRange}): leading white space, a sign, decimal or hexadecimal notation,
     * {@code inf}; overflow gives an infinity; the empty string is 0. NaN is refused.
     */
    static double strtod(byte[] s, int from) {
        String text = new String(s, from, s.length - from, StandardCharsets.ISO_8859_1);
        if (text.isEmpty()) {
            return 0;
        }
        int i = 0;
        while (i < text.length() && " \t\n\u000b\f\r".indexOf(text.charAt(i)) >= 0) {
            i++;
        }
        boolean negative = false;
        if (i < text.length() && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
            negative = text.charAt(i) == '-';
            i++;
        }
        String body = text.substring(i);
        double v;
        if (INF.matcher(body).matches()) {
            v = Double.POSITIVE_INFINITY;
        } else if (HEX.matcher(body).matches()) {
            String h = body.toLowerCase();
            v = Double.parseDouble(h.contains("p") ? h : h + "p0");
        } else if (DECIMAL.matcher(body).matches()) {
            v = Double.parseDouble(body);
        } else {
            throw new CommandError(NOT_FLOAT_RANGE);
        }
        return negative ? -v : v;
    }

    static ZRange.Score parseScoreRange(byte[] min, byte[] max) {
        boolean minEx = min.length > 0 && min[0] == '(';
        boolean maxEx = max.length > 0 && max[0] == '(';
        return new ZRange.Score(strtod(min, minEx ? 1 : 0), strtod(max, maxEx ? 1 : 0), minEx, maxEx);
    }

    private static byte[] lexItem(byte[] item, boolean[] ex, int idx) {
        if (item.length == 0) {
            throw new CommandError(NOT_LEX_RANGE);
        }
        switch (item[0]) {
            case '+':
                if (item.length != 1) {
                    throw new CommandError(NOT_LEX_RANGE);
                }
                ex[idx] = true;
                return ZRange.MAX_STRING;
            case '-':
                if (item.length != 1) {
                    throw new CommandError(NOT_LEX_RANGE);
                }
                ex[idx] = true;
                return ZRange.MIN_STRING;
            case '(':
                ex[idx] = true;
                return Arrays.copyOfRange(item, 1, item.length);
            case '[':
                ex[idx] = false;
                return Arrays.copyOfRange(item, 1, item.length);
            default:
                throw new CommandError(NOT_LEX_RANGE);
        }
    }

    static ZRange.Lex parseLexRange(byte[] min, byte[] max) {
        boolean[] ex = new boolean[2];
        byte[] lo = lexItem(min, ex, 0);
        byte[] hi = lexItem(max, ex, 1);
        return new ZRange.Lex(lo, hi, ex[0], ex[1]);
    }

    // ------------------------------------------------------------------ ZCOUNT / ZLEXCOUNT

    // ZCOUNT key min max
    static Reply zcount(Ctx ctx) {
        ZRange.Score range;
        try {
            range = parseScoreRange(ctx.arg(2), ctx.arg(3));
        } catch (CommandError e) {
            throw new CommandError(NOT_FLOAT_RANGE);
        }
        ZSetValue z = ctx.lookupRead(ctx.arg(1), ZSetValue.class);
        if (z == null) {
            return Reply.ZERO;
        }
        long first = z.firstInRange(range);
        if (first < 0) {
            return Reply.ZERO;
        }
        long count = 0;
        ZSetValue.Cursor c = z.cursor(first, false);
        if (z.isListpack()) {
            while (c.next() && range.lteMax(c.score())) {
                count++;
            }
            return Reply.of(count);
        }
        long last = z.lastInRange(range);
        return Reply.of(last < 0 ? z.size() - first : last - first + 1);
    }

    // ZLEXCOUNT key min max
    static Reply zlexcount(Ctx ctx) {
        ZRange.Lex range = parseLexRange(ctx.arg(2), ctx.arg(3));
        ZSetValue z = ctx.lookupRead(ctx.arg(1), ZSetValue.class);
        if (z == null) {
            return Reply.ZERO;
        }
        long first = z.firstInLex(range);
        if (first < 0) {
            return Reply.ZERO;
        }
        if (z.isListpack()) {
            long count = 0;
            ZSetValue.Cursor c = z.cursor(first, false);
            while (c.next() && range.lteMax(c.member())) {
                count++;
            }
            return Reply.of(count);
        }
        long last = z.lastInLex(range);
        return Reply.of(last < 0 ? z.size() - first : last - first + 1);
    }

    // ------------------------------------------------------------------ ZRANGE family

    // ZRANGE key min max [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES]
    // ZRANGESTORE dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count]
    // Z[REV]RANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count], Z[REV]RANGEBYLEX, ZREVRANGE
    private static Reply zrange(Ctx ctx, int argStart, boolean store, By by, Dir dir) {
        byte[] key = ctx.arg(argStart);
        byte[] minArg = ctx.arg(argStart + 1);
        byte[] maxArg = ctx.arg(argStart + 2);
        boolean withScores = false;
        long offset = 0;
        long limit = -1;
        for (int j = argStart + 3; j < ctx.argc(); j++) {
            int left = ctx.argc() - j - 1;
            if (!store && ctx.is(j, "withscores")) {
                withScores = true;
            } else if (ctx.is(j, "limit") && left >= 2) {
                offset = ctx.longArg(j + 1);
                limit = ctx.longArg(j + 2);
                j += 2;
            } else if (dir == Dir.AUTO && ctx.is(j, "rev")) {
                dir = Dir.REVERSE;
            } else if (by == By.AUTO && ctx.is(j, "bylex")) {
                by = By.LEX;
            } else if (by == By.AUTO && ctx.is(j, "byscore")) {
                by = By.SCORE;
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        if (dir == Dir.AUTO) {
            dir = Dir.FORWARD;
        }
        if (by == By.AUTO) {
            by = By.RANK;
        }
        if (limit != -1 && by == By.RANK) {
            throw new CommandError(LIMIT_NEEDS_BY);
        }
        if (withScores && by == By.LEX) {
            throw new CommandError(WITHSCORES_BYLEX);
        }
        boolean reverse = dir == Dir.REVERSE;
        if (reverse && by != By.RANK) {
            byte[] t = minArg;
            minArg = maxArg;
            maxArg = t;
        }
        long start = 0;
        long end = 0;
        ZRange.Score score = null;
        ZRange.Lex lex = null;
        switch (by) {
            case SCORE -> score = parseScoreRange(minArg, maxArg);
            case LEX -> lex = parseLexRange(minArg, maxArg);
            default -> {
                start = Args.parseLong(minArg);
                end = Args.parseLong(maxArg);
            }
        }
        ZSetValue z = ctx.lookupRead(key, ZSetValue.class);
        List<Entry> result;
        if (z == null) {
            result = List.of();
        } else if (by == By.RANK) {
            result = byRank(z, start, end, reverse);
        } else if (by == By.SCORE) {
            result = byScore(z, score, offset, limit, reverse);
        } else {
            result = byLex(z, lex, offset, limit, reverse);
        }
        if (store) {
            return storeRange(ctx, ctx.arg(1), result, by == By.RANK);
        }
        return ZSetCommands.entries(ctx, result, withScores);
    }

    private static List<Entry> byRank(ZSetValue z, long start, long end, boolean reverse) {
        long llen = z.size();
        if (start < 0) {
            start += llen;
        }
        if (end < 0) {
            end += llen;
        }
        if (start < 0) {
            start = 0;
        }
        if (start > end || start >= llen) {
            return List.of();
        }
        if (end >= llen) {
            end = llen - 1;
        }
        int n = (int) (end - start + 1);
        List<Entry> out = new ArrayList<>(n);
        ZSetValue.Cursor c = z.cursor(reverse ? llen - 1 - start : start, reverse);
        for (int i = 0; i < n && c.next(); i++) {
            out.add(new Entry(c.member(), c.score()));
        }
        return out;
    }

    private static List<Entry> byScore(ZSetValue z, ZRange.Score r, long offset, long limit, boolean reverse) {
        return walkRange(z, reverse ? z.lastInRange(r) : z.firstInRange(r), offset, limit, reverse,
                reverse ? e -> r.gteMin(e.score()) : e -> r.lteMax(e.score()));
    }

    private static List<Entry> byLex(ZSetValue z, ZRange.Lex r, long offset, long limit, boolean reverse) {
        return walkRange(z, reverse ? z.lastInLex(r) : z.firstInLex(r), offset, limit, reverse,
                reverse ? e -> r.gteMin(e.member()) : e -> r.lteMax(e.member()));
    }

    /**
     * The walk of BYSCORE and BYLEX: from {@code rank}, the range's first entry in walking order
     * (-1 when none is in range), skips {@code offset} entries, then takes up to {@code limit} (-1:
     * no limit) while {@code within} says an entry has not passed the range's far end.
     */
    private static List<Entry> walkRange(ZSetValue z, long rank, long offset, long limit, boolean reverse,
            Predicate<Entry> within) {
        List<Entry> out = new ArrayList<>();
        if (rank < 0 || offset < 0) {
            return out;
        }
        rank += reverse ? -offset : offset;
        if (rank < 0 || rank >= z.size()) {
            return out;
        }
        ZSetValue.Cursor c = z.cursor(rank, reverse);
        while (limit-- != 0 && c.next()) {
            Entry e = new Entry(c.member(), c.score());
            if (!within.test(e)) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    /**
     * ZRANGESTORE's result, built as Redis 7.0 builds it: members added in range order to a set
     * that starts as a listpack (a skiplist when a rank range is longer than the listpack limit)
     * and converts on the way, so that scores added while it was a listpack lose the sign of -0.
     */
    private static Reply storeRange(Ctx ctx, byte[] dst, List<Entry> result, boolean byRank) {
        if (result.isEmpty()) {
            return storeResult(ctx, dst, result, "zrangestore");
        }
        ZSetValue.Limits limits = ZSetCommands.limits(ctx);
        ZSetValue z = byRank && result.size() > limits.maxEntries() ? ZSetValue.createSkiplist() : ZSetValue.create();
        for (Entry e : result) {
            z.put(e.member(), e.score(), limits);
        }
        ctx.db().setKey(dst, z, false);
        ctx.notify(KeyspaceListener.ZSET, "zrangestore", dst);
        ctx.dirty(1);
        return Reply.of(z.size());
    }

    /**
     * Stores a result under {@code dst} (replacing any value and its TTL) in the encoding its
     * contents call for, or deletes {@code dst} when the result is empty; replies its size.
     */
    private static Reply storeResult(Ctx ctx, byte[] dst, List<Entry> result, String event) {
        if (!result.isEmpty()) {
            ZSetValue z = ZSetValue.fromEntries(result, ZSetCommands.limits(ctx));
            ctx.db().setKey(dst, z, false);
            ctx.notify(KeyspaceListener.ZSET, event, dst);
            ctx.dirty(1);
            return Reply.of(z.size());
        }
        if (ctx.db().delete(dst)) {
            ctx.signalModified(dst);
            ctx.notify(KeyspaceListener.GENERIC, "del", dst);
            ctx.dirty(1);
        }
        return Reply.ZERO;
    }

    // ------------------------------------------------------------------ ZREMRANGEBY*

    // ZREMRANGEBYRANK key start stop / ZREMRANGEBYSCORE key min max / ZREMRANGEBYLEX key min max
    private static Reply zremrange(Ctx ctx, By by) {
        long start = 0;
        long end = 0;
        ZRange.Score score = null;
        ZRange.Lex lex = null;
        switch (by) {
            case SCORE -> score = parseScoreRange(ctx.arg(2), ctx.arg(3));
            case LEX -> lex = parseLexRange(ctx.arg(2), ctx.arg(3));
            default -> {
                start = ctx.longArg(2);
                end = ctx.longArg(3);
            }
        }
        byte[] key = ctx.arg(1);
        ZSetValue z = ctx.lookupWrite(key, ZSetValue.class);
        if (z == null) {
            return Reply.ZERO;
        }
        long from;
        long to;
        if (by == By.RANK) {
            long llen = z.size();
            if (start < 0) {
                start += llen;
            }
            if (end < 0) {
                end += llen;
            }
            if (start < 0) {
                start = 0;
            }
            if (start > end || start >= llen) {
                return Reply.ZERO;
            }
            from = start;
            to = Math.min(end, llen - 1);
        } else {
            from = by == By.SCORE ? z.firstInRange(score) : z.firstInLex(lex);
            if (from < 0) {
                return Reply.ZERO;
            }
            to = from - 1;
            ZSetValue.Cursor c = z.cursor(from, false);
            while (c.next() && (by == By.SCORE ? score.lteMax(c.score()) : lex.lteMax(c.member()))) {
                to++;
            }
        }
        long deleted = z.removeRange(from, to);
        if (deleted > 0) {
            ctx.signalModified(key);
            String event = switch (by) {
                case SCORE -> "zremrangebyscore";
                case LEX -> "zremrangebylex";
                default -> "zremrangebyrank";
            };
            ctx.notify(KeyspaceListener.ZSET, event, key);
            ZSetCommands.deleteIfEmpty(ctx, key, z);
            ctx.dirty(deleted);
        }
        return Reply.of(deleted);
    }

    // ------------------------------------------------------------------ ZUNION / ZINTER / ZDIFF

    /** One input of the set algebra: a sorted set, a plain set (scores 1), or nothing. */
    private static final class Source {
        final ZSetValue zset;
        final List<byte[]> setMembers;
        final Set<ByteKey> setLookup;
        double weight = 1;

        Source(Object value) {
            if (value == null) {
                zset = null;
                setMembers = List.of();
                setLookup = Set.of();
            } else if (value instanceof ZSetValue z) {
                zset = z;
                setMembers = null;
                setLookup = null;
            } else if (value instanceof RValue r && r.type() == ValueType.SET
                    && r.view() instanceof DataValue.SetData data) {
                zset = null;
                setMembers = new ArrayList<>((int) data.size());
                data.forEach(setMembers::add);
                setLookup = new HashSet<>();
                for (byte[] m : setMembers) {
                    setLookup.add(new ByteKey(m));
                }
            } else {
                throw new CommandError(Errors.WRONGTYPE);
            }
        }

        long size() {
            return zset != null ? zset.size() : setMembers.size();
        }

        /** The member's score, or NaN when absent. */
        double find(byte[] member) {
            if (zset != null) {
                return zset.score(member);
            }
            return setLookup.contains(new ByteKey(member)) ? 1.0 : Double.NaN;
        }

        void forEach(ObjDoubleConsumer<byte[]> visitor) {
            if (zset != null) {
                zset.forEach(visitor);
            } else {
                for (byte[] m : setMembers) {
                    visitor.accept(m, 1.0);
                }
            }
        }
    }

    private static double aggregate(double target, double val, Aggregate agg) {
        switch (agg) {
            case SUM -> {
                double r = target + val;
                return Double.isNaN(r) ? 0.0 : r;
            }
            case MIN -> {
                return val < target ? val : target;
            }
            default -> {
                return val > target ? val : target;
            }
        }
    }

    // ZUNION|ZINTER|ZDIFF numkeys key [key ...] [WEIGHTS w ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]
    // ZUNIONSTORE|ZINTERSTORE|ZDIFFSTORE dst numkeys key [key ...] [WEIGHTS ...] [AGGREGATE ...]
    // ZINTERCARD numkeys key [key ...] [LIMIT limit]
    private static Reply zsetOp(Ctx ctx, int numkeysIdx, boolean store, Op op, boolean cardinalityOnly) {
        long setnum = ctx.longArg(numkeysIdx);
        if (setnum < 1) {
            throw new CommandError("ERR at least 1 input key is needed for '" + ctx.spec().name() + "' command");
        }
        if (setnum > ctx.argc() - numkeysIdx - 1) {
            throw new CommandError(Errors.SYNTAX);
        }
        int n = (int) setnum;
        Source[] src = new Source[n];
        for (int i = 0; i < n; i++) {
            byte[] key = ctx.arg(numkeysIdx + 1 + i);
            src[i] = new Source(store ? ctx.db().lookupWrite(key) : ctx.db().lookupRead(key));
        }
        Aggregate agg = Aggregate.SUM;
        boolean withScores = false;
        long limit = 0;
        int j = numkeysIdx + 1 + n;
        int remaining = ctx.argc() - j;
        while (remaining > 0) {
            if (op != Op.DIFF && !cardinalityOnly && remaining >= n + 1 && ctx.is(j, "weights")) {
                j++;
                remaining--;
                for (int i = 0; i < n; i++, j++, remaining--) {
                    src[i].weight = Args.parseDouble(ctx.arg(j), WEIGHT_NOT_FLOAT);
                }
            } else if (op != Op.DIFF && !cardinalityOnly && remaining >= 2 && ctx.is(j, "aggregate")) {
                j++;
                if (ctx.is(j, "sum")) {
                    agg = Aggregate.SUM;
                } else if (ctx.is(j, "min")) {
                    agg = Aggregate.MIN;
                } else if (ctx.is(j, "max")) {
                    agg = Aggregate.MAX;
                } else {
                    throw new CommandError(Errors.SYNTAX);
                }
                j++;
                remaining -= 2;
            } else if (!store && !cardinalityOnly && ctx.is(j, "withscores")) {
                j++;
                remaining--;
                withScores = true;
            } else if (cardinalityOnly && remaining >= 2 && ctx.is(j, "limit")) {
                limit = Args.parseLong(ctx.arg(j + 1), LIMIT_NEGATIVE);
                if (limit < 0) {
                    throw new CommandError(LIMIT_NEGATIVE);
                }
                j += 2;
                remaining -= 2;
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        if (op != Op.DIFF) {
            // smallest input first, as Redis orders them (a stable sort: glibc's qsort merges)
            Arrays.sort(src, Comparator.comparingLong(Source::size));
        }
        List<Entry> result = new ArrayList<>();
        long cardinality = 0;
        if (op == Op.INTER) {
            if (src[0].size() > 0) {
                List<Entry> firsts = new ArrayList<>();
                src[0].forEach((m, s) -> firsts.add(new Entry(m, s)));
                for (Entry e : firsts) {
                    double score = src[0].weight * e.score();
                    if (Double.isNaN(score)) {
                        score = 0;
                    }
                    int k;
                    for (k = 1; k < n; k++) {
                        double value = src[k].find(e.member());
                        if (Double.isNaN(value)) {
                            break;
                        }
                        score = aggregate(score, value * src[k].weight, agg);
                    }
                    if (k == n) {
                        if (cardinalityOnly) {
                            cardinality++;
                            if (limit != 0 && cardinality >= limit) {
                                break;
                            }
                        } else {
                            result.add(new Entry(e.member(), score));
                        }
                    }
                }
            }
        } else if (op == Op.UNION) {
            Map<ByteKey, double[]> acc = new LinkedHashMap<>();
            Aggregate how = agg;
            for (Source s : src) {
                s.forEach((m, v) -> {
                    double score = s.weight * v;
                    if (Double.isNaN(score)) {
                        score = 0;
                    }
                    double[] cur = acc.get(new ByteKey(m));
                    if (cur == null) {
                        acc.put(new ByteKey(m), new double[] {score});
                    } else {
                        cur[0] = aggregate(cur[0], score, how);
                    }
                });
            }
            for (Map.Entry<ByteKey, double[]> e : acc.entrySet()) {
                result.add(new Entry(e.getKey().bytes(), e.getValue()[0]));
            }
        } else {
            src[0].forEach((m, v) -> {
                for (int k = 1; k < n; k++) {
                    if (!Double.isNaN(src[k].find(m))) {
                        return;
                    }
                }
                result.add(new Entry(m, v));
            });
        }
        if (cardinalityOnly) {
            return Reply.of(cardinality);
        }
        if (store) {
            String event = switch (op) {
                case UNION -> "zunionstore";
                case INTER -> "zinterstore";
                default -> "zdiffstore";
            };
            return storeResult(ctx, ctx.arg(1), result, event);
        }
        result.sort(ZSetValue.ORDER);
        return ZSetCommands.entries(ctx, result, withScores);
    }
}
