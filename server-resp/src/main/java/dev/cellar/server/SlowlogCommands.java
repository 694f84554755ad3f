package dev.cellar.server;

import dev.cellar.api.Reply;
import dev.cellar.core.engine.Args;
import dev.cellar.core.engine.CommandError;
import dev.cellar.core.engine.CommandSpec;
import dev.cellar.core.engine.CommandTable;
import dev.cellar.core.engine.Ctx;
import dev.cellar.core.engine.LatencyHistogram;
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
                "    Entries are made of:",
                "    id, timestamp, time in microseconds, arguments array, client IP and port,",
                "    client name",
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
        t.sub("latency", "histogram", -2, "admin noscript loading stale", 0, 0, 0, SlowlogCommands::histogram);
        t.sub("latency", "help", 2, "loading stale", 0, 0, 0, ctx -> ConnectionCommands.help("LATENCY", List.of(
                "HISTORY <event>", "    Return time-latency samples for the <event> class.",
                "LATEST", "    Return the latest latency samples for all events.",
                "RESET [<event> ...]", "    Reset latency data of one or more <event> classes.",
                "    (default: reset all data for all event classes)",
                "HISTOGRAM [COMMAND ...]", "    Return a cumulative distribution of latencies in the format of a "
                        + "histogram for the specified command names.",
                "    If no commands are specified then all histograms are replied.")));
    }

    /**
     * LATENCY HISTOGRAM [command ...]: per command with calls timed, its call count and cumulative
     * latency distribution ({@link LatencyHistogram#cumulative}); a container named gives its
     * subcommands, {@code container|sub} one of them; unknown names are skipped, as in Redis.
     */
    private static Reply histogram(Ctx ctx) {
        CommandTable table = ctx.engine().commands();
        List<CommandSpec> specs = new ArrayList<>();
        if (ctx.argc() == 2) {
            for (CommandSpec spec : table.all()) {
                specs.add(spec);
                specs.addAll(spec.subcommands().values());
            }
        } else {
            for (int i = 2; i < ctx.argc(); i++) {
                String name = Args.text(ctx.arg(i)).toLowerCase(java.util.Locale.ROOT);
                int bar = name.indexOf('|');
                CommandSpec spec = table.get(bar < 0 ? name : name.substring(0, bar));
                if (spec != null && bar >= 0) {
                    spec = spec.subcommands().get(name.substring(bar + 1));
                }
                if (spec != null) {
                    specs.add(spec);
                    specs.addAll(spec.subcommands().values());
                }
            }
        }
        List<Reply> out = new ArrayList<>();
        for (CommandSpec spec : specs) {
            LatencyHistogram h = spec.latency();
            if (h == null) {
                continue;
            }
            List<Reply> buckets = new ArrayList<>();
            for (long[] bucket : h.cumulative()) {
                buckets.add(Reply.of(bucket[0]));
                buckets.add(Reply.of(bucket[1]));
            }
            out.add(Reply.bulk(spec.name()));
            out.add(new Reply.MapReply(List.of(Reply.bulk("calls"), Reply.of(h.count()),
                    Reply.bulk("histogram_usec"), new Reply.MapReply(buckets))));
        }
        return new Reply.MapReply(out);
    }
}
