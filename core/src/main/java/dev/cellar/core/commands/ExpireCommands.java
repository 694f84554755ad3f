package dev.cellar.core.commands;

import dev.cellar.api.Reply;
import dev.cellar.core.engine.Args;
import dev.cellar.core.engine.CommandError;
import dev.cellar.core.engine.CommandTable;
import dev.cellar.core.engine.Ctx;
import dev.cellar.core.engine.Db;
import dev.cellar.core.engine.Errors;
import dev.cellar.core.engine.KeyspaceListener;

/**
 * The expiry commands (Redis's {@code expire.c}): EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT with
 * NX | XX | GT | LT, TTL, PTTL, EXPIRETIME, PEXPIRETIME and PERSIST.
 *
 * <p>Propagation: a relative or second-based expiry is propagated as {@code PEXPIREAT key <ms>}
 * followed by the options as sent (Redis rewrites only the command name and the time); PEXPIREAT
 * goes as sent. An expiry at or before now deletes the key and goes as {@code DEL key}, or
 * {@code UNLINK key} under {@code lazyfree-lazy-expire}.
 */
public final class ExpireCommands {
    static final String NX_XX_GT_LT = "ERR NX and XX, GT or LT options at the same time are not compatible";
    static final String GT_LT = "ERR GT and LT options at the same time are not compatible";

    private static final byte[] PEXPIREAT = Args.bytes("PEXPIREAT");
    private static final byte[] DEL = Args.bytes("DEL");
    private static final byte[] UNLINK = Args.bytes("UNLINK");

    private static final int NX = 1;
    private static final int XX = 2;
    private static final int GT = 4;
    private static final int LT = 8;

    private ExpireCommands() {}

    /** Registers the family's commands. */
    public static void register(CommandTable t) {
        t.add("expire", -3, "write fast", 1, 1, 1, "generic", ctx -> expireGeneric(ctx, ctx.now(), true));
        t.add("pexpire", -3, "write fast", 1, 1, 1, "generic", ctx -> expireGeneric(ctx, ctx.now(), false));
        t.add("expireat", -3, "write fast", 1, 1, 1, "generic", ctx -> expireGeneric(ctx, 0, true));
        t.add("pexpireat", -3, "write fast", 1, 1, 1, "generic", ctx -> expireGeneric(ctx, 0, false));
        t.add("ttl", 2, "readonly fast", 1, 1, 1, "generic", ctx -> ttlGeneric(ctx, false, false));
        t.add("pttl", 2, "readonly fast", 1, 1, 1, "generic", ctx -> ttlGeneric(ctx, true, false));
        t.add("expiretime", 2, "readonly fast", 1, 1, 1, "generic", ctx -> ttlGeneric(ctx, false, true));
        t.add("pexpiretime", 2, "readonly fast", 1, 1, 1, "generic", ctx -> ttlGeneric(ctx, true, true));
        t.add("persist", 2, "write fast", 1, 1, 1, "generic", ExpireCommands::persist);
    }

    // EXPIRE key seconds [NX | XX | GT | LT]
    // PEXPIRE key milliseconds [NX | XX | GT | LT]
    // EXPIREAT key unix-time-seconds [NX | XX | GT | LT]
    // PEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT]
    static Reply expireGeneric(Ctx ctx, long basetime, boolean seconds) {
        byte[] key = ctx.arg(1);
        int flags = parseFlags(ctx);
        long when = ctx.longArg(2);
        String name = ctx.spec().name();
        if (seconds) {
            if (when > Long.MAX_VALUE / 1000 || when < Long.MIN_VALUE / 1000) {
                throw new CommandError(Errors.invalidExpire(name));
            }
            when *= 1000;
        }
        if (when > Long.MAX_VALUE - basetime) {
            throw new CommandError(Errors.invalidExpire(name));
        }
        when += basetime;
        Db db = ctx.db();
        if (db.lookupWrite(key) == null) {
            return Reply.ZERO;
        }
        if (flags != 0) {
            long current = db.getExpire(key);
            if ((flags & NX) != 0 && current != -1
                    || (flags & XX) != 0 && current == -1
                    // No expiry counts as an infinite one: GT never beats it, LT always does.
                    || (flags & GT) != 0 && (current == -1 || when <= current)
                    || (flags & LT) != 0 && current != -1 && when >= current) {
                return Reply.ZERO;
            }
        }
        if (when <= ctx.now() && !ctx.engine().loading()) {
            db.delete(key);
            boolean lazy = ctx.settings().getLong("lazyfree-lazy-expire") != 0;
            ctx.propagateAs(lazy ? UNLINK : DEL, key);
            ctx.signalModified(key);
            ctx.notify(KeyspaceListener.GENERIC, "del", key);
            ctx.dirty(1);
            return Reply.ONE;
        }
        db.setExpire(key, when);
        if (basetime != 0 || seconds) {
            byte[][] form = ctx.argv().clone();
            form[0] = PEXPIREAT;
            form[2] = Args.bytes(when);
            ctx.propagateAs(form);
        }
        ctx.signalModified(key);
        ctx.notify(KeyspaceListener.GENERIC, "expire", key);
        ctx.dirty(1);
        return Reply.ONE;
    }

    /** The NX | XX | GT | LT options from argument 3 on, with Redis's checks of their combinations. */
    private static int parseFlags(Ctx ctx) {
        int flags = 0;
        for (int i = 3; i < ctx.argc(); i++) {
            if (ctx.is(i, "NX")) {
                flags |= NX;
            } else if (ctx.is(i, "XX")) {
                flags |= XX;
            } else if (ctx.is(i, "GT")) {
                flags |= GT;
            } else if (ctx.is(i, "LT")) {
                flags |= LT;
            } else {
                throw new CommandError("ERR Unsupported option " + Args.text(ctx.arg(i)));
            }
        }
        if ((flags & NX) != 0 && (flags & (XX | GT | LT)) != 0) {
            throw new CommandError(NX_XX_GT_LT);
        }
        if ((flags & GT) != 0 && (flags & LT) != 0) {
            throw new CommandError(GT_LT);
        }
        return flags;
    }

    // TTL key
    // PTTL key
    // EXPIRETIME key
    // PEXPIRETIME key
    static Reply ttlGeneric(Ctx ctx, boolean millis, boolean absolute) {
        Db db = ctx.db();
        byte[] key = ctx.arg(1);
        if (!db.exists(key)) {
            return Reply.of(-2);
        }
        long expire = db.getExpire(key);
        if (expire == -1) {
            return Reply.of(-1);
        }
        long value = absolute ? expire : Math.max(0, expire - ctx.now());
        return Reply.of(millis ? value : (value + 500) / 1000);
    }

    // PERSIST key
    static Reply persist(Ctx ctx) {
        Db db = ctx.db();
        byte[] key = ctx.arg(1);
        if (db.lookupWrite(key) == null || !db.removeExpire(key)) {
            return Reply.ZERO;
        }
        ctx.signalModified(key);
        ctx.notify(KeyspaceListener.GENERIC, "persist", key);
        ctx.dirty(1);
        return Reply.ONE;
    }
}
