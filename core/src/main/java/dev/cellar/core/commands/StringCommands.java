package dev.cellar.core.commands;

import dev.cellar.api.Reply;
import dev.cellar.core.Numbers;
import dev.cellar.core.engine.Args;
import dev.cellar.core.engine.CommandError;
import dev.cellar.core.engine.CommandTable;
import dev.cellar.core.engine.Ctx;
import dev.cellar.core.engine.Db;
import dev.cellar.core.engine.Dict;
import dev.cellar.core.engine.Errors;
import dev.cellar.core.engine.KeyspaceListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The string commands (Redis's {@code t_string.c}) and the bitmap commands on strings
 * ({@code bitops.c}).
 *
 * <p>Encodings: {@link Db#setKey} stores what a client sent as Redis's {@code tryObjectEncoding}
 * would ({@code int}, {@code embstr}, {@code raw}); strings a command built by changing another
 * (APPEND, SETRANGE, SETBIT, BITOP) go through {@link Db#setRawString}, since Redis keeps those as
 * {@code raw} sds strings whatever their length. Stored arrays are never changed in place: a reply
 * may still hold one, so every change writes a new array.
 */
public final class StringCommands {
    private static final byte[] SET = Args.bytes("SET");
    private static final byte[] PXAT = Args.bytes("PXAT");
    private static final byte[] KEEPTTL_ARG = Args.bytes("KEEPTTL");
    private static final byte[] DEL = Args.bytes("DEL");
    private static final byte[] UNLINK = Args.bytes("UNLINK");
    private static final byte[] PEXPIREAT = Args.bytes("PEXPIREAT");
    private static final byte[] PERSIST_CMD = Args.bytes("PERSIST");

    static final String ERR_STRING_TOO_LONG = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
    static final String ERR_OFFSET_RANGE = "ERR offset is out of range";
    static final String ERR_BIT_OFFSET = "ERR bit offset is not an integer or out of range";
    static final String ERR_BIT_VALUE = "ERR bit is not an integer or out of range";
    static final String ERR_BITPOS_BIT = "ERR The bit argument must be 1 or 0.";
    static final String ERR_BITOP_NOT = "ERR BITOP NOT must be called with a single source key.";
    static final String ERR_DECR_OVERFLOW = "ERR decrement would overflow";
    static final String ERR_FLOAT_RESULT = "ERR increment would produce NaN or Infinity";

    /** Redis's default {@code proto-max-bulk-len}, used when the setting is not registered. */
    private static final long DEFAULT_MAX_BULK = 512L * 1024 * 1024;
    /** The longest array the JVM allocates reliably. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private static final int NX = 1;
    private static final int XX = 2;
    private static final int GET = 4;
    private static final int KEEPTTL = 8;
    private static final int EX = 16;
    private static final int PX = 32;
    private static final int EXAT = 64;
    private static final int PXAT_FLAG = 128;
    private static final int PERSIST = 256;

    private StringCommands() {}

    /** Registers the family's commands. */
    public static void register(CommandTable t) {
        t.add("get", 2, "readonly fast", 1, 1, 1, "string", StringCommands::get);
        t.add("set", -3, "write denyoom", 1, 1, 1, "string", StringCommands::set);
        t.add("setnx", 3, "write denyoom fast", 1, 1, 1, "string", StringCommands::setnx);
        t.add("setex", 4, "write denyoom", 1, 1, 1, "string", StringCommands::setex);
        t.add("psetex", 4, "write denyoom", 1, 1, 1, "string", StringCommands::psetex);
        t.add("getex", -2, "write fast", 1, 1, 1, "string", StringCommands::getex);
        t.add("getdel", 2, "write fast", 1, 1, 1, "string", StringCommands::getdel);
        t.add("getset", 3, "write denyoom fast", 1, 1, 1, "string", StringCommands::getset);
        t.add("mget", -2, "readonly fast", 1, -1, 1, "string", StringCommands::mget);
        t.add("mset", -3, "write denyoom", 1, -1, 2, "string", StringCommands::mset);
        t.add("msetnx", -3, "write denyoom", 1, -1, 2, "string", StringCommands::msetnx);
        t.add("append", 3, "write denyoom fast", 1, 1, 1, "string", StringCommands::append);
        t.add("strlen", 2, "readonly fast", 1, 1, 1, "string", StringCommands::strlen);
        t.add("incr", 2, "write denyoom fast", 1, 1, 1, "string", StringCommands::incr);
        t.add("decr", 2, "write denyoom fast", 1, 1, 1, "string", StringCommands::decr);
        t.add("incrby", 3, "write denyoom fast", 1, 1, 1, "string", StringCommands::incrby);
        t.add("decrby", 3, "write denyoom fast", 1, 1, 1, "string", StringCommands::decrby);
        t.add("incrbyfloat", 3, "write denyoom fast", 1, 1, 1, "string", StringCommands::incrbyfloat);
        t.add("getrange", 4, "readonly", 1, 1, 1, "string", StringCommands::getrange);
        t.add("substr", 4, "readonly", 1, 1, 1, "string", StringCommands::getrange);
        t.add("setrange", 4, "write denyoom", 1, 1, 1, "string", StringCommands::setrange);
        t.add("setbit", 4, "write denyoom", 1, 1, 1, "bitmap", StringCommands::setbit);
        t.add("getbit", 3, "readonly fast", 1, 1, 1, "bitmap", StringCommands::getbit);
        t.add("bitcount", -2, "readonly", 1, 1, 1, "bitmap", StringCommands::bitcount);
        t.add("bitpos", -3, "readonly", 1, 1, 1, "bitmap", StringCommands::bitpos);
        t.add("bitop", -4, "write denyoom", 2, -1, 1, "bitmap", StringCommands::bitop);
    }

    // GET key
    static Reply get(Ctx ctx) {
        return Reply.bulk(ctx.getString(ctx.arg(1)));
    }

    // SET key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds |
    //     PXAT unix-time-milliseconds | KEEPTTL]
    static Reply set(Ctx ctx) {
        int flags = 0;
        byte[] expireArg = null;
        for (int i = 3; i < ctx.argc(); i++) {
            boolean hasNext = i + 1 < ctx.argc();
            if (ctx.is(i, "NX") && (flags & XX) == 0) {
                flags |= NX;
            } else if (ctx.is(i, "XX") && (flags & NX) == 0) {
                flags |= XX;
            } else if (ctx.is(i, "GET")) {
                flags |= GET;
            } else if (ctx.is(i, "KEEPTTL") && (flags & (EX | PX | EXAT | PXAT_FLAG)) == 0) {
                flags |= KEEPTTL;
            } else if (ctx.is(i, "EX") && (flags & (KEEPTTL | PX | EXAT | PXAT_FLAG)) == 0 && hasNext) {
                flags |= EX;
                expireArg = ctx.arg(++i);
            } else if (ctx.is(i, "PX") && (flags & (KEEPTTL | EX | EXAT | PXAT_FLAG)) == 0 && hasNext) {
                flags |= PX;
                expireArg = ctx.arg(++i);
            } else if (ctx.is(i, "EXAT") && (flags & (KEEPTTL | EX | PX | PXAT_FLAG)) == 0 && hasNext) {
                flags |= EXAT;
                expireArg = ctx.arg(++i);
            } else if (ctx.is(i, "PXAT") && (flags & (KEEPTTL | EX | PX | EXAT)) == 0 && hasNext) {
                flags |= PXAT_FLAG;
                expireArg = ctx.arg(++i);
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        long when = -1;
        if (expireArg != null) {
            when = expireAt(ctx, expireArg, (flags & (EX | EXAT)) != 0, (flags & (EX | PX)) != 0, "set");
        }
        return setGeneric(ctx, flags, ctx.arg(1), ctx.arg(2), when, expireArg != null && (flags & PXAT_FLAG) == 0);
    }

    /**
     * Turns an expire argument into absolute Unix milliseconds, with Redis's checks
     * ({@code getExpireMillisecondsOrReply}).
     */
    static long expireAt(Ctx ctx, byte[] arg, boolean seconds, boolean relative, String command) {
        long value = Args.parseLong(arg);
        if (value <= 0 || (seconds && value > Long.MAX_VALUE / 1000)) {
            throw new CommandError(Errors.invalidExpire(command));
        }
        long ms = seconds ? value * 1000 : value;
        if (relative) {
            if (ms > Long.MAX_VALUE - ctx.now()) {
                throw new CommandError(Errors.invalidExpire(command));
            }
            ms += ctx.now();
        }
        return ms;
    }

    /**
     * The one implementation behind SET, SETNX, SETEX and PSETEX (Redis's {@code setGenericCommand}).
     *
     * @param when          absolute expiry in ms, or -1
     * @param rewriteAsPxat whether to propagate as {@code SET key value PXAT when}
     */
    private static Reply setGeneric(Ctx ctx, int flags, byte[] key, byte[] value, long when, boolean rewriteAsPxat) {
        Db db = ctx.db();
        byte[] old = null;
        boolean exists;
        if ((flags & GET) != 0) {
            old = ctx.getString(key);
            exists = old != null;
        } else if ((flags & (NX | XX)) != 0 || db.expires().size() > 0) {
            // Also expires the key lazily, as Redis's lookupKeyWrite does before a SET.
            exists = db.exists(key);
        } else {
            // Nothing can expire and no condition asks: the lookup would change nothing.
            exists = false;
        }
        if (((flags & NX) != 0 && exists) || ((flags & XX) != 0 && !exists)) {
            return (flags & GET) != 0 ? Reply.bulk(old) : Reply.NULL;
        }
        db.setKey(key, value, (flags & KEEPTTL) != 0);
        ctx.dirty(1);
        ctx.notify(KeyspaceListener.STRING, "set", key);
        if (when >= 0) {
            db.setExpire(key, when);
            ctx.notify(KeyspaceListener.GENERIC, "expire", key);
            if (rewriteAsPxat) {
                ctx.propagateAs(SET, key, value, PXAT, Args.bytes(when));
            }
        }
        return (flags & GET) != 0 ? Reply.bulk(old) : Reply.OK;
    }

    // SETNX key value
    static Reply setnx(Ctx ctx) {
        Reply r = setGeneric(ctx, NX, ctx.arg(1), ctx.arg(2), -1, false);
        return r == Reply.OK ? Reply.ONE : Reply.ZERO;
    }

    // SETEX key seconds value
    static Reply setex(Ctx ctx) {
        long when = expireAt(ctx, ctx.arg(2), true, true, "setex");
        return setGeneric(ctx, 0, ctx.arg(1), ctx.arg(3), when, true);
    }

    // PSETEX key milliseconds value
    static Reply psetex(Ctx ctx) {
        long when = expireAt(ctx, ctx.arg(2), false, true, "psetex");
        return setGeneric(ctx, 0, ctx.arg(1), ctx.arg(3), when, true);
    }

    // ------------------------------------------------------------------ GETEX, GETDEL, GETSET

    // GETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | PERSIST]
    static Reply getex(Ctx ctx) {
        int flags = 0;
        byte[] expireArg = null;
        for (int i = 2; i < ctx.argc(); i++) {
            if (ctx.is(i, "PERSIST") && (flags & (EX | PX | EXAT | PXAT_FLAG)) == 0) {
                flags |= PERSIST;
                continue;
            }
            // an option may repeat (the last one wins) but not be combined with another
            int flag = ctx.is(i, "EX") ? EX : ctx.is(i, "PX") ? PX : ctx.is(i, "EXAT") ? EXAT
                    : ctx.is(i, "PXAT") ? PXAT_FLAG : 0;
            int others = (PERSIST | EX | PX | EXAT | PXAT_FLAG) & ~flag;
            if (flag == 0 || (flags & others) != 0 || i + 1 >= ctx.argc()) {
                throw new CommandError(Errors.SYNTAX);
            }
            flags |= flag;
            expireArg = ctx.arg(++i);
        }
        byte[] key = ctx.arg(1);
        Db db = ctx.db();
        // Redis looks the key up before it validates the expire time: a missing key answers nil.
        byte[] value = ctx.getString(key);
        if (value == null) {
            return Reply.NULL;
        }
        if (expireArg != null) {
            long when = expireAt(ctx, expireArg, (flags & (EX | EXAT)) != 0, (flags & (EX | PX)) != 0, "getex");
            boolean absolute = (flags & (EXAT | PXAT_FLAG)) != 0;
            if (absolute && when <= ctx.now() && !ctx.engine().loading()) {
                db.delete(key);
                boolean lazy = ctx.settings().getBool("lazyfree-lazy-expire");
                ctx.propagateAs(lazy ? UNLINK : DEL, key);
                ctx.signalModified(key);
                ctx.notify(KeyspaceListener.GENERIC, "del", key);
            } else {
                db.setExpire(key, when);
                ctx.propagateAs(PEXPIREAT, key, Args.bytes(when));
                ctx.signalModified(key);
                ctx.notify(KeyspaceListener.GENERIC, "expire", key);
            }
            ctx.dirty(1);
        } else if ((flags & PERSIST) != 0) {
            if (db.removeExpire(key)) {
                ctx.signalModified(key);
                ctx.propagateAs(PERSIST_CMD, key);
                ctx.notify(KeyspaceListener.GENERIC, "persist", key);
                ctx.dirty(1);
            }
        }
        return Reply.bulk(value);
    }

    // GETDEL key
    static Reply getdel(Ctx ctx) {
        byte[] key = ctx.arg(1);
        byte[] value = ctx.getString(key);
        if (value == null) {
            return Reply.NULL;
        }
        ctx.db().delete(key);
        boolean lazy = ctx.settings().getBool("lazyfree-lazy-user-del");
        ctx.propagateAs(lazy ? UNLINK : DEL, key);
        ctx.signalModified(key);
        ctx.notify(KeyspaceListener.GENERIC, "del", key);
        ctx.dirty(1);
        return Reply.bulk(value);
    }

    // GETSET key value
    static Reply getset(Ctx ctx) {
        byte[] key = ctx.arg(1);
        byte[] value = ctx.arg(2);
        byte[] old = ctx.getString(key);
        ctx.db().setKey(key, value, false);
        ctx.notify(KeyspaceListener.STRING, "set", key);
        ctx.dirty(1);
        ctx.propagateAs(SET, key, value);
        return Reply.bulk(old);
    }

    // ------------------------------------------------------------------ MGET, MSET, MSETNX

    // MGET key [key ...]
    static Reply mget(Ctx ctx) {
        Db db = ctx.db();
        List<Reply> out = new ArrayList<>(ctx.argc() - 1);
        for (int i = 1; i < ctx.argc(); i++) {
            Object v = db.lookupRead(ctx.arg(i));
            out.add(v instanceof byte[] || v instanceof Long ? Reply.bulk(Ctx.asString(v)) : Reply.NULL);
        }
        return Reply.array(out);
    }

    // MSET key value [key value ...]
    static Reply mset(Ctx ctx) {
        msetGeneric(ctx, false);
        return Reply.OK;
    }

    // MSETNX key value [key value ...]
    static Reply msetnx(Ctx ctx) {
        return msetGeneric(ctx, true) ? Reply.ONE : Reply.ZERO;
    }

    private static boolean msetGeneric(Ctx ctx, boolean nx) {
        if (ctx.argc() % 2 == 0) {
            throw new CommandError(Errors.arity(ctx.spec().name()));
        }
        Db db = ctx.db();
        if (nx) {
            for (int i = 1; i < ctx.argc(); i += 2) {
                if (db.lookupWrite(ctx.arg(i)) != null) {
                    return false;
                }
            }
        }
        for (int i = 1; i < ctx.argc(); i += 2) {
            db.setKey(ctx.arg(i), ctx.arg(i + 1), false);
            ctx.notify(KeyspaceListener.STRING, "set", ctx.arg(i));
        }
        ctx.dirty((ctx.argc() - 1) / 2);
        return true;
    }

    // ------------------------------------------------------------------ APPEND, STRLEN, ranges

    // APPEND key value
    static Reply append(Ctx ctx) {
        byte[] key = ctx.arg(1);
        byte[] tail = ctx.arg(2);
        Db db = ctx.db();
        byte[] old = ctx.getStringForWrite(key);
        long length;
        if (old == null) {
            // a new key holds the argument as SET would store it (int, embstr or raw)
            db.setKey(key, tail, false);
            length = tail.length;
        } else {
            checkStringLength(ctx, old.length, tail.length);
            byte[] joined = Arrays.copyOf(old, old.length + tail.length);
            System.arraycopy(tail, 0, joined, old.length, tail.length);
            db.setRawString(key, joined);
            ctx.signalModified(key);
            length = joined.length;
        }
        ctx.notify(KeyspaceListener.STRING, "append", key);
        ctx.dirty(1);
        return Reply.of(length);
    }

    // STRLEN key
    static Reply strlen(Ctx ctx) {
        byte[] value = ctx.getString(ctx.arg(1));
        return Reply.of(value == null ? 0 : value.length);
    }

    // GETRANGE key start end  (also SUBSTR)
    static Reply getrange(Ctx ctx) {
        long start = ctx.longArg(2);
        long end = ctx.longArg(3);
        byte[] value = ctx.getString(ctx.arg(1));
        if (value == null) {
            return Reply.bulk(new byte[0]);
        }
        long length = value.length;
        if (start < 0 && end < 0 && start > end) {
            return Reply.bulk(new byte[0]);
        }
        if (start < 0) {
            start = Math.max(0, length + start);
        }
        if (end < 0) {
            end = Math.max(0, length + end);
        }
        if (end >= length) {
            end = length - 1;
        }
        if (start > end || length == 0) {
            return Reply.bulk(new byte[0]);
        }
        return Reply.bulk(Arrays.copyOfRange(value, (int) start, (int) end + 1));
    }

    // SETRANGE key offset value
    static Reply setrange(Ctx ctx) {
        byte[] key = ctx.arg(1);
        long offset = ctx.longArg(2);
        byte[] value = ctx.arg(3);
        if (offset < 0) {
            throw new CommandError(ERR_OFFSET_RANGE);
        }
        Db db = ctx.db();
        byte[] old = ctx.getStringForWrite(key);
        if (value.length == 0) {
            // setting nothing changes nothing, and creates no key
            return Reply.of(old == null ? 0 : old.length);
        }
        checkStringLength(ctx, offset, value.length);
        int oldLength = old == null ? 0 : old.length;
        byte[] updated = old == null ? new byte[(int) offset + value.length]
                : Arrays.copyOf(old, Math.max(oldLength, (int) offset + value.length));
        System.arraycopy(value, 0, updated, (int) offset, value.length);
        db.setRawString(key, updated);
        ctx.signalModified(key);
        ctx.notify(KeyspaceListener.STRING, "setrange", key);
        ctx.dirty(1);
        return Reply.of(updated.length);
    }

    /** Redis's {@code checkStringLength}: a string may not grow past {@code proto-max-bulk-len}. */
    private static void checkStringLength(Ctx ctx, long size, long append) {
        long total = size + append;
        if (total < size || total > maxStringLength(ctx)) {
            throw new CommandError(ERR_STRING_TOO_LONG);
        }
    }

    /** {@code proto-max-bulk-len} (the server registers it), capped at what a Java array holds. */
    static long maxStringLength(Ctx ctx) {
        long max = ctx.settings().has("proto-max-bulk-len") ? ctx.settings().getLong("proto-max-bulk-len")
                : DEFAULT_MAX_BULK;
        return Math.min(max, MAX_ARRAY);
    }

    // ------------------------------------------------------------------ counters

    // INCR key
    static Reply incr(Ctx ctx) {
        return incrDecr(ctx, 1);
    }

    // DECR key
    static Reply decr(Ctx ctx) {
        return incrDecr(ctx, -1);
    }

    // INCRBY key increment
    static Reply incrby(Ctx ctx) {
        return incrDecr(ctx, ctx.longArg(2));
    }

    // DECRBY key decrement
    static Reply decrby(Ctx ctx) {
        long decrement = ctx.longArg(2);
        if (decrement == Long.MIN_VALUE) {
            throw new CommandError(ERR_DECR_OVERFLOW);
        }
        return incrDecr(ctx, -decrement);
    }

    /** The one implementation behind INCR, DECR, INCRBY and DECRBY; keeps the key's TTL. */
    private static Reply incrDecr(Ctx ctx, long increment) {
        byte[] key = ctx.arg(1);
        Db db = ctx.db();
        Object current = db.lookupWrite(key);
        long value;
        if (current == null) {
            value = 0;
        } else if (current instanceof Long l) {
            value = l;
        } else {
            value = Args.parseLong(Ctx.asString(current));
        }
        if ((increment < 0 && value < 0 && increment < Long.MIN_VALUE - value)
                || (increment > 0 && value > 0 && increment > Long.MAX_VALUE - value)) {
            throw new CommandError(Errors.OVERFLOW);
        }
        long result = value + increment;
        db.setKey(key, result, true);
        ctx.notify(KeyspaceListener.STRING, "incrby", key);
        ctx.dirty(1);
        return Reply.of(result);
    }

    // INCRBYFLOAT key increment
    static Reply incrbyfloat(Ctx ctx) {
        byte[] key = ctx.arg(1);
        Db db = ctx.db();
        Object current = db.lookupWrite(key);
        LongDouble value;
        if (current == null) {
            value = LongDouble.ZERO;
        } else if (current instanceof Long l) {
            value = LongDouble.of(l);
        } else {
            value = parseLongDouble(Ctx.asString(current));
        }
        LongDouble sum = value.add(parseLongDouble(ctx.arg(2)));
        if (!sum.isFinite()) {
            throw new CommandError(ERR_FLOAT_RESULT);
        }
        byte[] text = sum.toBytes();
        storeUnencoded(db, key, text);
        ctx.notify(KeyspaceListener.STRING, "incrbyfloat", key);
        ctx.dirty(1);
        // the result, not the increment, so that replaying never depends on float arithmetic
        ctx.propagateAs(SET, key, text, KEEPTTL_ARG);
        return Reply.bulk(text);
    }

    private static LongDouble parseLongDouble(byte[] text) {
        try {
            return LongDouble.parse(text);
        } catch (NumberFormatException e) {
            throw new CommandError(Errors.NOT_FLOAT);
        }
    }

    /**
     * Stores a string a command printed, keeping the TTL, without the integer encoding: Redis
     * stores INCRBYFLOAT's result with {@code createStringObject}, so "3" is an {@code embstr}.
     */
    private static void storeUnencoded(Db db, byte[] key, byte[] text) {
        db.setKey(key, text, true);
        if (text.length <= 20 && Numbers.isLong(text)) {
            Dict dict = db.dict();
            dict.setValueAt(dict.find(key), text, true);
        }
    }

    // ------------------------------------------------------------------ bitmaps

    /** A bit offset argument, as Redis's {@code getBitOffsetFromArgument} for SETBIT and GETBIT. */
    private static long bitOffset(Ctx ctx, int index) {
        long offset = Args.parseLong(ctx.arg(index), ERR_BIT_OFFSET);
        if (offset < 0 || (offset >>> 3) >= maxStringLength(ctx)) {
            throw new CommandError(ERR_BIT_OFFSET);
        }
        return offset;
    }

    // SETBIT key offset value
    static Reply setbit(Ctx ctx) {
        byte[] key = ctx.arg(1);
        long offset = bitOffset(ctx, 2);
        long on = Args.parseLong(ctx.arg(3), ERR_BIT_VALUE);
        if ((on & ~1L) != 0) {
            throw new CommandError(ERR_BIT_VALUE);
        }
        byte[] old = ctx.getStringForWrite(key);
        int byteIndex = (int) (offset >>> 3);
        boolean grown = old == null || old.length <= byteIndex;
        byte[] updated = old == null ? new byte[byteIndex + 1] : Arrays.copyOf(old, Math.max(old.length, byteIndex + 1));
        int shift = 7 - (int) (offset & 7);
        int previous = (updated[byteIndex] >> shift) & 1;
        updated[byteIndex] = (byte) ((updated[byteIndex] & ~(1 << shift)) | ((int) on << shift));
        // Redis turns the value into a raw string even when the bit does not change; it counts a
        // change (and propagates) only when the key was created, grew, or the bit flipped.
        ctx.db().setRawString(key, updated);
        if (grown || previous != on) {
            ctx.signalModified(key);
            ctx.notify(KeyspaceListener.STRING, "setbit", key);
            ctx.dirty(1);
        }
        return Reply.of(previous);
    }

    // GETBIT key offset
    static Reply getbit(Ctx ctx) {
        long offset = bitOffset(ctx, 2);
        byte[] value = ctx.getString(ctx.arg(1));
        if (value == null || (offset >>> 3) >= value.length) {
            return Reply.ZERO;
        }
        return Reply.of(BitOps.bitAt(value, offset));
    }

    // BITCOUNT key [start end [BYTE | BIT]]
    static Reply bitcount(Ctx ctx) {
        // Redis 7.0 looks the key up first: a missing key counts 0 whatever the arguments.
        byte[] value = ctx.getString(ctx.arg(1));
        if (value == null) {
            return Reply.ZERO;
        }
        long length = value.length;
        long start;
        long end;
        boolean bits = false;
        if (ctx.argc() == 4 || ctx.argc() == 5) {
            start = ctx.longArg(2);
            end = ctx.longArg(3);
            // Redis answers an empty negative range before it reads the unit
            if (start < 0 && end < 0 && start > end) {
                return Reply.ZERO;
            }
            if (ctx.argc() == 5) {
                bits = unit(ctx, 4);
            }
            if (bits) {
                length <<= 3;
            }
            start = clampIndex(start, length);
            end = clampIndex(end, length);
            if (end >= length) {
                end = length - 1;
            }
        } else if (ctx.argc() == 2) {
            start = 0;
            end = length - 1;
        } else {
            throw new CommandError(Errors.SYNTAX);
        }
        if (start > end) {
            return Reply.ZERO;
        }
        return Reply.of(bits ? BitOps.popcountBits(value, start, end) : BitOps.popcount(value, (int) start, (int) end));
    }

    /** A negative index counts from the end; what remains negative is 0. */
    private static long clampIndex(long index, long length) {
        if (index < 0) {
            index += length;
        }
        return Math.max(0, index);
    }

    /** The BYTE | BIT unit argument: true for BIT. */
    private static boolean unit(Ctx ctx, int index) {
        if (ctx.is(index, "BIT")) {
            return true;
        }
        if (ctx.is(index, "BYTE")) {
            return false;
        }
        throw new CommandError(Errors.SYNTAX);
    }

    // BITPOS key bit [start [end [BYTE | BIT]]]
    static Reply bitpos(Ctx ctx) {
        long bit = ctx.longArg(2);
        if (bit != 0 && bit != 1) {
            throw new CommandError(ERR_BITPOS_BIT);
        }
        // a missing key is an endless run of zeros
        byte[] value = ctx.getString(ctx.arg(1));
        if (value == null) {
            return Reply.of(bit == 1 ? -1 : 0);
        }
        long length = value.length;
        long start;
        long end;
        boolean bits = false;
        boolean endGiven = false;
        if (ctx.argc() >= 4 && ctx.argc() <= 6) {
            start = ctx.longArg(3);
            if (ctx.argc() == 6) {
                bits = unit(ctx, 5);
            }
            if (ctx.argc() >= 5) {
                end = ctx.longArg(4);
                endGiven = true;
            } else {
                end = length - 1;
            }
            if (bits) {
                length <<= 3;
            }
            start = clampIndex(start, length);
            end = clampIndex(end, length);
            if (end >= length) {
                end = length - 1;
            }
        } else if (ctx.argc() == 3) {
            start = 0;
            end = length - 1;
        } else {
            throw new CommandError(Errors.SYNTAX);
        }
        if (start > end) {
            return Reply.of(-1);
        }
        long fromBit = bits ? start : start << 3;
        long toBit = bits ? end : (end << 3) + 7;
        long found = BitOps.firstBit(value, fromBit, toBit, (int) bit);
        if (found < 0 && bit == 0 && !endGiven) {
            // without an explicit end the string continues with zeros: the first one is past the end
            return Reply.of(toBit + 1);
        }
        return Reply.of(found);
    }

    // BITOP <AND | OR | XOR | NOT> destkey key [key ...]
    static Reply bitop(Ctx ctx) {
        BitOps.Op op;
        if (ctx.is(1, "AND")) {
            op = BitOps.Op.AND;
        } else if (ctx.is(1, "OR")) {
            op = BitOps.Op.OR;
        } else if (ctx.is(1, "XOR")) {
            op = BitOps.Op.XOR;
        } else if (ctx.is(1, "NOT")) {
            op = BitOps.Op.NOT;
        } else {
            throw new CommandError(Errors.SYNTAX);
        }
        if (op == BitOps.Op.NOT && ctx.argc() != 4) {
            throw new CommandError(ERR_BITOP_NOT);
        }
        byte[][] sources = new byte[ctx.argc() - 3][];
        int maxLength = 0;
        for (int i = 0; i < sources.length; i++) {
            sources[i] = ctx.getString(ctx.arg(i + 3));
            if (sources[i] != null) {
                maxLength = Math.max(maxLength, sources[i].length);
            }
        }
        byte[] dest = ctx.arg(2);
        Db db = ctx.db();
        db.lookupWrite(dest); // expires the destination first, as Redis's setKey does
        if (maxLength > 0) {
            // Redis stores the result as a raw string (setKey: the TTL goes)
            db.setRawString(dest, BitOps.apply(op, sources, maxLength));
            db.removeExpire(dest);
            ctx.signalModified(dest);
            ctx.notify(KeyspaceListener.STRING, "set", dest);
            ctx.dirty(1);
        } else if (db.delete(dest)) {
            ctx.signalModified(dest);
            ctx.notify(KeyspaceListener.GENERIC, "del", dest);
            ctx.dirty(1);
        }
        return Reply.of(maxLength);
    }
}
