package dev.cellar.core.commands;

import dev.cellar.api.Reply;
import dev.cellar.core.engine.Args;
import dev.cellar.core.engine.CommandError;
import dev.cellar.core.engine.CommandTable;
import dev.cellar.core.engine.Ctx;
import dev.cellar.core.engine.Db;
import dev.cellar.core.engine.Errors;
import dev.cellar.core.engine.KeyspaceListener;

/** The string commands (Redis's {@code t_string.c}). */
public final class StringCommands {
    private static final byte[] SET = Args.bytes("SET");
    private static final byte[] PXAT = Args.bytes("PXAT");

    private static final int NX = 1;
    private static final int XX = 2;
    private static final int GET = 4;
    private static final int KEEPTTL = 8;
    private static final int EX = 16;
    private static final int PX = 32;
    private static final int EXAT = 64;
    private static final int PXAT_FLAG = 128;

    private StringCommands() {}

    /** Registers the family's commands. */
    public static void register(CommandTable t) {
        t.add("get", 2, "readonly fast", 1, 1, 1, "string", StringCommands::get);
        t.add("set", -3, "write denyoom", 1, 1, 1, "string", StringCommands::set);
        t.add("setnx", 3, "write denyoom fast", 1, 1, 1, "string", StringCommands::setnx);
        t.add("setex", 4, "write denyoom", 1, 1, 1, "string", StringCommands::setex);
        t.add("psetex", 4, "write denyoom", 1, 1, 1, "string", StringCommands::psetex);
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
        } else {
            exists = db.exists(key);
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
}
