package dev.cellar.core.commands;

import dev.cellar.api.Reply;
import dev.cellar.core.engine.CommandTable;
import dev.cellar.core.engine.Ctx;
import dev.cellar.core.engine.Db;

/** The expiry commands (Redis's {@code expire.c}). */
public final class ExpireCommands {
    private ExpireCommands() {}

    /** Registers the family's commands. */
    public static void register(CommandTable t) {
        t.add("pexpiretime", 2, "readonly fast", 1, 1, 1, "generic", ExpireCommands::pexpiretime);
    }

    // PEXPIRETIME key
    static Reply pexpiretime(Ctx ctx) {
        Db db = ctx.db();
        if (!db.exists(ctx.arg(1))) {
            return Reply.of(-2);
        }
        return Reply.of(db.getExpire(ctx.arg(1)));
    }
}
