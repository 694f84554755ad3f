package dev.cellar.server;

import dev.cellar.api.Reply;
import dev.cellar.core.engine.Args;
import dev.cellar.core.engine.CommandError;
import dev.cellar.core.engine.CommandTable;
import dev.cellar.core.engine.Ctx;
import dev.cellar.core.engine.Errors;
import dev.cellar.core.values.RValue;
import java.util.List;
import java.util.Locale;

/**
 * DEBUG (Redis's {@code debug.c}), allowed only as {@code enable-debug-command} says: {@code no}
 * (the default, as in Redis 7), {@code local} (loopback clients) or {@code yes}.
 */
final class DebugCommands {
    static final String NOT_ALLOWED = "ERR DEBUG command not allowed. If the enable-debug-command option is set to "
            + "\"local\", you can run it from a local connection, otherwise you need to set this option in the "
            + "configuration file, and then restart the server.";

    private DebugCommands() {}

    static void register(CommandTable t, Server server) {
        t.add("debug", -2, "admin noscript loading stale", 0, 0, 0, "server", ctx -> debug(ctx, server));
    }

    // DEBUG POPULATE count [prefix] [size]: prefix:N -> value:N (padded with zeros, or cut, to size)
    private static Reply populate(Ctx ctx) {
        if (ctx.argc() < 3 || ctx.argc() > 5) {
            throw new CommandError(Errors.SYNTAX);
        }
        long count = Args.parseLong(ctx.arg(2));
        if (count < 0) {
            throw new CommandError("ERR count must be positive");
        }
        String prefix = ctx.argc() > 3 ? Args.text(ctx.arg(3)) : "key";
        long size = ctx.argc() > 4 ? Args.parseLong(ctx.arg(4)) : 0;
        dev.cellar.core.engine.Db db = ctx.db();
        for (long i = 0; i < count; i++) {
            byte[] key = (prefix + ":" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (db.exists(key)) {
                continue;
            }
            byte[] value = ("value:" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (size > 0) {
                value = java.util.Arrays.copyOf(value, (int) size);
            }
            db.setKey(key, value, false);
            if ((i & 1023) == 1023) {
                ctx.engine().settleMemory();
            }
        }
        return Reply.OK;
    }

    static Reply debug(Ctx ctx, Server server) {
        String mode = server.settings().get("enable-debug-command");
        if (!ctx.session().allowedBy(mode)) {
            return Reply.error(NOT_ALLOWED);
        }
        String sub = Args.lower(ctx.arg(1));
        switch (sub) {
            case "sleep" -> {
                double seconds = Args.parseDouble(ctx.arg(ctx.argc() > 2 ? 2 : 1));
                try {
                    Thread.sleep((long) (seconds * 1000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Reply.OK;
            }
            case "object" -> {
                if (ctx.argc() != 3) {
                    throw new CommandError(Errors.SYNTAX);
                }
                Object v = ctx.db().lookupReadNoTouch(ctx.arg(2));
                if (v == null) {
                    return Reply.error(Errors.NO_SUCH_KEY);
                }
                String encoding = v instanceof RValue r ? r.encoding()
                        : v instanceof Long ? "int" : ((byte[]) v).length <= 44 ? "embstr" : "raw";
                long length = v instanceof byte[] b ? b.length : v instanceof RValue r ? r.size() : 8;
                return new Reply.Simple("Value at:0x" + Integer.toHexString(System.identityHashCode(v))
                        + " refcount:1 encoding:" + encoding + " serializedlength:" + length
                        + " lru:0 lru_seconds_idle:0");
            }
            case "set-active-expire" -> {
                if (ctx.argc() != 3) {
                    throw new CommandError(Errors.SYNTAX);
                }
                server.cellar().activeExpiry().setEnabled(Args.parseLong(ctx.arg(2)) != 0);
                return Reply.OK;
            }
            case "reload" -> {
                // Save, empty, load the file again: Redis's check that a snapshot round-trips.
                boolean save = true;
                boolean flush = true;
                for (int i = 2; i < ctx.argc(); i++) {
                    if (ctx.is(i, "NOSAVE")) {
                        save = false;
                    } else if (ctx.is(i, "NOFLUSH")) {
                        flush = false;
                    } else if (!ctx.is(i, "MERGE")) { // MERGE: a key in memory and in the file takes the file's value
                        return Reply.error("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
                    }
                }
                String error = server.cellar().debugReload(save, flush);
                ctx.preventPropagation(); // keys replaced while loading count as changes: DEBUG itself is never logged
                return error == null ? Reply.OK : Reply.error(error);
            }
            case "loadaof" -> {
                // Write the AOF buffer out, empty, load the AOF files again (Redis's test of a log's round trip).
                String error = server.cellar().debugLoadAof();
                ctx.preventPropagation(); // the replayed commands count as changes: DEBUG itself is never logged
                return error == null ? Reply.OK : Reply.error(error);
            }
            case "digest" -> {
                if (ctx.argc() != 2) {
                    throw new CommandError(Errors.SYNTAX);
                }
                // the data set as it is now (the command holds the engine lock), in Redis's digest
                try (var live = ctx.engine().openLiveView()) {
                    return new Reply.Simple(new DatasetDigest().of(live.view()));
                }
            }
            case "digest-value" -> {
                List<Reply> out = new java.util.ArrayList<>();
                DatasetDigest digest = new DatasetDigest();
                for (int i = 2; i < ctx.argc(); i++) {
                    Object v = ctx.db().lookupReadNoTouch(ctx.arg(i));
                    out.add(new Reply.Simple(v == null ? "0".repeat(40) : digest.ofValue(
                            dev.cellar.core.engine.Values.view(v), ctx.db().getExpire(ctx.arg(i)) >= 0)));
                }
                return Reply.array(out);
            }
            case "populate" -> {
                return populate(ctx);
            }
            case "jmap", "heap" -> {
                Runtime rt = Runtime.getRuntime();
                long used = rt.totalMemory() - rt.freeMemory();
                return Reply.bulk("heap_used:" + used + "\r\nheap_committed:" + rt.totalMemory() + "\r\nheap_max:"
                        + rt.maxMemory() + "\r\ndataset_estimate:" + ctx.engine().usedMemory() + "\r\nrss:"
                        + InfoCommands.rss() + "\r\n");
            }
            case "help" -> {
                return ConnectionCommands.help("DEBUG", List.of(
                        "SLEEP <seconds>", "    Stop the server for <seconds>. Decimals allowed.",
                        "OBJECT <key>", "    Show low level info about the key and associated value.",
                        "SET-ACTIVE-EXPIRE <0|1>", "    Setting it to 0 disables expiring keys in background.",
                        "DIGEST", "    Output a hex signature representing the current DB content.",
                        "DIGEST-VALUE <key> [<key> ...]", "    Output a hex signature of the values of all the specified keys.",
                        "RELOAD [option ...]", "    Save the RDB on disk and reload it back to memory. Valid <option> values:",
                        "    * MERGE: conflicting keys will be loaded from RDB.",
                        "    * NOFLUSH: the existing database will not be removed before load (a conflicting",
                        "      key takes the RDB's value, as with MERGE; Redis stops the server there).",
                        "    * NOSAVE: the database will be loaded from an existing RDB file.",
                        "LOADAOF", "    Flush the AOF buffers on disk and reload the AOF in memory.",
                        "POPULATE <count> [<prefix>] [<size>]", "    Create <count> string keys named key:<num>.",
                        "JMAP", "    Show the JVM heap: used, committed, maximum, and the data set estimate."));
            }
            default -> {
                return Reply.error("ERR unknown subcommand '" + Args.text(ctx.arg(1)).toLowerCase(Locale.ROOT)
                        + "'. Try DEBUG HELP.");
            }
        }
    }
}
