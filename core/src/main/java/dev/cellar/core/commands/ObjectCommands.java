package dev.cellar.core.commands;

import dev.cellar.api.Reply;
import dev.cellar.core.engine.AccessTracker;
import dev.cellar.core.engine.CommandError;
import dev.cellar.core.engine.CommandTable;
import dev.cellar.core.engine.Ctx;
import dev.cellar.core.engine.Db;
import dev.cellar.core.engine.Dict;
import dev.cellar.core.engine.Errors;
import dev.cellar.core.values.RValue;
import java.util.ArrayList;
import java.util.List;

/**
 * Introspection of single keys (Redis's {@code object.c}): OBJECT ENCODING, FREQ, IDLETIME,
 * REFCOUNT, HELP and MEMORY USAGE, HELP. Lookups here never touch a key's access statistics.
 */
public final class ObjectCommands {
    static final String LFU_NOT_SELECTED = "ERR An LFU maxmemory policy is not selected, access frequency not"
            + " tracked. Please note that when switching between policies at runtime LRU and LFU data will take"
            + " some time to adjust.";
    static final String LFU_SELECTED = "ERR An LFU maxmemory policy is selected, idle time not tracked. Please"
            + " note that when switching between policies at runtime LRU and LFU data will take some time to"
            + " adjust.";
    /** Redis's {@code OBJ_SHARED_REFCOUNT}: the refcount of a shared object. */
    static final long SHARED_REFCOUNT = Integer.MAX_VALUE;
    /** Redis's {@code OBJ_SHARED_INTEGERS}: integers below it are shared objects. */
    static final long SHARED_INTEGERS = 10_000;

    private static final List<String> OBJECT_HELP = List.of(
            "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "ENCODING <key>",
            "    Return the kind of internal representation used in order to store the value",
            "    associated with a <key>.",
            "FREQ <key>",
            "    Return the access frequency index of the <key>. The returned integer is",
            "    proportional to the logarithm of the recent access frequency of the key.",
            "IDLETIME <key>",
            "    Return the idle time of the <key>, that is the approximated number of",
            "    seconds elapsed since the last access to the key.",
            "REFCOUNT <key>",
            "    Return the number of references of the value associated with the specified",
            "    <key>.",
            "HELP",
            "    Prints this help.");
    private static final List<String> MEMORY_HELP = List.of(
            "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "USAGE <key> [SAMPLES <count>]",
            "    Return memory in bytes used by <key> and its value. Nested values are",
            "    sampled up to <count> times (default: 5, 0 means sample all).",
            "HELP",
            "    Prints this help.");

    private ObjectCommands() {}

    /** Registers OBJECT and MEMORY with their subcommands. */
    public static void register(CommandTable t) {
        t.container("object", -2, "", "generic");
        t.sub("object", "encoding", 3, "readonly", 2, 2, 1, ObjectCommands::encoding);
        t.sub("object", "freq", 3, "readonly", 2, 2, 1, ObjectCommands::freq);
        t.sub("object", "idletime", 3, "readonly", 2, 2, 1, ObjectCommands::idletime);
        t.sub("object", "refcount", 3, "readonly", 2, 2, 1, ObjectCommands::refcount);
        t.sub("object", "help", 2, "loading stale", 0, 0, 0, ctx -> help(OBJECT_HELP));
        // Only the key-level MEMORY subcommands live here; DOCTOR, STATS and the allocator ones
        // belong with INFO in the server.
        t.container("memory", -2, "", "server");
        t.sub("memory", "usage", -3, "readonly", 2, 2, 1, ObjectCommands::memoryUsage);
        t.sub("memory", "help", 2, "loading stale", 0, 0, 0, ctx -> help(MEMORY_HELP));
    }

    /** The slot of a live key, expiring it first when due, or -1. */
    private static int slotOf(Db db, byte[] key) {
        return db.exists(key) ? db.dict().find(key) : -1;
    }

    // OBJECT ENCODING key
    static Reply encoding(Ctx ctx) {
        Db db = ctx.db();
        int slot = slotOf(db, ctx.arg(2));
        if (slot < 0) {
            return Reply.NULL;
        }
        return Reply.bulk(encodingAt(db.dict(), slot));
    }

    /** The encoding name OBJECT ENCODING reports for the value in an occupied slot. */
    static String encodingAt(Dict dict, int slot) {
        Object v = dict.valueAt(slot);
        if (v instanceof RValue r) {
            return r.encoding();
        }
        if (v instanceof Long) {
            return "int";
        }
        return dict.rawAt(slot) ? "raw" : "embstr";
    }

    // OBJECT FREQ key
    static Reply freq(Ctx ctx) {
        Db db = ctx.db();
        int slot = slotOf(db, ctx.arg(2));
        if (slot < 0) {
            return Reply.NULL;
        }
        AccessTracker tracker = ctx.engine().accessTracker();
        if (!tracker.lfu()) {
            throw new CommandError(LFU_NOT_SELECTED);
        }
        return Reply.of(tracker.frequency(db.dict().metaAt(slot)));
    }

    // OBJECT IDLETIME key
    static Reply idletime(Ctx ctx) {
        Db db = ctx.db();
        int slot = slotOf(db, ctx.arg(2));
        if (slot < 0) {
            return Reply.NULL;
        }
        AccessTracker tracker = ctx.engine().accessTracker();
        if (tracker.lfu()) {
            throw new CommandError(LFU_SELECTED);
        }
        return Reply.of(tracker.idleMillis(db.dict().metaAt(slot)) / 1000);
    }

    // OBJECT REFCOUNT key
    static Reply refcount(Ctx ctx) {
        Db db = ctx.db();
        int slot = slotOf(db, ctx.arg(2));
        if (slot < 0) {
            return Reply.NULL;
        }
        // Redis stores integers below 10000 as shared objects unless an LRU/LFU policy is in force
        // with a memory limit. Redis decides when the value is stored; Cellar answers by the settings
        // now, which differs only after those settings change. An unpacked integer is a private
        // one (COPY's, see KeyCommands.copy).
        Object v = db.dict().valueAt(slot);
        if (v instanceof Long l && l >= 0 && l < SHARED_INTEGERS && db.dict().packedAt(slot) && sharesIntegers(ctx)) {
            return Reply.of(SHARED_REFCOUNT);
        }
        return Reply.ONE;
    }

    private static boolean sharesIntegers(Ctx ctx) {
        if (ctx.settings().getLong("maxmemory") == 0) {
            return true;
        }
        String policy = ctx.settings().get("maxmemory-policy");
        return !(policy.endsWith("-lru") || policy.endsWith("-lfu"));
    }

    // MEMORY USAGE key [SAMPLES count]
    static Reply memoryUsage(Ctx ctx) {
        for (int i = 3; i < ctx.argc(); i++) {
            if (ctx.is(i, "SAMPLES") && i + 1 < ctx.argc()) {
                // Cellar's estimates are exact running totals, so the sample count only is checked.
                if (ctx.longArg(++i) < 0) {
                    throw new CommandError(Errors.SYNTAX);
                }
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        Db db = ctx.db();
        if (!db.exists(ctx.arg(2))) {
            return Reply.NULL;
        }
        return Reply.of(db.memoryUsage(ctx.arg(2)));
    }

    private static Reply help(List<String> lines) {
        List<Reply> out = new ArrayList<>(lines.size());
        for (String line : lines) {
            out.add(new Reply.Simple(line));
        }
        return Reply.array(out);
    }
}
