package dev.cellar.core.commands;

import dev.cellar.api.Reply;
import dev.cellar.core.Glob;
import dev.cellar.core.engine.Args;
import dev.cellar.core.engine.CommandError;
import dev.cellar.core.engine.CommandTable;
import dev.cellar.core.engine.Ctx;
import dev.cellar.core.engine.Errors;
import dev.cellar.core.engine.Settings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Connection and server commands the engine answers itself: SELECT, PING, ECHO, CONFIG GET/SET. */
public final class ServerCommands {
    private ServerCommands() {}

    /** Registers the family's commands. */
    public static void register(CommandTable t) {
        t.add("select", 2, "loading stale fast", 0, 0, 0, "connection", ServerCommands::select);
        t.add("ping", -1, "fast", 0, 0, 0, "connection", ServerCommands::ping);
        t.add("echo", 2, "loading stale fast", 0, 0, 0, "connection", ServerCommands::echo);
        t.container("config", -2, "", "server");
        t.sub("config", "get", -3, "admin noscript loading stale", 0, 0, 0, ServerCommands::configGet);
        t.sub("config", "set", -4, "admin noscript loading stale", 0, 0, 0, ServerCommands::configSet);
        t.add("wait", 3, "noscript", 0, 0, 0, "connection", ServerCommands::waitForReplicas);
    }

    /**
     * WAIT numreplicas timeout, as a primary without replicas answers it: 0 replicas acknowledged,
     * at once when no more were asked for (or inside MULTI), else after the timeout (never, for 0),
     * as Redis blocks the client for replicas that never come.
     */
    static Reply waitForReplicas(Ctx ctx) {
        long wanted = Args.parseLong(ctx.arg(1), Errors.NOT_INTEGER);
        long timeout = Args.parseLong(ctx.arg(2), "ERR timeout is not an integer or out of range");
        if (timeout < 0) {
            throw new CommandError("ERR timeout is negative");
        }
        if (wanted <= 0 || !ctx.mayBlock()) {
            return Reply.ZERO;
        }
        return ctx.block(null, List.of(), timeout, Reply.ZERO);
    }

    // SELECT index
    static Reply select(Ctx ctx) {
        long index = Args.parseLong(ctx.arg(1), Errors.NOT_INTEGER);
        if (index < 0 || index >= ctx.engine().databases()) {
            throw new CommandError(Errors.DB_INDEX);
        }
        ctx.session().selectDb((int) index);
        return Reply.OK;
    }

    // PING [message]
    static Reply ping(Ctx ctx) {
        if (ctx.argc() > 2) {
            throw new CommandError(Errors.arity("ping"));
        }
        return ctx.argc() == 1 ? new Reply.Simple("PONG") : Reply.bulk(ctx.arg(1));
    }

    // ECHO message
    static Reply echo(Ctx ctx) {
        return Reply.bulk(ctx.arg(1));
    }

    // CONFIG GET parameter [parameter ...]
    static Reply configGet(Ctx ctx) {
        // As Redis's configGetCommand: a name without glob characters is looked up (an alias too,
        // answered under the name asked); a pattern matches names and aliases, except hidden
        // parameters (testing knobs), which only their exact name reaches.
        Settings settings = ctx.settings();
        Map<String, String> found = new LinkedHashMap<>();
        for (int i = 2; i < ctx.argc(); i++) {
            String asked = Args.lower(ctx.arg(i));
            if (asked.indexOf('*') < 0 && asked.indexOf('?') < 0 && asked.indexOf('[') < 0) {
                Settings.Param p = settings.param(asked);
                if (p != null) {
                    found.putIfAbsent(Args.text(ctx.arg(i)), p.value()); // under the name as written
                }
                continue;
            }
            byte[] pattern = Args.bytes(asked);
            for (Settings.Param p : settings.all()) {
                if (p.isHidden()) {
                    continue;
                }
                if (Glob.matches(pattern, Args.bytes(p.name()), true)) {
                    found.putIfAbsent(p.name(), p.value());
                }
                for (String alias : p.aliases()) {
                    if (Glob.matches(pattern, Args.bytes(alias), true)) {
                        found.putIfAbsent(alias, p.value());
                    }
                }
            }
        }
        List<Reply> out = new ArrayList<>();
        for (Map.Entry<String, String> e : found.entrySet()) {
            out.add(Reply.bulk(e.getKey()));
            out.add(Reply.bulk(e.getValue()));
        }
        return new Reply.MapReply(out);
    }

    // CONFIG SET parameter value [parameter value ...]
    static Reply configSet(Ctx ctx) {
        if ((ctx.argc() - 2) % 2 != 0) {
            throw new CommandError("ERR wrong number of arguments for 'config|set' command");
        }
        Settings settings = ctx.settings();
        Map<String, String> previous = new LinkedHashMap<>();
        for (int i = 2; i < ctx.argc(); i += 2) {
            String name = Args.lower(ctx.arg(i));
            Settings.Param p = settings.param(name);
            if (p == null) {
                rollback(settings, previous);
                throw new CommandError("ERR Unknown option or number of arguments for CONFIG SET - '" + name + "'");
            }
            if (previous.containsKey(p.name())) {
                rollback(settings, previous);
                throw new CommandError("ERR Duplicate parameter - " + name);
            }
            previous.put(p.name(), p.value());
            String error = p.isProtected() && !ctx.session().allowedBy(settings.get("enable-protected-configs"))
                    ? "can't set protected config"
                    : settings.set(p.name(), Args.text(ctx.arg(i + 1)), false);
            if (error != null) {
                previous.remove(p.name());
                rollback(settings, previous);
                throw new CommandError("ERR CONFIG SET failed (possibly related to argument '" + name + "') - " + error);
            }
        }
        return Reply.OK;
    }

    private static void rollback(Settings settings, Map<String, String> previous) {
        previous.forEach((name, value) -> settings.set(name, value, true));
    }
}
