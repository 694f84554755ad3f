package dev.cellar.server;

import dev.cellar.api.Reply;
import dev.cellar.core.engine.Args;
import dev.cellar.core.engine.CommandError;
import dev.cellar.core.engine.CommandTable;
import java.util.ArrayList;
import java.util.List;

/** SLOWLOG and LATENCY (Redis's {@code slowlog.c} and {@code latency.c}). */
final class SlowlogCommands {
    private SlowlogCommands() {}

    static void register(CommandTable t, Server server) {
        t.container("slowlog", -2, "", "server");
        t.sub("slowlog", "get", -2, "admin loading stale", 0, 0, 0, ctx -> {
            long count = 10;
            if (ctx.argc() > 3) {
                throw new CommandError("ERR wrong number of arguments for 'slowlog|get' command");
            }
            if (ctx.argc() == 3) {
                count = Args.parseLong(ctx.arg(2), "ERR count should be greater than or equal to -1");
                if (count < -1) {
                    throw new CommandError("ERR count should be greater than or equal to -1");
                }
            }
            return server.slowlog.get(count);
        });
        t.sub("slowlog", "len", 2, "admin loading stale", 0, 0, 0, ctx -> Reply.of(server.slowlog.size()));
        t.sub("slowlog", "reset", 2, "admin loading stale", 0, 0, 0, ctx -> {
            server.slowlog.reset();
            return Reply.OK;
        });
        t.sub("slowlog", "help", 2, "loading stale", 0, 0, 0, ctx -> ConnectionCommands.help("SLOWLOG", List.of(
                "GET [<count>]", "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
                "LEN", "    Return the length of the slowlog.",
                "RESET", "    Reset the slowlog.")));

        t.container("latency", -2, "", "server");
        t.sub("latency", "latest", 2, "admin noscript loading stale", 0, 0, 0, ctx -> server.latency.latest());
        t.sub("latency", "history", 3, "admin noscript loading stale", 0, 0, 0,
                ctx -> server.latency.history(Args.text(ctx.arg(2))));
        t.sub("latency", "reset", -2, "admin noscript loading stale", 0, 0, 0, ctx -> {
            List<String> names = new ArrayList<>();
            for (int i = 2; i < ctx.argc(); i++) {
                names.add(Args.text(ctx.arg(i)));
            }
            return Reply.of(server.latency.reset(names));
        });
        t.sub("latency", "help", 2, "loading stale", 0, 0, 0, ctx -> ConnectionCommands.help("LATENCY", List.of(
                "LATEST", "    Return the latest latency samples for all events.",
                "HISTORY <event>", "    Return time-latency samples for the specified event.",
                "RESET [<event> ...]", "    Reset latency data of one or more <event> classes.")));
    }
}
