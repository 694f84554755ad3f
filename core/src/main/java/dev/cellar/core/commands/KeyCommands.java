package dev.cellar.core.commands;

import dev.cellar.api.Reply;
import dev.cellar.core.Glob;
import dev.cellar.core.engine.Dict;
import dev.cellar.core.values.ValueType;
import java.util.ArrayList;
import java.util.List;
import dev.cellar.core.engine.CommandTable;
import dev.cellar.core.engine.Ctx;
import dev.cellar.core.engine.Db;
import dev.cellar.core.engine.KeyspaceListener;

/** The generic keyspace commands (Redis's {@code db.c}). */
public final class KeyCommands {
    private KeyCommands() {}

    /** Registers the family's commands. */
    public static void register(CommandTable t) {
        t.add("del", -2, "write", 1, -1, 1, "generic", KeyCommands::del);
        t.add("exists", -2, "readonly fast", 1, -1, 1, "generic", KeyCommands::exists);
        t.add("type", 2, "readonly fast", 1, 1, 1, "generic", KeyCommands::type);
        t.add("keys", 2, "readonly", 0, 0, 0, "generic", KeyCommands::keys);
    }

    // DEL key [key ...]
    static Reply del(Ctx ctx) {
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

    // TYPE key
    static Reply type(Ctx ctx) {
        ValueType type = ctx.db().typeOf(ctx.arg(1));
        return new Reply.Simple(type == null ? "none" : type.redisName());
    }

    // KEYS pattern
    static Reply keys(Ctx ctx) {
        Db db = ctx.db();
        byte[] pattern = ctx.arg(1);
        boolean all = pattern.length == 1 && pattern[0] == '*';
        List<byte[]> found = new ArrayList<>();
        Dict dict = db.dict();
        dict.forEachSlot(slot -> found.add(dict.keyAt(slot)));
        List<byte[]> out = new ArrayList<>(found.size());
        for (byte[] key : found) {
            if ((all || Glob.matches(pattern, key, false)) && !db.isExpired(key)) {
                out.add(key);
            }
        }
        return Replies.bulks(out);
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
}
