package dev.cellar.core.commands;

import dev.cellar.api.Reply;
import dev.cellar.core.engine.Args;
import dev.cellar.core.engine.CommandError;
import dev.cellar.core.engine.CommandTable;
import dev.cellar.core.engine.Ctx;
import dev.cellar.core.engine.Db;
import dev.cellar.core.engine.Errors;
import dev.cellar.core.engine.KeyspaceListener;
import dev.cellar.core.engine.Values;
import dev.cellar.core.persistence.PersistenceHost;
import dev.cellar.spi.persistence.DataValue;

/**
 * Snapshot and serialization commands (Redis's {@code rdb.c} and {@code cluster.c} DUMP/RESTORE):
 * SAVE, BGSAVE, LASTSAVE, DUMP, RESTORE, and a minimal INFO (the persistence section) for the
 * embedded engine, which the server's full INFO replaces in the same table.
 *
 * <p>The work is in {@link PersistenceHost}; DUMP and RESTORE use the value codec named
 * {@code rdb}, found with {@link java.util.ServiceLoader} (core does not depend on the RDB module).
 */
public final class PersistenceCommands {
    static final String BUSYKEY = "BUSYKEY Target key name already exists.";
    static final String INVALID_TTL = "ERR Invalid TTL value, must be >= 0";
    static final String INVALID_IDLETIME = "ERR Invalid IDLETIME value, must be >= 0";
    static final String INVALID_FREQ = "ERR Invalid FREQ value, must be >= 0 and <= 255";

    private PersistenceCommands() {}

    /** Adds the family's commands. */
    public static void register(CommandTable t) {
        t.add("save", 1, "admin noscript no_async_loading no_multi", 0, 0, 0, "server", PersistenceCommands::save);
        t.add("bgsave", -1, "admin noscript no_async_loading", 0, 0, 0, "server", PersistenceCommands::bgsave);
        t.add("lastsave", 1, "loading stale fast", 0, 0, 0, "server", PersistenceCommands::lastsave);
        t.add("bgrewriteaof", 1, "admin noscript no_async_loading", 0, 0, 0, "server", PersistenceCommands::bgrewriteaof);
        t.add("dump", 2, "readonly", 1, 1, 1, "keyspace", PersistenceCommands::dump);
        t.add("restore", -4, "write denyoom", 1, 1, 1, "keyspace", PersistenceCommands::restore);
        t.add("info", -1, "loading stale", 0, 0, 0, "server", PersistenceCommands::info);
    }

    private static PersistenceHost host(Ctx ctx) {
        PersistenceHost host = PersistenceHost.of(ctx.engine());
        if (host == null) {
            throw new CommandError("ERR persistence is not available in this engine");
        }
        return host;
    }

    // SAVE
    static Reply save(Ctx ctx) {
        String error = host(ctx).save();
        if (error != null) {
            throw new CommandError(error);
        }
        return Reply.OK;
    }

    // BGSAVE [SCHEDULE]
    static Reply bgsave(Ctx ctx) {
        boolean schedule = false;
        if (ctx.argc() > 1) {
            if (ctx.argc() == 2 && ctx.is(1, "schedule")) {
                schedule = true;
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        String reply = host(ctx).bgsave(schedule);
        if (reply.startsWith("ERR")) {
            throw new CommandError(reply);
        }
        return new Reply.Simple(reply);
    }

    // BGREWRITEAOF
    static Reply bgrewriteaof(Ctx ctx) {
        String reply = host(ctx).bgrewriteaof();
        if (reply.startsWith("ERR")) {
            throw new CommandError(reply);
        }
        return new Reply.Simple(reply);
    }

    // LASTSAVE
    static Reply lastsave(Ctx ctx) {
        return Reply.of(host(ctx).lastSave());
    }

    // INFO [section ...] (embedded: the persistence section only)
    static Reply info(Ctx ctx) {
        boolean wanted = ctx.argc() == 1;
        for (int i = 1; i < ctx.argc(); i++) {
            String s = Args.lower(ctx.arg(i));
            wanted |= s.equals("persistence") || s.equals("default") || s.equals("all") || s.equals("everything");
        }
        return Reply.bulk(wanted ? host(ctx).infoText() : "");
    }

    // DUMP key
    static Reply dump(Ctx ctx) {
        Object value = ctx.db().lookupRead(ctx.arg(1));
        if (value == null) {
            return Reply.NULL;
        }
        return Reply.bulk(Codec.require().dump(Values.view(value)));
    }

    // RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]
    static Reply restore(Ctx ctx) {
        byte[] key = ctx.arg(1);
        boolean replace = false;
        boolean absttl = false;
        long idle = -1;
        long freq = -1;
        for (int j = 4; j < ctx.argc(); j++) {
            boolean more = j + 1 < ctx.argc();
            if (ctx.is(j, "replace")) {
                replace = true;
            } else if (ctx.is(j, "absttl")) {
                absttl = true;
            } else if (ctx.is(j, "idletime") && more && freq == -1) {
                idle = Args.parseLong(ctx.arg(++j));
                if (idle < 0) {
                    throw new CommandError(INVALID_IDLETIME);
                }
            } else if (ctx.is(j, "freq") && more && idle == -1) {
                freq = Args.parseLong(ctx.arg(++j));
                if (freq < 0 || freq > 255) {
                    throw new CommandError(INVALID_FREQ);
                }
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        Db db = ctx.db();
        if (!replace && db.lookupReadNoTouch(key) != null) {
            throw new CommandError(BUSYKEY);
        }
        long ttl = Args.parseLong(ctx.arg(2));
        if (ttl < 0) {
            throw new CommandError(INVALID_TTL);
        }
        DataValue value;
        try {
            value = Codec.require().restore(ctx.arg(3));
        } catch (IllegalArgumentException e) {
            throw new CommandError(e.getMessage());
        }
        boolean deleted = replace && db.delete(key);
        if (ttl > 0 && !absttl) {
            ttl += ctx.now();
        }
        if (ttl > 0 && ttl <= ctx.now() && !ctx.engine().loading()) {
            // already expired: nothing is created; a replaced key is gone, as a DEL
            if (deleted) {
                ctx.propagateAs(Args.bytes("DEL"), key);
                ctx.signalModified(key);
                ctx.notify(KeyspaceListener.GENERIC, "del", key);
                ctx.dirty(1);
            }
            return Reply.OK;
        }
        host(ctx).restoreValue(ctx.engine(), db, key, value);
        if (ttl > 0) {
            db.setExpire(key, ttl);
        }
        host(ctx).setAccessStatistics(db, key, idle * 1000, (int) freq);
        ctx.signalModified(key);
        ctx.notify(KeyspaceListener.GENERIC, "restore", key);
        ctx.dirty(1);
        if (ttl > 0 && !absttl) {
            byte[][] argv = ctx.argv();
            byte[][] form = java.util.Arrays.copyOf(argv, argv.length + 1);
            form[2] = Args.bytes(ttl);
            form[argv.length] = Args.bytes("ABSTTL");
            ctx.propagateAs(form);
        }
        return Reply.OK;
    }

    /** The value codec named {@code rdb}, found once. */
    private static final class Codec {
        private static final dev.cellar.spi.persistence.ValueCodec RDB = find();

        private static dev.cellar.spi.persistence.ValueCodec find() {
            return dev.cellar.core.engine.Providers.discover(dev.cellar.spi.persistence.ValueCodec.class,
                    dev.cellar.spi.persistence.ValueCodec::name).byName().get("rdb");
        }

        static dev.cellar.spi.persistence.ValueCodec require() {
            if (RDB == null) {
                throw new CommandError("ERR DUMP and RESTORE are not available: no value codec named 'rdb' was found"
                        + " (add the cellar-persistence-rdb module)");
            }
            return RDB;
        }
    }
}
