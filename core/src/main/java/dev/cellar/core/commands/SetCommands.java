package dev.cellar.core.commands;

import dev.cellar.api.Reply;
import dev.cellar.core.Glob;
import dev.cellar.core.engine.Args;
import dev.cellar.core.engine.CommandError;
import dev.cellar.core.engine.CommandTable;
import dev.cellar.core.engine.Ctx;
import dev.cellar.core.engine.Db;
import dev.cellar.core.engine.Errors;
import dev.cellar.core.engine.KeyspaceListener;
import dev.cellar.core.values.SetValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The set commands (Redis 7.0's {@code t_set.c}).
 *
 * <p>Propagation: {@code SPOP} picks at random, so it is propagated as its effect, exactly as Redis
 * 7.0 writes it: {@code SPOP key} as {@code SREM key member}; {@code SPOP key count} as one
 * {@code SREM key member} per popped member (wrapped in MULTI/EXEC by the engine when there is more
 * than one); and a count that empties the set as {@code DEL key} ({@code UNLINK key} under
 * {@code lazyfree-lazy-server-del}). Every other command is propagated as sent; a {@code *STORE}
 * whose result is empty deletes its destination and is propagated as itself only when that
 * destination existed.
 */
public final class SetCommands {
    static final String NUMKEYS_NOT_POSITIVE = "ERR numkeys should be greater than 0";
    static final String TOO_MANY_KEYS = "ERR Number of keys can't be greater than number of args";
    static final String LIMIT_NEGATIVE = "ERR LIMIT can't be negative";
    static final String SRANDMEMBER_RANGE =
            "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807";
    /**
     * Cellar answers this for an {@code SRANDMEMBER} count whose reply would not fit in a Java
     * array; Redis would try to build it (and exhaust its memory). A deliberate difference.
     */
    static final String REPLY_TOO_LARGE = "ERR count is too large for a reply";

    private static final byte[] SREM = Args.bytes("SREM");
    private static final byte[] DEL = Args.bytes("DEL");
    private static final byte[] UNLINK = Args.bytes("UNLINK");

    /** Redis's {@code SPOP_MOVE_STRATEGY_MUL}: when to rebuild the set from what remains. */
    private static final int SPOP_MOVE_STRATEGY_MUL = 5;
    /** Redis's {@code SRANDMEMBER_SUB_STRATEGY_MUL}: when to pick by elimination. */
    private static final int SRANDMEMBER_SUB_STRATEGY_MUL = 3;
    /** The longest reply Cellar builds. */
    private static final long MAX_REPLY = Integer.MAX_VALUE - 16;

    private enum Op { UNION, DIFF }

    private SetCommands() {}

    /** Registers the family's commands. */
    public static void register(CommandTable t) {
        t.add("sadd", -3, "write denyoom fast", 1, 1, 1, "set", SetCommands::sadd);
        t.add("srem", -3, "write fast", 1, 1, 1, "set", SetCommands::srem);
        t.add("smove", 4, "write fast", 1, 2, 1, "set", SetCommands::smove);
        t.add("sismember", 3, "readonly fast", 1, 1, 1, "set", SetCommands::sismember);
        t.add("smismember", -3, "readonly fast", 1, 1, 1, "set", SetCommands::smismember);
        t.add("scard", 2, "readonly fast", 1, 1, 1, "set", SetCommands::scard);
        t.add("spop", -2, "write fast nondeterministic_output", 1, 1, 1, "set", SetCommands::spop);
        t.add("srandmember", -2, "readonly nondeterministic_output", 1, 1, 1, "set", SetCommands::srandmember);
        t.add("sinter", -2, "readonly", 1, -1, 1, "set", SetCommands::sinter);
        t.add("sintercard", -3, "readonly movablekeys", 0, 0, 0, "set", SetCommands::sintercard);
        t.add("sinterstore", -3, "write denyoom", 1, -1, 1, "set", SetCommands::sinterstore);
        t.add("sunion", -2, "readonly", 1, -1, 1, "set", SetCommands::sunion);
        t.add("sunionstore", -3, "write denyoom", 1, -1, 1, "set", SetCommands::sunionstore);
        t.add("sdiff", -2, "readonly", 1, -1, 1, "set", SetCommands::sdiff);
        t.add("sdiffstore", -3, "write denyoom", 1, -1, 1, "set", SetCommands::sdiffstore);
        t.add("smembers", 2, "readonly", 1, 1, 1, "set", SetCommands::smembers);
        t.add("sscan", -3, "readonly nondeterministic_output", 1, 1, 1, "set", SetCommands::sscan);
    }

    private static long maxIntsetEntries(Ctx ctx) {
        return ctx.settings().getLong("set-max-intset-entries");
    }

    // ------------------------------------------------------------------ single-key commands

    // SADD key member [member ...]
    static Reply sadd(Ctx ctx) {
        byte[] key = ctx.arg(1);
        SetValue set = ctx.lookupWrite(key, SetValue.class);
        if (set == null) {
            set = new SetValue();
            ctx.db().add(key, set);
        }
        long max = maxIntsetEntries(ctx);
        long added = 0;
        for (int i = 2; i < ctx.argc(); i++) {
            if (set.add(ctx.arg(i), max)) {
                added++;
            }
        }
        if (added > 0) {
            ctx.signalModified(key);
            ctx.notify(KeyspaceListener.SET, "sadd", key);
            ctx.dirty(added);
        }
        return Reply.of(added);
    }

    // SREM key member [member ...]
    static Reply srem(Ctx ctx) {
        byte[] key = ctx.arg(1);
        SetValue set = ctx.lookupWrite(key, SetValue.class);
        if (set == null) {
            return Reply.ZERO;
        }
        long deleted = 0;
        boolean keyRemoved = false;
        for (int i = 2; i < ctx.argc(); i++) {
            if (set.remove(ctx.arg(i))) {
                deleted++;
                if (set.size() == 0) {
                    ctx.db().delete(key);
                    keyRemoved = true;
                    break;
                }
            }
        }
        if (deleted > 0) {
            ctx.signalModified(key);
            ctx.notify(KeyspaceListener.SET, "srem", key);
            if (keyRemoved) {
                ctx.notify(KeyspaceListener.GENERIC, "del", key);
            }
            ctx.dirty(deleted);
        }
        return Reply.of(deleted);
    }

    // SMOVE source destination member
    static Reply smove(Ctx ctx) {
        byte[] srcKey = ctx.arg(1);
        byte[] dstKey = ctx.arg(2);
        byte[] member = ctx.arg(3);
        Db db = ctx.db();
        Object srcObj = db.lookupWrite(srcKey);
        Object dstObj = db.lookupWrite(dstKey);
        if (srcObj == null) {
            return Reply.ZERO;
        }
        SetValue src = Ctx.cast(srcObj, SetValue.class);
        SetValue dst = Ctx.cast(dstObj, SetValue.class);
        if (src == dst) {
            return src.contains(member) ? Reply.ONE : Reply.ZERO;
        }
        if (!src.remove(member)) {
            return Reply.ZERO;
        }
        ctx.notify(KeyspaceListener.SET, "srem", srcKey);
        if (src.size() == 0) {
            db.delete(srcKey);
            ctx.notify(KeyspaceListener.GENERIC, "del", srcKey);
        }
        if (dst == null) {
            dst = new SetValue();
            db.add(dstKey, dst);
        }
        ctx.signalModified(srcKey);
        ctx.dirty(1);
        if (dst.add(member, maxIntsetEntries(ctx))) {
            ctx.dirty(1);
            ctx.signalModified(dstKey);
            ctx.notify(KeyspaceListener.SET, "sadd", dstKey);
        }
        return Reply.ONE;
    }

    // SISMEMBER key member
    static Reply sismember(Ctx ctx) {
        SetValue set = ctx.lookupRead(ctx.arg(1), SetValue.class);
        return set != null && set.contains(ctx.arg(2)) ? Reply.ONE : Reply.ZERO;
    }

    // SMISMEMBER key member [member ...]
    static Reply smismember(Ctx ctx) {
        SetValue set = ctx.lookupRead(ctx.arg(1), SetValue.class);
        List<Reply> out = new ArrayList<>(ctx.argc() - 2);
        for (int i = 2; i < ctx.argc(); i++) {
            out.add(set != null && set.contains(ctx.arg(i)) ? Reply.ONE : Reply.ZERO);
        }
        return new Reply.Array(out);
    }

    // SCARD key
    static Reply scard(Ctx ctx) {
        SetValue set = ctx.lookupRead(ctx.arg(1), SetValue.class);
        return Reply.of(set == null ? 0 : set.size());
    }

    // SMEMBERS key
    static Reply smembers(Ctx ctx) {
        SetValue set = ctx.lookupRead(ctx.arg(1), SetValue.class);
        return set == null ? new Reply.SetReply(List.of()) : membersReply(set);
    }

    private static Reply membersReply(SetValue set) {
        List<Reply> out = new ArrayList<>((int) set.size());
        set.forEach(m -> out.add(new Reply.Bulk(m)));
        return new Reply.SetReply(out);
    }

    // ------------------------------------------------------------------ random picks

    // SPOP key [count]
    static Reply spop(Ctx ctx) {
        if (ctx.argc() == 3) {
            return spopWithCount(ctx);
        }
        if (ctx.argc() > 3) {
            throw new CommandError(Errors.SYNTAX);
        }
        byte[] key = ctx.arg(1);
        SetValue set = ctx.lookupWrite(key, SetValue.class);
        if (set == null) {
            return Reply.NULL;
        }
        byte[] member = set.popRandom(ctx.random());
        ctx.notify(KeyspaceListener.SET, "spop", key);
        ctx.propagateAs(SREM, key, member);
        if (set.size() == 0) {
            ctx.db().delete(key);
            ctx.notify(KeyspaceListener.GENERIC, "del", key);
        }
        ctx.signalModified(key);
        ctx.dirty(1);
        return new Reply.Bulk(member);
    }

    private static Reply spopWithCount(Ctx ctx) {
        long count = Args.parseLong(ctx.arg(2), Errors.NOT_POSITIVE);
        if (count < 0) {
            throw new CommandError(Errors.NOT_POSITIVE);
        }
        byte[] key = ctx.arg(1);
        SetValue set = ctx.lookupWrite(key, SetValue.class);
        if (set == null || count == 0) {
            return new Reply.SetReply(List.of());
        }
        long size = set.size();
        ctx.notify(KeyspaceListener.SET, "spop", key);
        ctx.dirty(Math.min(count, size));
        if (count >= size) {
            Reply whole = membersReply(set);
            ctx.db().delete(key);
            ctx.notify(KeyspaceListener.GENERIC, "del", key);
            ctx.propagateAs(ctx.settings().getBool("lazyfree-lazy-server-del") ? UNLINK : DEL, key);
            ctx.signalModified(key);
            return whole;
        }
        List<Reply> out = new ArrayList<>((int) count);
        long remaining = size - count;
        if (remaining * SPOP_MOVE_STRATEGY_MUL > count) {
            // Few to pop: pop them one by one.
            for (long i = 0; i < count; i++) {
                byte[] member = set.popRandom(ctx.random());
                ctx.alsoPropagate(SREM, key, member);
                out.add(new Reply.Bulk(member));
            }
        } else {
            // Most to pop: choose the few that stay, rebuild the set from them, return the rest.
            Set<Integer> keptPositions = new HashSet<>();
            List<byte[]> kept = new ArrayList<>((int) remaining);
            while (kept.size() < remaining) {
                int at = set.randomPosition(ctx.random());
                if (keptPositions.add(at)) {
                    kept.add(set.memberAt(at));
                }
            }
            for (int at = 0; at < set.positionLimit(); at++) {
                if (!keptPositions.contains(at) && set.occupied(at)) {
                    byte[] member = set.memberAt(at);
                    ctx.alsoPropagate(SREM, key, member);
                    out.add(new Reply.Bulk(member));
                }
            }
            set.retainOnly(kept, maxIntsetEntries(ctx));
        }
        ctx.preventPropagation();
        ctx.signalModified(key);
        return new Reply.SetReply(out);
    }

    // SRANDMEMBER key [count]
    static Reply srandmember(Ctx ctx) {
        if (ctx.argc() == 3) {
            return srandmemberWithCount(ctx);
        }
        if (ctx.argc() > 3) {
            throw new CommandError(Errors.SYNTAX);
        }
        SetValue set = ctx.lookupRead(ctx.arg(1), SetValue.class);
        return set == null ? Reply.NULL : new Reply.Bulk(set.randomMember(ctx.random()));
    }

    private static Reply srandmemberWithCount(Ctx ctx) {
        long l = Args.parseLong(ctx.arg(2));
        if (l == Long.MIN_VALUE) {
            throw new CommandError(SRANDMEMBER_RANGE);
        }
        boolean distinct = l >= 0;
        long count = Math.abs(l);
        SetValue set = ctx.lookupRead(ctx.arg(1), SetValue.class);
        if (set == null || count == 0) {
            return Reply.EMPTY_ARRAY;
        }
        long size = set.size();
        if (!distinct || count == 1) {
            // Independent picks, repeats allowed.
            if (count > MAX_REPLY) {
                throw new CommandError(REPLY_TOO_LARGE);
            }
            List<Reply> out = new ArrayList<>((int) Math.min(count, 1024));
            for (long i = 0; i < count; i++) {
                out.add(new Reply.Bulk(set.randomMember(ctx.random())));
            }
            return new Reply.Array(out);
        }
        if (count >= size) {
            List<Reply> out = new ArrayList<>((int) size);
            set.forEach(m -> out.add(new Reply.Bulk(m)));
            return new Reply.Array(out);
        }
        List<Reply> out = new ArrayList<>((int) count);
        if (count * SRANDMEMBER_SUB_STRATEGY_MUL > size) {
            // Many: shuffle the occupied positions partially and take the first count.
            int[] positions = new int[(int) size];
            int n = 0;
            for (int at = 0; at < set.positionLimit(); at++) {
                if (set.occupied(at)) {
                    positions[n++] = at;
                }
            }
            for (int i = 0; i < count; i++) {
                int j = i + ctx.random().nextInt(n - i);
                int p = positions[j];
                positions[j] = positions[i];
                positions[i] = p;
                out.add(new Reply.Bulk(set.memberAt(p)));
            }
        } else {
            // Few: pick until that many distinct positions came up.
            Set<Integer> seen = new HashSet<>();
            while (out.size() < count) {
                int at = set.randomPosition(ctx.random());
                if (seen.add(at)) {
                    out.add(new Reply.Bulk(set.memberAt(at)));
                }
            }
        }
        return new Reply.Array(out);
    }

    // ------------------------------------------------------------------ multi-key algebra

    /**
     * Looks up source sets for reading: a missing key is null (an empty set), a key of another type
     * is {@code WRONGTYPE}, and every key is checked before any work, as Redis does.
     */
    private static SetValue[] lookupSources(Ctx ctx, int from, int count) {
        SetValue[] sets = new SetValue[count];
        for (int i = 0; i < count; i++) {
            sets[i] = ctx.lookupRead(ctx.arg(from + i), SetValue.class);
        }
        return sets;
    }

    // SINTER key [key ...]
    static Reply sinter(Ctx ctx) {
        SetValue[] sets = lookupSources(ctx, 1, ctx.argc() - 1);
        if (anyMissing(sets)) {
            return new Reply.SetReply(List.of());
        }
        List<Reply> out = new ArrayList<>();
        intersect(sets, m -> {
            out.add(new Reply.Bulk(m));
            return true;
        });
        return new Reply.SetReply(out);
    }

    // SINTERCARD numkeys key [key ...] [LIMIT limit]
    static Reply sintercard(Ctx ctx) {
        long numkeys;
        try {
            numkeys = Args.parseLong(ctx.arg(1));
        } catch (CommandError e) {
            throw new CommandError(NUMKEYS_NOT_POSITIVE);
        }
        if (numkeys < 1) {
            throw new CommandError(NUMKEYS_NOT_POSITIVE);
        }
        if (numkeys > ctx.argc() - 2) {
            throw new CommandError(TOO_MANY_KEYS);
        }
        long limit = 0;
        for (int i = 2 + (int) numkeys; i < ctx.argc(); i++) {
            if (ctx.is(i, "LIMIT") && i + 1 < ctx.argc()) {
                i++;
                limit = Args.parseLong(ctx.arg(i), LIMIT_NEGATIVE);
                if (limit < 0) {
                    throw new CommandError(LIMIT_NEGATIVE);
                }
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        SetValue[] sets = lookupSources(ctx, 2, (int) numkeys);
        if (anyMissing(sets)) {
            return Reply.ZERO;
        }
        long[] cardinality = {0};
        long max = limit;
        intersect(sets, m -> {
            cardinality[0]++;
            return max == 0 || cardinality[0] < max;
        });
        return Reply.of(cardinality[0]);
    }

    // SINTERSTORE destination key [key ...]
    static Reply sinterstore(Ctx ctx) {
        SetValue[] sets = lookupSources(ctx, 2, ctx.argc() - 2);
        SetValue result = new SetValue();
        if (!anyMissing(sets)) {
            long max = maxIntsetEntries(ctx);
            intersect(sets, m -> {
                result.add(m, max);
                return true;
            });
        }
        return store(ctx, result, "sinterstore");
    }

    // SUNION key [key ...]
    static Reply sunion(Ctx ctx) {
        return membersReply(unionOrDiff(ctx, lookupSources(ctx, 1, ctx.argc() - 1), Op.UNION));
    }

    // SUNIONSTORE destination key [key ...]
    static Reply sunionstore(Ctx ctx) {
        return store(ctx, unionOrDiff(ctx, lookupSources(ctx, 2, ctx.argc() - 2), Op.UNION), "sunionstore");
    }

    // SDIFF key [key ...]
    static Reply sdiff(Ctx ctx) {
        return membersReply(unionOrDiff(ctx, lookupSources(ctx, 1, ctx.argc() - 1), Op.DIFF));
    }

    // SDIFFSTORE destination key [key ...]
    static Reply sdiffstore(Ctx ctx) {
        return store(ctx, unionOrDiff(ctx, lookupSources(ctx, 2, ctx.argc() - 2), Op.DIFF), "sdiffstore");
    }

    private static boolean anyMissing(SetValue[] sets) {
        for (SetValue s : sets) {
            if (s == null) {
                return true;
            }
        }
        return false;
    }

    /** Receives intersection members; returns whether to go on. */
    private interface MemberSink {
        boolean accept(byte[] member);
    }

    /**
     * Visits the members common to all sets (none missing): walks the smallest and tests each member
     * against the others, smallest first, as Redis does.
     */
    private static void intersect(SetValue[] sets, MemberSink sink) {
        SetValue[] sorted = sets.clone();
        Arrays.sort(sorted, Comparator.comparingLong(SetValue::size));
        SetValue first = sorted[0];
        for (int at = 0; at < first.positionLimit(); at++) {
            if (!first.occupied(at)) {
                continue;
            }
            byte[] m = first.memberAt(at);
            boolean everywhere = true;
            for (int j = 1; j < sorted.length && everywhere; j++) {
                everywhere = sorted[j] == first || sorted[j].contains(m);
            }
            if (everywhere && !sink.accept(m)) {
                return;
            }
        }
    }

    /** The union or difference of the sets (missing ones are empty) as a new set. */
    private static SetValue unionOrDiff(Ctx ctx, SetValue[] sets, Op op) {
        long max = maxIntsetEntries(ctx);
        SetValue result = new SetValue();
        if (op == Op.UNION) {
            for (SetValue s : sets) {
                if (s != null) {
                    s.forEach(m -> result.add(m, max));
                }
            }
            return result;
        }
        SetValue first = sets[0];
        if (first == null) {
            return result;
        }
        first.forEach(m -> {
            for (int j = 1; j < sets.length; j++) {
                if (sets[j] != null && (sets[j] == first || sets[j].contains(m))) {
                    return;
                }
            }
            result.add(m, max);
        });
        return result;
    }

    /**
     * Stores a computed set at the destination (argument 1), replacing whatever was there and its
     * expiry; an empty result deletes the destination instead.
     */
    private static Reply store(Ctx ctx, SetValue result, String event) {
        byte[] dst = ctx.arg(1);
        Db db = ctx.db();
        if (result.size() > 0) {
            db.setKey(dst, result, false);
            ctx.notify(KeyspaceListener.SET, event, dst);
            ctx.dirty(1);
            return Reply.of(result.size());
        }
        if (db.delete(dst)) {
            ctx.dirty(1);
            ctx.signalModified(dst);
            ctx.notify(KeyspaceListener.GENERIC, "del", dst);
        }
        return Reply.ZERO;
    }

    // ------------------------------------------------------------------ scanning

    // SSCAN key cursor [MATCH pattern] [COUNT count]
    static Reply sscan(Ctx ctx) {
        long cursor = Args.parseScanCursor(ctx.arg(2));
        // As Redis: a missing key answers before the options are even parsed.
        SetValue set = ctx.lookupRead(ctx.arg(1), SetValue.class);
        if (set == null) {
            return new Reply.Array(List.of(Reply.bulk("0"), Reply.EMPTY_ARRAY));
        }
        long count = 10;
        byte[] pattern = null;
        for (int i = 3; i < ctx.argc(); i++) {
            boolean hasNext = i + 1 < ctx.argc();
            if (ctx.is(i, "COUNT") && hasNext) {
                count = Args.parseLong(ctx.arg(++i));
                if (count < 1) {
                    throw new CommandError(Errors.SYNTAX);
                }
            } else if (ctx.is(i, "MATCH") && hasNext) {
                pattern = ctx.arg(++i);
                if (pattern.length == 1 && pattern[0] == '*') {
                    pattern = null;
                }
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        List<Reply> found = new ArrayList<>();
        byte[] p = pattern;
        long next = set.scan(cursor, count, m -> {
            if (p == null || Glob.matches(p, m, false)) {
                found.add(new Reply.Bulk(m));
            }
        });
        return new Reply.Array(List.of(Reply.bulk(Long.toUnsignedString(next)), new Reply.Array(found)));
    }

}
