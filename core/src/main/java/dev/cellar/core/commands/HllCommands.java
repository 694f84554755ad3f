package dev.cellar.core.commands;

import dev.cellar.api.Reply;
import dev.cellar.core.engine.Args;
import dev.cellar.core.engine.CommandError;
import dev.cellar.core.engine.CommandTable;
import dev.cellar.core.engine.Ctx;
import dev.cellar.core.engine.Db;
import dev.cellar.core.engine.KeyspaceListener;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * PFADD, PFCOUNT and PFMERGE over {@link HyperLogLog} strings, as Redis's {@code hyperloglog.c}:
 * an HLL is a string value (raw encoding), changed and counted in Redis's exact bytes. PFCOUNT of
 * one key stores the count it computes in the value's header, which counts as a change and is
 * propagated, as in Redis.
 */
final class HllCommands {
    private static final String ERR_NOT_HLL = "WRONGTYPE Key is not a valid HyperLogLog string value.";
    private static final String ERR_CORRUPT = "INVALIDOBJ Corrupted HLL object detected";

    private HllCommands() {}

    static void register(CommandTable t) {
        t.add("pfadd", -2, "write denyoom fast", 1, 1, 1, "hyperloglog", HllCommands::pfadd);
        t.add("pfcount", -2, "readonly", 1, -1, 1, "hyperloglog", HllCommands::pfcount);
        t.add("pfmerge", -2, "write denyoom", 1, -1, 1, "hyperloglog", HllCommands::pfmerge);
        t.add("pfdebug", 3, "write denyoom admin", 2, 2, 1, "hyperloglog", HllCommands::pfdebug);
        t.add("pfselftest", 1, "admin", 0, 0, 0, "hyperloglog", HllCommands::pfselftest);
    }

    // PFDEBUG GETREG|DECODE|ENCODING|TODENSE key
    static Reply pfdebug(Ctx ctx) {
        byte[] key = ctx.arg(2);
        byte[] h = hll(ctx.db().lookupWrite(key));
        if (h == null) {
            throw new CommandError("ERR The specified key does not exist");
        }
        String sub = Args.lower(ctx.arg(1));
        switch (sub) {
            case "getreg", "todense" -> {
                boolean converted = false;
                if (h[4] == HyperLogLog.SPARSE) {
                    h = HyperLogLog.toDense(h);
                    if (h == null) {
                        throw new CommandError(ERR_CORRUPT);
                    }
                    ctx.db().setRawString(key, h);
                    ctx.signalModified(key);
                    ctx.dirty(1); // an encoding change is propagated, as in Redis
                    converted = true;
                }
                if (sub.equals("todense")) {
                    return converted ? Reply.ONE : Reply.ZERO;
                }
                List<Reply> registers = new ArrayList<>(HyperLogLog.REGISTERS);
                for (int i = 0; i < HyperLogLog.REGISTERS; i++) {
                    registers.add(Reply.of(HyperLogLog.denseGet(h, i)));
                }
                return Reply.array(registers);
            }
            case "decode" -> {
                if (h[4] != HyperLogLog.SPARSE) {
                    throw new CommandError("ERR HLL encoding is not sparse");
                }
                return Reply.bulk(HyperLogLog.describeSparse(h));
            }
            case "encoding" -> {
                return new Reply.Simple(h[4] == HyperLogLog.DENSE ? "dense" : "sparse");
            }
            default -> throw new CommandError("ERR Unknown PFDEBUG subcommand '"
                    + Args.text(ctx.arg(1)) + "'");
        }
    }

    // PFSELFTEST: the registers and the sparse form checked against each other on random data
    static Reply pfselftest(Ctx ctx) {
        String failure = HyperLogLog.selfTest(new SplittableRandom(ctx.random().nextLong()));
        if (failure != null) {
            throw new CommandError("ERR TESTFAILED " + failure);
        }
        return Reply.OK;
    }

    /** The HLL a key holds, or null when absent; WRONGTYPE for another type or a string that is no HLL. */
    private static byte[] hll(Object value) {
        byte[] h = Ctx.asString(value);
        if (h != null && !HyperLogLog.isValid(h)) {
            throw new CommandError(ERR_NOT_HLL);
        }
        return h;
    }

    private static long sparseMaxBytes(Ctx ctx) {
        return ctx.settings().getLong("hll-sparse-max-bytes");
    }

    private static void store(Ctx ctx, byte[] key, byte[] h, long changes) {
        ctx.db().setRawString(key, h);
        ctx.signalModified(key);
        ctx.notify(KeyspaceListener.STRING, "pfadd", key);
        ctx.dirty(changes);
    }

    // PFADD key [element ...]
    static Reply pfadd(Ctx ctx) {
        byte[] key = ctx.arg(1);
        byte[] h = hll(ctx.db().lookupWrite(key));
        long changes = 0;
        if (h == null) {
            h = HyperLogLog.create();
            changes++;
        }
        long max = sparseMaxBytes(ctx);
        for (int i = 2; i < ctx.argc(); i++) {
            HyperLogLog.Added a = HyperLogLog.add(h, ctx.arg(i), max);
            if (a.hll() == null) {
                throw new CommandError(ERR_CORRUPT);
            }
            if (a.changed()) {
                h = a.hll();
                changes++;
            }
        }
        if (changes == 0) {
            return Reply.ZERO;
        }
        HyperLogLog.invalidateCache(h); // h is a new array: create() or an add that changed it made it
        store(ctx, key, h, changes);
        return Reply.ONE;
    }

    // PFCOUNT key [key ...]
    static Reply pfcount(Ctx ctx) {
        Db db = ctx.db();
        if (ctx.argc() > 2) {
            byte[] max = new byte[HyperLogLog.REGISTERS];
            for (int i = 1; i < ctx.argc(); i++) {
                byte[] h = hll(db.lookupRead(ctx.arg(i)));
                if (h != null && !HyperLogLog.mergeInto(max, h)) {
                    throw new CommandError(ERR_CORRUPT);
                }
            }
            return Reply.of(HyperLogLog.count(max));
        }
        byte[] key = ctx.arg(1);
        byte[] h = hll(db.lookupRead(key));
        if (h == null) {
            return Reply.ZERO;
        }
        if (HyperLogLog.cacheValid(h)) {
            return Reply.of(HyperLogLog.cachedCount(h));
        }
        byte[] registers = HyperLogLog.registers(h);
        if (registers == null) {
            throw new CommandError(ERR_CORRUPT);
        }
        long card = HyperLogLog.count(registers);
        byte[] cached = h.clone();
        HyperLogLog.setCachedCount(cached, card);
        db.setRawString(key, cached);
        ctx.signalModified(key);
        ctx.dirty(1);
        return Reply.of(card);
    }

    // PFMERGE destkey [sourcekey ...]
    static Reply pfmerge(Ctx ctx) {
        Db db = ctx.db();
        byte[] max = new byte[HyperLogLog.REGISTERS];
        boolean dense = false;
        for (int i = 1; i < ctx.argc(); i++) {
            byte[] h = hll(db.lookupRead(ctx.arg(i)));
            if (h == null) {
                continue;
            }
            dense |= h[4] == HyperLogLog.DENSE;
            if (!HyperLogLog.mergeInto(max, h)) {
                throw new CommandError(ERR_CORRUPT);
            }
        }
        byte[] key = ctx.arg(1);
        byte[] stored = hll(db.lookupWrite(key));
        byte[] h = stored == null ? HyperLogLog.create() : stored;
        if (dense) {
            h = HyperLogLog.toDense(h);
            if (h == null) {
                throw new CommandError(ERR_CORRUPT);
            }
        }
        if (h == stored) {
            h = h.clone(); // a copy of our own: dense registers and the cache flag are set in it in place
        }
        long sparseMax = sparseMaxBytes(ctx);
        for (int j = 0; j < HyperLogLog.REGISTERS; j++) {
            if (max[j] == 0) {
                continue;
            }
            if (h[4] == HyperLogLog.DENSE) {
                if (HyperLogLog.denseGet(h, j) < max[j]) {
                    HyperLogLog.denseSet(h, j, max[j]);
                }
            } else {
                // a change, promotion to dense included, comes back as a new array
                HyperLogLog.Added a = HyperLogLog.set(h, j, max[j], sparseMax);
                if (a.hll() == null) {
                    throw new CommandError(ERR_CORRUPT);
                }
                h = a.hll();
            }
        }
        HyperLogLog.invalidateCache(h);
        store(ctx, key, h, 1);
        return Reply.OK;
    }
}
