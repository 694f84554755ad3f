package dev.cellar.core.engine;

import dev.cellar.api.Reply;
import java.util.ArrayList;
import java.util.List;

/**
 * MULTI, EXEC, DISCARD, WATCH and UNWATCH (Redis's {@code multi.c}). It lives beside the
 * dispatcher because queueing happens there: a command inside MULTI is checked (unknown name,
 * arity) and queued by {@link Engine#process}, and a failed check makes EXEC answer EXECABORT.
 */
public final class TransactionCommands {
    private TransactionCommands() {}

    /** Registers the family's commands. */
    public static void register(CommandTable t) {
        t.add("multi", 1, "noscript loading stale fast allow_busy", 0, 0, 0, "transactions", TransactionCommands::multi);
        t.add("exec", 1, "noscript loading stale skip_slowlog", 0, 0, 0, "transactions", TransactionCommands::exec);
        t.add("discard", 1, "noscript loading stale fast allow_busy", 0, 0, 0, "transactions",
                TransactionCommands::discard);
        t.add("watch", -2, "noscript loading stale fast allow_busy", 1, -1, 1, "transactions",
                TransactionCommands::watch);
        t.add("unwatch", 1, "noscript loading stale fast allow_busy", 0, 0, 0, "transactions",
                TransactionCommands::unwatch);
    }

    // MULTI
    static Reply multi(Ctx ctx) {
        Session s = ctx.session();
        if (s.inMulti()) {
            return new Reply.Error(Errors.NESTED_MULTI);
        }
        s.startMulti();
        return Reply.OK;
    }

    // EXEC
    static Reply exec(Ctx ctx) {
        Session s = ctx.session();
        Engine engine = ctx.engine();
        if (!s.inMulti()) {
            return new Reply.Error(Errors.EXEC_WITHOUT_MULTI);
        }
        if (s.multiError()) {
            s.endMulti();
            engine.unwatchAll(s);
            return new Reply.Error(Errors.EXECABORT);
        }
        if (s.dirtyCas() || engine.watchedKeyExpired(s)) {
            s.endMulti();
            engine.unwatchAll(s);
            return Reply.NULL_ARRAY;
        }
        engine.unwatchAll(s);
        ctx.preventPropagation();
        List<CommandSpec> specs = new ArrayList<>(s.queuedSpecs());
        List<byte[][]> argvs = new ArrayList<>(s.queuedArgv());
        List<Reply> replies = new ArrayList<>(specs.size());
        for (int i = 0; i < specs.size(); i++) {
            if (specs.get(i).has(CommandFlag.WRITE)) {
                engine.markExec();
            }
            replies.add(engine.call(s, specs.get(i), argvs.get(i)));
        }
        s.endMulti();
        return new Reply.Array(replies);
    }

    // DISCARD
    static Reply discard(Ctx ctx) {
        Session s = ctx.session();
        if (!s.inMulti()) {
            return new Reply.Error(Errors.DISCARD_WITHOUT_MULTI);
        }
        s.endMulti();
        ctx.engine().unwatchAll(s);
        return Reply.OK;
    }

    // WATCH key [key ...]
    static Reply watch(Ctx ctx) {
        Session s = ctx.session();
        if (s.inMulti()) {
            return new Reply.Error(Errors.WATCH_IN_MULTI);
        }
        for (int i = 1; i < ctx.argc(); i++) {
            ctx.engine().watch(s, ctx.db(), ctx.arg(i));
        }
        return Reply.OK;
    }

    // UNWATCH
    static Reply unwatch(Ctx ctx) {
        ctx.engine().unwatchAll(ctx.session());
        return Reply.OK;
    }
}
