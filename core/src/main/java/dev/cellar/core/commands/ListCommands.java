package dev.cellar.core.commands;

import dev.cellar.api.Reply;
import dev.cellar.core.engine.Args;
import dev.cellar.core.engine.CommandError;
import dev.cellar.core.engine.CommandTable;
import dev.cellar.core.engine.Ctx;
import dev.cellar.core.engine.Errors;
import dev.cellar.core.engine.KeyspaceListener;
import dev.cellar.core.values.ListValue;
import dev.cellar.core.values.ValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The list commands (Redis 7.0's {@code t_list.c}), blocking ones included.
 *
 * <p>Blocking: a blocking command that finds nothing to pop blocks through {@link Ctx#block} (or,
 * when it may not block, inside MULTI, answers at once as on a timeout). When a key it waits on is
 * created, the engine runs it again from the start with {@link Ctx#servedReadyKey()} set; as Redis
 * 7.0's {@code serveClientBlockedOnList} does, it then pops from that key only. A timeout answers
 * the null array for every blocking list command (Redis's {@code replyToBlockedClientTimedOut}),
 * while BLMOVE and BRPOPLPUSH inside MULTI answer the null bulk string.
 *
 * <p>Propagation follows Redis 7.0: BLPOP/BRPOP become {@code LPOP key}/{@code RPOP key}; LMPOP and
 * BLMPOP become {@code LPOP key n}/{@code RPOP key n} with n the number popped; BLMOVE becomes
 * {@code LMOVE} with the client's side arguments, or with lower-case {@code left}/{@code right}
 * when served after blocking; BRPOPLPUSH becomes {@code RPOPLPUSH}.
 */
public final class ListCommands {
    static final String RANK_ZERO = "ERR RANK can't be zero: use 1 to start from the first match, 2 from the "
            + "second ... or use negative to start from the end of the list";
    static final String COUNT_NEGATIVE = "ERR COUNT can't be negative";
    static final String MAXLEN_NEGATIVE = "ERR MAXLEN can't be negative";
    static final String NUMKEYS = "ERR numkeys should be greater than 0";
    static final String COUNT_NOT_POSITIVE = "ERR count should be greater than 0";

    private static final byte[] LPOP = Args.bytes("LPOP");
    private static final byte[] RPOP = Args.bytes("RPOP");
    private static final byte[] LMOVE = Args.bytes("LMOVE");
    private static final byte[] RPOPLPUSH = Args.bytes("RPOPLPUSH");
    private static final byte[] LEFT = Args.bytes("left");
    private static final byte[] RIGHT = Args.bytes("right");

    private ListCommands() {}

    /** Registers the family's commands. */
    public static void register(CommandTable t) {
        t.add("lpush", -3, "write denyoom fast", 1, 1, 1, "list", c -> push(c, true, false));
        t.add("rpush", -3, "write denyoom fast", 1, 1, 1, "list", c -> push(c, false, false));
        t.add("lpushx", -3, "write denyoom fast", 1, 1, 1, "list", c -> push(c, true, true));
        t.add("rpushx", -3, "write denyoom fast", 1, 1, 1, "list", c -> push(c, false, true));
        t.add("lpop", -2, "write fast", 1, 1, 1, "list", c -> pop(c, true));
        t.add("rpop", -2, "write fast", 1, 1, 1, "list", c -> pop(c, false));
        t.add("llen", 2, "readonly fast", 1, 1, 1, "list", ListCommands::llen);
        t.add("lrange", 4, "readonly", 1, 1, 1, "list", ListCommands::lrange);
        t.add("lindex", 3, "readonly", 1, 1, 1, "list", ListCommands::lindex);
        t.add("lset", 4, "write denyoom", 1, 1, 1, "list", ListCommands::lset);
        t.add("linsert", 5, "write denyoom", 1, 1, 1, "list", ListCommands::linsert);
        t.add("lrem", 4, "write", 1, 1, 1, "list", ListCommands::lrem);
        t.add("ltrim", 4, "write", 1, 1, 1, "list", ListCommands::ltrim);
        t.add("lpos", -3, "readonly", 1, 1, 1, "list", ListCommands::lpos);
        t.add("lmove", 5, "write denyoom", 1, 2, 1, "list", ListCommands::lmove);
        t.add("rpoplpush", 3, "write denyoom", 1, 2, 1, "list", ListCommands::rpoplpush);
        // LMPOP and BLMPOP are "movablekeys": their keys follow numkeys.
        t.add("lmpop", -4, "write movablekeys", 0, 0, 0, "list", ListCommands::lmpop);
        t.add("blpop", -3, "write noscript blocking", 1, -2, 1, "list", c -> bpop(c, true));
        t.add("brpop", -3, "write noscript blocking", 1, -2, 1, "list", c -> bpop(c, false));
        t.add("blmove", 6, "write denyoom noscript blocking", 1, 2, 1, "list", ListCommands::blmove);
        t.add("brpoplpush", 4, "write denyoom noscript blocking", 1, 2, 1, "list", ListCommands::brpoplpush);
        t.add("blmpop", -5, "write blocking movablekeys", 0, 0, 0, "list", ListCommands::blmpop);
    }

    /** A new empty list shaped by {@code list-max-listpack-size}. */
    static ListValue newList(Ctx ctx) {
        return new ListValue(ctx.settings().getInt("list-max-listpack-size"));
    }

    // ------------------------------------------------------------------ push

    // LPUSH key element [element ...] / RPUSH ... / LPUSHX ... / RPUSHX ...
    static Reply push(Ctx ctx, boolean head, boolean onlyIfExists) {
        byte[] key = ctx.arg(1);
        ListValue list = ctx.lookupWrite(key, ListValue.class);
        if (list == null) {
            if (onlyIfExists) {
                return Reply.ZERO;
            }
            list = newList(ctx);
            ctx.db().add(key, list);
        }
        for (int i = 2; i < ctx.argc(); i++) {
            if (head) {
                list.pushHead(ctx.arg(i));
            } else {
                list.pushTail(ctx.arg(i));
            }
        }
        ctx.signalModified(key);
        ctx.notify(KeyspaceListener.LIST, head ? "lpush" : "rpush", key);
        ctx.dirty(ctx.argc() - 2);
        return Reply.of(list.size());
    }

    // ------------------------------------------------------------------ pop

    // LPOP key [count] / RPOP key [count]
    static Reply pop(Ctx ctx, boolean head) {
        if (ctx.argc() > 3) {
            throw new CommandError(Errors.arity(ctx.spec().name()));
        }
        boolean hasCount = ctx.argc() == 3;
        long count = 0;
        if (hasCount) {
            count = Args.parseLong(ctx.arg(2), Errors.NOT_POSITIVE);
            if (count < 0) {
                throw new CommandError(Errors.NOT_POSITIVE);
            }
        }
        byte[] key = ctx.arg(1);
        ListValue list = ctx.lookupWrite(key, ListValue.class);
        if (list == null) {
            return hasCount ? Reply.NULL_ARRAY : Reply.NULL;
        }
        if (hasCount && count == 0) {
            return Reply.EMPTY_ARRAY;
        }
        if (!hasCount) {
            byte[] v = head ? list.popHead() : list.popTail();
            elementsRemoved(ctx, key, head, list, 1);
            return Reply.bulk(v);
        }
        List<byte[]> popped = popMany(list, head, count);
        elementsRemoved(ctx, key, head, list, popped.size());
        return Replies.bulks(popped);
    }

    /** Pops up to {@code count} elements in pop order (tail first for the right side). */
    private static List<byte[]> popMany(ListValue list, boolean head, long count) {
        int n = (int) Math.min(count, list.size());
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(head ? list.popHead() : list.popTail());
        }
        return out;
    }

    /** After a pop: events, deletion of an emptied list, WATCH and dirty (Redis's listElementsRemoved). */
    private static void elementsRemoved(Ctx ctx, byte[] key, boolean head, ListValue list, long count) {
        ctx.notify(KeyspaceListener.LIST, head ? "lpop" : "rpop", key);
        if (list.size() == 0) {
            ctx.db().delete(key);
            ctx.notify(KeyspaceListener.GENERIC, "del", key);
        }
        ctx.signalModified(key);
        ctx.dirty(count);
    }

    // LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]
    static Reply lmpop(Ctx ctx) {
        MpopArgs a = parseMpop(ctx, 1);
        Reply r = mpop(ctx, a, null);
        return r == null ? Reply.NULL_ARRAY : r;
    }

    /** The parsed arguments of LMPOP/BLMPOP. */
    private record MpopArgs(List<byte[]> keys, boolean head, long count) {}

    /** Parses {@code numkeys key... LEFT|RIGHT [COUNT n]} starting at numkeys (Redis's lmpopGenericCommand). */
    private static MpopArgs parseMpop(Ctx ctx, int numkeysIdx) {
        long numkeys = Args.parseLong(ctx.arg(numkeysIdx), NUMKEYS);
        if (numkeys < 1) {
            throw new CommandError(NUMKEYS);
        }
        if (numkeys > ctx.argc() - numkeysIdx - 2) {
            throw new CommandError(Errors.SYNTAX);
        }
        int whereIdx = numkeysIdx + (int) numkeys + 1;
        boolean head = side(ctx.arg(whereIdx));
        long count = -1;
        for (int j = whereIdx + 1; j < ctx.argc(); j++) {
            boolean more = j + 1 < ctx.argc();
            if (count == -1 && ctx.is(j, "COUNT") && more) {
                j++;
                count = Args.parseLong(ctx.arg(j), COUNT_NOT_POSITIVE);
                if (count < 1) {
                    throw new CommandError(COUNT_NOT_POSITIVE);
                }
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        List<byte[]> keys = Arrays.asList(Arrays.copyOfRange(ctx.argv(), numkeysIdx + 1, whereIdx));
        return new MpopArgs(keys, head, count == -1 ? 1 : count);
    }

    /**
     * Pops from the first non-empty list among the keys (or from {@code only} when given): replies
     * {@code [key, [elements]]} and propagates {@code LPOP|RPOP key n}; null when all are empty.
     */
    private static Reply mpop(Ctx ctx, MpopArgs a, byte[] only) {
        for (byte[] key : only != null ? List.of(only) : a.keys()) {
            ListValue list = ctx.lookupWrite(key, ListValue.class);
            if (list == null) {
                continue;
            }
            List<byte[]> popped = popMany(list, a.head(), a.count());
            elementsRemoved(ctx, key, a.head(), list, popped.size());
            ctx.propagateAs(a.head() ? LPOP : RPOP, key, Args.bytes(popped.size()));
            return Reply.array(List.of(Reply.bulk(key), Replies.bulks(popped)));
        }
        return null;
    }

    /** LEFT or RIGHT (true for LEFT); syntax error otherwise. */
    private static boolean side(byte[] arg) {
        if (Args.is(arg, "LEFT")) {
            return true;
        }
        if (Args.is(arg, "RIGHT")) {
            return false;
        }
        throw new CommandError(Errors.SYNTAX);
    }

    // ------------------------------------------------------------------ read

    // LLEN key
    static Reply llen(Ctx ctx) {
        ListValue list = ctx.lookupRead(ctx.arg(1), ListValue.class);
        return Reply.of(list == null ? 0 : list.size());
    }

    // LRANGE key start stop
    static Reply lrange(Ctx ctx) {
        long start = ctx.longArg(2);
        long end = ctx.longArg(3);
        ListValue list = ctx.lookupRead(ctx.arg(1), ListValue.class);
        if (list == null) {
            return Reply.EMPTY_ARRAY;
        }
        long len = list.size();
        if (start < 0) {
            start += len;
        }
        if (end < 0) {
            end += len;
        }
        if (start < 0) {
            start = 0;
        }
        if (start > end || start >= len) {
            return Reply.EMPTY_ARRAY;
        }
        if (end >= len) {
            end = len - 1;
        }
        return Replies.bulks(list.range(start, end));
    }

    // LINDEX key index
    static Reply lindex(Ctx ctx) {
        ListValue list = ctx.lookupRead(ctx.arg(1), ListValue.class);
        if (list == null) {
            return Reply.NULL;
        }
        long index = ctx.longArg(2);
        if (index < 0) {
            index += list.size();
        }
        return Reply.bulk(list.get(index));
    }

    // LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]
    static Reply lpos(Ctx ctx) {
        long rank = 1;
        long count = -1;
        long maxlen = 0;
        for (int j = 3; j < ctx.argc(); j++) {
            boolean more = j + 1 < ctx.argc();
            if (ctx.is(j, "RANK") && more) {
                rank = ctx.longArg(++j);
                if (rank == 0) {
                    throw new CommandError(RANK_ZERO);
                }
            } else if (ctx.is(j, "COUNT") && more) {
                count = nonNegative(ctx.arg(++j), COUNT_NEGATIVE);
            } else if (ctx.is(j, "MAXLEN") && more) {
                maxlen = nonNegative(ctx.arg(++j), MAXLEN_NEGATIVE);
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        ListValue list = ctx.lookupRead(ctx.arg(1), ListValue.class);
        if (list == null) {
            return count != -1 ? Reply.EMPTY_ARRAY : Reply.NULL;
        }
        boolean fromHead = true;
        if (rank < 0) {
            rank = -rank; // Long.MIN_VALUE stays negative, so every match qualifies, as in Redis
            fromHead = false;
        }
        final long r = rank;
        final long c = count;
        List<Reply> found = new ArrayList<>();
        long[] matches = {0};
        list.positions(ctx.arg(2), fromHead, maxlen, index -> {
            matches[0]++;
            if (matches[0] >= r) {
                found.add(Reply.of(index));
                if (c == -1) {
                    return false;
                }
                return c == 0 || matches[0] - r + 1 < c;
            }
            return true;
        });
        if (count != -1) {
            return Reply.array(found);
        }
        return found.isEmpty() ? Reply.NULL : found.get(0);
    }

    private static long nonNegative(byte[] arg, String error) {
        long v = Args.parseLong(arg, error);
        if (v < 0) {
            throw new CommandError(error);
        }
        return v;
    }

    // ------------------------------------------------------------------ change in place

    // LSET key index element
    static Reply lset(Ctx ctx) {
        byte[] key = ctx.arg(1);
        ListValue list = ctx.lookupWrite(key, ListValue.class);
        if (list == null) {
            throw new CommandError(Errors.NO_SUCH_KEY);
        }
        long index = ctx.longArg(2);
        if (index < 0) {
            index += list.size();
        }
        if (!list.set(index, ctx.arg(3))) {
            throw new CommandError(Errors.OUT_OF_RANGE);
        }
        ctx.signalModified(key);
        ctx.notify(KeyspaceListener.LIST, "lset", key);
        ctx.dirty(1);
        return Reply.OK;
    }

    // LINSERT key BEFORE|AFTER pivot element
    static Reply linsert(Ctx ctx) {
        boolean after;
        if (ctx.is(2, "AFTER")) {
            after = true;
        } else if (ctx.is(2, "BEFORE")) {
            after = false;
        } else {
            throw new CommandError(Errors.SYNTAX);
        }
        byte[] key = ctx.arg(1);
        ListValue list = ctx.lookupWrite(key, ListValue.class);
        if (list == null) {
            return Reply.ZERO;
        }
        if (!list.insert(ctx.arg(3), ctx.arg(4), after)) {
            return Reply.of(-1);
        }
        ctx.signalModified(key);
        ctx.notify(KeyspaceListener.LIST, "linsert", key);
        ctx.dirty(1);
        return Reply.of(list.size());
    }

    // LREM key count element
    static Reply lrem(Ctx ctx) {
        long count = ctx.longArg(2);
        byte[] key = ctx.arg(1);
        ListValue list = ctx.lookupWrite(key, ListValue.class);
        if (list == null) {
            return Reply.ZERO;
        }
        long removed = list.remove(count, ctx.arg(3));
        if (removed > 0) {
            ctx.signalModified(key);
            ctx.notify(KeyspaceListener.LIST, "lrem", key);
            ctx.dirty(removed);
        }
        if (list.size() == 0) {
            ctx.db().delete(key);
            ctx.notify(KeyspaceListener.GENERIC, "del", key);
        }
        return Reply.of(removed);
    }

    // LTRIM key start stop
    static Reply ltrim(Ctx ctx) {
        long start = ctx.longArg(2);
        long end = ctx.longArg(3);
        byte[] key = ctx.arg(1);
        ListValue list = ctx.lookupWrite(key, ListValue.class);
        if (list == null) {
            return Reply.OK;
        }
        long len = list.size();
        if (start < 0) {
            start += len;
        }
        if (end < 0) {
            end += len;
        }
        if (start < 0) {
            start = 0;
        }
        long ltrim;
        long rtrim;
        if (start > end || start >= len) {
            ltrim = len;
            rtrim = 0;
        } else {
            if (end >= len) {
                end = len - 1;
            }
            ltrim = start;
            rtrim = len - end - 1;
        }
        list.removeHead(ltrim);
        list.removeTail(rtrim);
        ctx.notify(KeyspaceListener.LIST, "ltrim", key);
        if (list.size() == 0) {
            ctx.db().delete(key);
            ctx.notify(KeyspaceListener.GENERIC, "del", key);
        }
        ctx.signalModified(key);
        ctx.dirty(ltrim + rtrim);
        return Reply.OK;
    }

    // ------------------------------------------------------------------ move

    // LMOVE source destination LEFT|RIGHT LEFT|RIGHT
    static Reply lmove(Ctx ctx) {
        boolean fromHead = side(ctx.arg(3));
        boolean toHead = side(ctx.arg(4));
        return move(ctx, fromHead, toHead);
    }

    // RPOPLPUSH source destination
    static Reply rpoplpush(Ctx ctx) {
        return move(ctx, false, true);
    }

    /**
     * Pops from the source and pushes to the destination (Redis's lmoveGenericCommand); the null
     * bulk string when the source is absent.
     */
    private static Reply move(Ctx ctx, boolean fromHead, boolean toHead) {
        byte[] srcKey = ctx.arg(1);
        byte[] dstKey = ctx.arg(2);
        ListValue src = ctx.lookupWrite(srcKey, ListValue.class);
        if (src == null) {
            return Reply.NULL;
        }
        ListValue dst = ctx.lookupWrite(dstKey, ListValue.class);
        byte[] value = fromHead ? src.popHead() : src.popTail();
        if (dst == null) {
            dst = newList(ctx);
            ctx.db().add(dstKey, dst);
        }
        ctx.signalModified(dstKey);
        if (toHead) {
            dst.pushHead(value);
        } else {
            dst.pushTail(value);
        }
        ctx.notify(KeyspaceListener.LIST, toHead ? "lpush" : "rpush", dstKey);
        ctx.notify(KeyspaceListener.LIST, fromHead ? "lpop" : "rpop", srcKey);
        if (src.size() == 0) {
            ctx.db().delete(srcKey);
            ctx.notify(KeyspaceListener.GENERIC, "del", srcKey);
        }
        ctx.signalModified(srcKey);
        ctx.dirty(1);
        return Reply.bulk(value);
    }

    // ------------------------------------------------------------------ blocking

    // BLPOP key [key ...] timeout / BRPOP key [key ...] timeout
    static Reply bpop(Ctx ctx, boolean head) {
        long timeout = Args.parseTimeoutMillis(ctx.arg(ctx.argc() - 1));
        List<byte[]> keys = Arrays.asList(Arrays.copyOfRange(ctx.argv(), 1, ctx.argc() - 1));
        byte[] ready = ctx.servedReadyKey();
        for (byte[] key : ready != null ? List.of(ready) : keys) {
            ListValue list = ctx.lookupWrite(key, ListValue.class);
            if (list == null) {
                continue;
            }
            byte[] value = head ? list.popHead() : list.popTail();
            elementsRemoved(ctx, key, head, list, 1);
            ctx.propagateAs(head ? LPOP : RPOP, key);
            return Reply.array(List.of(Reply.bulk(key), Reply.bulk(value)));
        }
        if (!ctx.mayBlock()) {
            return Reply.NULL_ARRAY;
        }
        return ctx.block(ValueType.LIST, keys, timeout, Reply.NULL_ARRAY);
    }

    // BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]
    static Reply blmpop(Ctx ctx) {
        MpopArgs a = parseMpop(ctx, 2);
        long timeout = Args.parseTimeoutMillis(ctx.arg(1));
        Reply r = mpop(ctx, a, ctx.servedReadyKey());
        if (r != null) {
            return r;
        }
        if (!ctx.mayBlock()) {
            return Reply.NULL_ARRAY;
        }
        return ctx.block(ValueType.LIST, a.keys(), timeout, Reply.NULL_ARRAY);
    }

    // BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout
    static Reply blmove(Ctx ctx) {
        boolean fromHead = side(ctx.arg(3));
        boolean toHead = side(ctx.arg(4));
        long timeout = Args.parseTimeoutMillis(ctx.arg(5));
        Reply r = blockingMove(ctx, fromHead, toHead, timeout);
        if (r instanceof Reply.Bulk) {
            if (ctx.servedReadyKey() != null) {
                ctx.propagateAs(LMOVE, ctx.arg(1), ctx.arg(2), fromHead ? LEFT : RIGHT, toHead ? LEFT : RIGHT);
            } else {
                ctx.propagateAs(LMOVE, ctx.arg(1), ctx.arg(2), ctx.arg(3), ctx.arg(4));
            }
        }
        return r;
    }

    // BRPOPLPUSH source destination timeout
    static Reply brpoplpush(Ctx ctx) {
        long timeout = Args.parseTimeoutMillis(ctx.arg(3));
        Reply r = blockingMove(ctx, false, true, timeout);
        if (r instanceof Reply.Bulk) {
            ctx.propagateAs(RPOPLPUSH, ctx.arg(1), ctx.arg(2));
        }
        return r;
    }

    /** Moves now when the source has elements, else blocks on it (Redis's blmoveGenericCommand). */
    private static Reply blockingMove(Ctx ctx, boolean fromHead, boolean toHead, long timeout) {
        if (ctx.lookupWrite(ctx.arg(1), ListValue.class) != null) {
            return move(ctx, fromHead, toHead);
        }
        if (!ctx.mayBlock()) {
            return Reply.NULL;
        }
        return ctx.block(ValueType.LIST, List.of(ctx.arg(1)), timeout, Reply.NULL_ARRAY);
    }
}
