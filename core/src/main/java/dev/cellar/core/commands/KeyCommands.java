package dev.cellar.core.commands;

import dev.cellar.api.Reply;
import dev.cellar.core.Glob;
import dev.cellar.core.engine.Args;
import dev.cellar.core.engine.CommandError;
import dev.cellar.core.engine.CommandTable;
import dev.cellar.core.engine.Ctx;
import dev.cellar.core.engine.Db;
import dev.cellar.core.engine.Dict;
import dev.cellar.core.engine.Errors;
import dev.cellar.core.engine.KeyspaceListener;
import dev.cellar.core.values.RValue;
import dev.cellar.core.values.ValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The generic keyspace commands (Redis's {@code db.c}): DEL, UNLINK, EXISTS, TYPE, KEYS, SCAN,
 * RANDOMKEY, DBSIZE, TOUCH, RENAME, RENAMENX, MOVE, COPY, SWAPDB, FLUSHDB, FLUSHALL. OBJECT and
 * MEMORY are registered with them ({@link ObjectCommands}).
 *
 * <p>Moving a value (RENAME, MOVE) keeps its encoding and its access statistics, since Redis moves
 * the object itself; COPY makes a deep copy with fresh statistics, as Redis's {@code dupObject}.
 * Both carry the expiry.
 */
public final class KeyCommands {
    static final String INT_RANGE = "ERR value is out of range, value must between -2147483648 and 2147483647";

    private KeyCommands() {}

    /** Registers the family's commands. */
    public static void register(CommandTable t) {
        t.add("del", -2, "write", 1, -1, 1, "generic", ctx -> delGeneric(ctx, false));
        t.add("unlink", -2, "write fast", 1, -1, 1, "generic", ctx -> delGeneric(ctx, true));
        t.add("exists", -2, "readonly fast", 1, -1, 1, "generic", KeyCommands::exists);
        t.add("type", 2, "readonly fast", 1, 1, 1, "generic", KeyCommands::type);
        t.add("keys", 2, "readonly", 0, 0, 0, "generic", KeyCommands::keys);
        t.add("scan", -2, "readonly", 0, 0, 0, "generic", KeyCommands::scan);
        t.add("randomkey", 1, "readonly", 0, 0, 0, "generic", KeyCommands::randomkey);
        t.add("dbsize", 1, "readonly fast", 0, 0, 0, "server", KeyCommands::dbsize);
        t.add("touch", -2, "readonly fast", 1, -1, 1, "generic", KeyCommands::touch);
        t.add("rename", 3, "write", 1, 2, 1, "generic", ctx -> renameGeneric(ctx, false));
        t.add("renamenx", 3, "write fast", 1, 2, 1, "generic", ctx -> renameGeneric(ctx, true));
        t.add("move", 3, "write fast", 1, 1, 1, "generic", KeyCommands::move);
        t.add("copy", -3, "write denyoom", 1, 2, 1, "generic", KeyCommands::copy);
        t.add("swapdb", 3, "write fast", 0, 0, 0, "server", KeyCommands::swapdb);
        t.add("flushdb", -1, "write", 0, 0, 0, "server", KeyCommands::flushdb);
        t.add("flushall", -1, "write", 0, 0, 0, "server", KeyCommands::flushall);
        ObjectCommands.register(t);
    }

    // ------------------------------------------------------------------ deleting and testing keys

    // DEL key [key ...]
    // UNLINK key [key ...]
    static Reply delGeneric(Ctx ctx, boolean lazy) {
        // Cellar frees memory by dropping references either way, so UNLINK differs only in name.
        Db db = ctx.db();
        long deleted = 0;
        for (int i = 1; i < ctx.argc(); i++) {
            byte[] key = ctx.arg(i);
            if (db.delete(key)) {
                ctx.signalModified(key);
                ctx.notify(KeyspaceListener.GENERIC, "del", key);
                ctx.dirty(1);
                deleted++;
            }
        }
        return Reply.of(deleted);
    }

    // EXISTS key [key ...]
    static Reply exists(Ctx ctx) {
        Db db = ctx.db();
        long count = 0;
        for (int i = 1; i < ctx.argc(); i++) {
            if (db.exists(ctx.arg(i))) {
                count++;
            }
        }
        return Reply.of(count);
    }

    // TOUCH key [key ...]
    static Reply touch(Ctx ctx) {
        Db db = ctx.db();
        long count = 0;
        for (int i = 1; i < ctx.argc(); i++) {
            if (db.lookupRead(ctx.arg(i)) != null) {
                count++;
            }
        }
        return Reply.of(count);
    }

    // TYPE key
    static Reply type(Ctx ctx) {
        ValueType type = ctx.db().typeOf(ctx.arg(1));
        return new Reply.Simple(type == null ? "none" : type.redisName());
    }

    // DBSIZE
    static Reply dbsize(Ctx ctx) {
        // Like Redis, counts logically expired keys that are not reclaimed yet.
        return Reply.of(ctx.db().size());
    }

    // ------------------------------------------------------------------ enumerating keys

    // KEYS pattern
    static Reply keys(Ctx ctx) {
        Db db = ctx.db();
        byte[] pattern = ctx.arg(1);
        boolean all = pattern.length == 1 && pattern[0] == '*';
        Dict dict = db.dict();
        List<byte[]> out = new ArrayList<>();
        // Redis's KEYS skips expired keys without deleting them (keyIsExpired, not expireIfNeeded).
        dict.forEachSlot(slot -> {
            byte[] key = dict.keyAt(slot);
            if ((all || Glob.matches(pattern, key, false)) && !db.isExpired(key)) {
                out.add(key);
            }
        });
        return Replies.bulks(out);
    }

    // SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]
    static Reply scan(Ctx ctx) {
        long cursor = Args.parseScanCursor(ctx.arg(1));
        byte[] pattern = null;
        long count = 10;
        String type = null;
        for (int i = 2; i < ctx.argc(); i += 2) {
            boolean hasValue = i + 1 < ctx.argc();
            if (ctx.is(i, "COUNT") && hasValue) {
                count = ctx.longArg(i + 1);
                if (count < 1) {
                    throw new CommandError(Errors.SYNTAX);
                }
            } else if (ctx.is(i, "MATCH") && hasValue) {
                pattern = ctx.arg(i + 1);
            } else if (ctx.is(i, "TYPE") && hasValue) {
                type = Args.text(ctx.arg(i + 1));
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        if (pattern != null && pattern.length == 1 && pattern[0] == '*') {
            pattern = null;
        }
        Db db = ctx.db();
        Dict dict = db.dict();
        List<byte[]> found = new ArrayList<>();
        // Ten times COUNT buckets at most, so a sparse table cannot make one call long (Redis's bound).
        long maxIterations = count > Long.MAX_VALUE / 10 ? Long.MAX_VALUE : count * 10;
        do {
            cursor = dict.scan(cursor, slot -> found.add(dict.keyAt(slot)));
        } while (cursor != 0 && maxIterations-- > 0 && found.size() < count);
        List<byte[]> out = new ArrayList<>(found.size());
        for (byte[] key : found) {
            if (pattern != null && !Glob.matches(pattern, key, false)) {
                continue;
            }
            if (type != null) {
                ValueType t = db.typeOf(key);
                if (!(t == null ? "none" : t.redisName()).equalsIgnoreCase(type)) {
                    continue;
                }
            }
            // Unlike KEYS, SCAN reclaims the expired keys it meets (propagating DEL), as Redis does.
            if (db.expireIfNeeded(key)) {
                continue;
            }
            out.add(key);
        }
        return Reply.array(List.of(Reply.bulk(Long.toUnsignedString(cursor)), Replies.bulks(out)));
    }


    // RANDOMKEY
    static Reply randomkey(Ctx ctx) {
        Db db = ctx.db();
        Dict dict = db.dict();
        while (true) {
            int slot = dict.randomSlot(ctx.random());
            if (slot < 0) {
                return Reply.NULL;
            }
            byte[] key = dict.keyAt(slot);
            // An expired key found here is reclaimed (and DEL propagated); try another.
            if (!db.expireIfNeeded(key)) {
                return Reply.bulk(key);
            }
        }
    }

    // ------------------------------------------------------------------ moving keys

    // RENAME key newkey
    // RENAMENX key newkey
    static Reply renameGeneric(Ctx ctx, boolean nx) {
        byte[] src = ctx.arg(1);
        byte[] dst = ctx.arg(2);
        Db db = ctx.db();
        Object value = db.lookupWrite(src);
        if (value == null) {
            throw new CommandError(Errors.NO_SUCH_KEY);
        }
        if (Arrays.equals(src, dst)) {
            return nx ? Reply.ZERO : Reply.OK;
        }
        long expire = db.getExpire(src);
        int srcSlot = db.dict().find(src);
        int meta = db.dict().metaAt(srcSlot);
        boolean raw = db.dict().rawAt(srcSlot);
        if (db.lookupWrite(dst) != null) {
            if (nx) {
                return Reply.ZERO;
            }
            db.delete(dst);
        }
        db.delete(src);
        addKeepingEncoding(db, dst, value, raw);
        db.dict().setMetaAt(db.dict().find(dst), meta);
        if (expire != -1) {
            db.setExpire(dst, expire);
        }
        ctx.signalModified(src);
        ctx.signalModified(dst);
        ctx.notify(KeyspaceListener.GENERIC, "rename_from", src);
        ctx.notify(KeyspaceListener.GENERIC, "rename_to", dst);
        ctx.dirty(1);
        return nx ? Reply.ONE : Reply.OK;
    }

    // MOVE key db
    static Reply move(Ctx ctx) {
        byte[] key = ctx.arg(1);
        int target = intArg(ctx.arg(2));
        if (target < 0 || target >= ctx.engine().databases()) {
            throw new CommandError(Errors.DB_INDEX);
        }
        Db src = ctx.db();
        if (target == src.index()) {
            throw new CommandError(Errors.SAME_OBJECT);
        }
        Object value = src.lookupWrite(key);
        if (value == null) {
            return Reply.ZERO;
        }
        long expire = src.getExpire(key);
        Db dst = ctx.db(target);
        if (dst.lookupWrite(key) != null) {
            return Reply.ZERO;
        }
        int srcSlot = src.dict().find(key);
        int meta = src.dict().metaAt(srcSlot);
        boolean raw = src.dict().rawAt(srcSlot);
        addKeepingEncoding(dst, key, value, raw);
        dst.dict().setMetaAt(dst.dict().find(key), meta);
        if (expire != -1) {
            dst.setExpire(key, expire);
        }
        src.delete(key);
        ctx.signalModified(src, key);
        ctx.signalModified(dst, key);
        ctx.notify(KeyspaceListener.GENERIC, "move_from", src, key);
        ctx.notify(KeyspaceListener.GENERIC, "move_to", dst, key);
        ctx.dirty(1);
        return Reply.ONE;
    }

    // COPY source destination [DB destination-db] [REPLACE]
    static Reply copy(Ctx ctx) {
        byte[] src = ctx.arg(1);
        byte[] dst = ctx.arg(2);
        Db srcDb = ctx.db();
        int target = srcDb.index();
        boolean replace = false;
        for (int i = 3; i < ctx.argc(); i++) {
            if (ctx.is(i, "REPLACE")) {
                replace = true;
            } else if (ctx.is(i, "DB") && i + 1 < ctx.argc()) {
                target = intArg(ctx.arg(++i));
                if (target < 0 || target >= ctx.engine().databases()) {
                    throw new CommandError(Errors.DB_INDEX);
                }
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        if (target == srcDb.index() && Arrays.equals(src, dst)) {
            throw new CommandError(Errors.SAME_OBJECT);
        }
        Object value = srcDb.lookupRead(src);
        if (value == null) {
            return Reply.ZERO;
        }
        long expire = srcDb.getExpire(src);
        boolean raw = srcDb.dict().rawAt(srcDb.dict().find(src));
        Db dstDb = ctx.db(target);
        if (dstDb.lookupWrite(dst) != null) {
            if (!replace) {
                return Reply.ZERO;
            }
            dstDb.delete(dst);
        }
        Object copy = value instanceof RValue r ? r.copy() : value instanceof byte[] b ? b.clone() : value;
        addKeepingEncoding(dstDb, dst, copy, raw);
        if (copy instanceof Long) {
            // Redis's dupStringObject makes a private integer object even of a shared one, so
            // OBJECT REFCOUNT of the copy says 1: Cellar marks that by storing it unpacked.
            dstDb.dict().setValueAt(dstDb.dict().find(dst), copy, false);
        }
        if (expire != -1) {
            dstDb.setExpire(dst, expire);
        }
        ctx.signalModified(dstDb, dst);
        ctx.notify(KeyspaceListener.GENERIC, "copy_to", dstDb, dst);
        ctx.dirty(1);
        return Reply.ONE;
    }

    /** Adds a key whose value came from another key, keeping a string's {@code raw} encoding. */
    private static void addKeepingEncoding(Db db, byte[] key, Object value, boolean raw) {
        if (raw && value instanceof byte[] b) {
            db.setRawString(key, b);
        } else {
            db.add(key, value);
        }
    }

    /** An argument as Redis's {@code getIntFromObjectOrReply} reads it. */
    static int intArg(byte[] arg) {
        long v = Args.parseLong(arg);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new CommandError(INT_RANGE);
        }
        return (int) v;
    }

    // ------------------------------------------------------------------ whole databases

    // SWAPDB index1 index2
    static Reply swapdb(Ctx ctx) {
        int a = dbIndexArg(ctx.arg(1), "ERR invalid first DB index");
        int b = dbIndexArg(ctx.arg(2), "ERR invalid second DB index");
        if (a < 0 || a >= ctx.engine().databases() || b < 0 || b >= ctx.engine().databases()) {
            throw new CommandError(Errors.DB_INDEX);
        }
        ctx.engine().swapDatabases(a, b);
        ctx.dirty(1);
        return Reply.OK;
    }

    private static int dbIndexArg(byte[] arg, String error) {
        long v = Args.parseLong(arg, error);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new CommandError(error);
        }
        return (int) v;
    }

    // FLUSHDB [ASYNC | SYNC]
    static Reply flushdb(Ctx ctx) {
        checkFlushArgs(ctx);
        long removed = flush(ctx, ctx.db());
        forcePropagation(ctx, removed);
        ctx.engine().signalFlushed();
        return Reply.OK;
    }

    // FLUSHALL [ASYNC | SYNC]
    static Reply flushall(Ctx ctx) {
        checkFlushArgs(ctx);
        long removed = 0;
        for (int i = 0; i < ctx.engine().databases(); i++) {
            removed += flush(ctx, ctx.db(i));
        }
        forcePropagation(ctx, removed); // the keys removed, as redis-server 7.0.15 counts (FlushallSaveDifferentialTest)
        ctx.engine().signalFlushed();
        dev.cellar.core.persistence.PersistenceHost host = dev.cellar.core.persistence.PersistenceHost.of(ctx.engine());
        if (host != null) {
            host.flushedAll(); // a running BGSAVE stopped, the empty data set saved (with save points)
        }
        return Reply.OK;
    }

    private static void checkFlushArgs(Ctx ctx) {
        if (ctx.argc() > 2 || (ctx.argc() == 2 && !ctx.is(1, "ASYNC") && !ctx.is(1, "SYNC"))) {
            throw new CommandError(Errors.SYNTAX);
        }
    }

    /** Empties a database: invalidates WATCH on its keys and keeps the memory accounts right. */
    private static long flush(Ctx ctx, Db db) {
        if (db.size() == 0) {
            return 0;
        }
        ctx.engine().touchAllWatchedKeysInDb(db, null);
        // Settle what this execution unit changed so far before the database's account is reset.
        ctx.engine().settleMemory();
        return db.clear();
    }

    /**
     * Counts the flush's changes and propagates the command even when nothing was removed, as
     * Redis's {@code forceCommandPropagation} does, so a replica or log flushes too.
     */
    private static void forcePropagation(Ctx ctx, long changes) {
        ctx.dirty(changes);
        ctx.alsoPropagate(ctx.argv());
        ctx.preventPropagation();
    }
}
