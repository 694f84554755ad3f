package dev.cellar.server;

import dev.cellar.api.Reply;
import dev.cellar.core.Glob;
import dev.cellar.core.engine.ByteKey;
import dev.cellar.core.engine.CommandTable;
import dev.cellar.core.engine.Ctx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Pub/Sub commands (Redis's {@code pubsub.c}). Confirmations are pushed one per channel, as Redis does. */
final class PubSubCommands {
    private PubSubCommands() {}

    static void register(CommandTable t, Server server) {
        PubSub ps = server.pubsub;
        String flags = "pubsub noscript loading stale pubsub_allowed";
        t.add("subscribe", -2, flags, 0, 0, 0, "pubsub", ctx -> {
            Connection c = ConnectionCommands.conn(ctx);
            List<Reply> out = new ArrayList<>();
            for (int i = 1; i < ctx.argc(); i++) {
                out.add(ps.subscribe(c, ctx.arg(i)));
            }
            return emit(ctx, c, out);
        });
        t.add("psubscribe", -2, flags, 0, 0, 0, "pubsub", ctx -> {
            Connection c = ConnectionCommands.conn(ctx);
            List<Reply> out = new ArrayList<>();
            for (int i = 1; i < ctx.argc(); i++) {
                out.add(ps.psubscribe(c, ctx.arg(i)));
            }
            return emit(ctx, c, out);
        });
        t.add("unsubscribe", -1, flags, 0, 0, 0, "pubsub", ctx -> {
            Connection c = ConnectionCommands.conn(ctx);
            List<Reply> out = new ArrayList<>();
            if (ctx.argc() == 1) {
                if (c.channels.isEmpty()) {
                    out.add(new Reply.Push(List.of(Reply.bulk("unsubscribe"), Reply.NULL, Reply.of(c.patterns.size()))));
                }
                for (ByteKey k : new ArrayList<>(c.channels)) {
                    out.add(ps.unsubscribe(c, k));
                }
            } else {
                for (int i = 1; i < ctx.argc(); i++) {
                    out.add(ps.unsubscribe(c, new ByteKey(ctx.arg(i))));
                }
            }
            return emit(ctx, c, out);
        });
        t.add("punsubscribe", -1, flags, 0, 0, 0, "pubsub", ctx -> {
            Connection c = ConnectionCommands.conn(ctx);
            List<Reply> out = new ArrayList<>();
            if (ctx.argc() == 1) {
                if (c.patterns.isEmpty()) {
                    out.add(new Reply.Push(List.of(Reply.bulk("punsubscribe"), Reply.NULL, Reply.of(c.channels.size()))));
                }
                for (ByteKey k : new ArrayList<>(c.patterns)) {
                    out.add(ps.punsubscribe(c, k));
                }
            } else {
                for (int i = 1; i < ctx.argc(); i++) {
                    out.add(ps.punsubscribe(c, new ByteKey(ctx.arg(i))));
                }
            }
            return emit(ctx, c, out);
        });
        t.add("ssubscribe", -2, flags, 1, -1, 1, "pubsub", ctx -> {
            Connection c = ConnectionCommands.conn(ctx);
            List<Reply> out = new ArrayList<>();
            for (int i = 1; i < ctx.argc(); i++) {
                out.add(ps.ssubscribe(c, ctx.arg(i)));
            }
            return emit(ctx, c, out);
        });
        t.add("sunsubscribe", -1, flags, 1, -1, 1, "pubsub", ctx -> {
            Connection c = ConnectionCommands.conn(ctx);
            List<Reply> out = new ArrayList<>();
            if (ctx.argc() == 1) {
                if (c.shardChannels.isEmpty()) {
                    out.add(PubSub.shardConfirmation("sunsubscribe", Reply.NULL, c));
                }
                for (ByteKey k : new ArrayList<>(c.shardChannels)) {
                    out.add(ps.sunsubscribe(c, k));
                }
            } else {
                for (int i = 1; i < ctx.argc(); i++) {
                    out.add(ps.sunsubscribe(c, new ByteKey(ctx.arg(i))));
                }
            }
            return emit(ctx, c, out);
        });
        t.add("spublish", 3, "pubsub loading stale fast", 1, 1, 1, "pubsub",
                ctx -> Reply.of(ps.spublish(ctx.arg(1), ctx.arg(2))));
        t.add("publish", 3, "pubsub loading stale fast", 0, 0, 0, "pubsub",
                ctx -> Reply.of(ps.publish(ctx.arg(1), ctx.arg(2))));
        t.container("pubsub", -2, "", "pubsub");
        t.sub("pubsub", "channels", -2, "pubsub loading stale", 0, 0, 0, ctx -> channels(ctx, ps.channels));
        t.sub("pubsub", "shardchannels", -2, "pubsub loading stale", 0, 0, 0, ctx -> channels(ctx, ps.shardChannels));
        t.sub("pubsub", "numsub", -2, "pubsub loading stale", 0, 0, 0, ctx -> {
            List<Reply> out = new ArrayList<>();
            for (int i = 2; i < ctx.argc(); i++) {
                Set<Connection> subs = ps.channels.get(new ByteKey(ctx.arg(i)));
                out.add(Reply.bulk(ctx.arg(i)));
                out.add(Reply.of(subs == null ? 0 : subs.size()));
            }
            return new Reply.MapReply(out);
        });
        t.sub("pubsub", "shardnumsub", -2, "pubsub loading stale", 0, 0, 0, ctx -> {
            List<Reply> out = new ArrayList<>();
            for (int i = 2; i < ctx.argc(); i++) {
                Set<Connection> subs = ps.shardChannels.get(new ByteKey(ctx.arg(i)));
                out.add(Reply.bulk(ctx.arg(i)));
                out.add(Reply.of(subs == null ? 0 : subs.size()));
            }
            return new Reply.MapReply(out);
        });
        t.sub("pubsub", "numpat", 2, "pubsub loading stale", 0, 0, 0, ctx -> Reply.of(ps.patterns.size()));
        t.sub("pubsub", "help", 2, "loading stale", 0, 0, 0, ctx -> ConnectionCommands.help("PUBSUB", List.of(
                "CHANNELS [<pattern>]", "    Return the currently active channels matching a <pattern> (default: '*').",
                "NUMPAT", "    Return number of subscriptions to patterns.",
                "NUMSUB [<channel> ...]", "    Return the number of subscribers for the specified channels, excluding",
                "    pattern subscriptions(default: no channels).",
                "SHARDCHANNELS [<pattern>]",
                "    Return the currently active shard level channels matching a <pattern> (default: '*').",
                "SHARDNUMSUB [<shardchannel> ...]",
                "    Return the number of subscribers for the specified shard level channel(s)")));
    }

    // PUBSUB CHANNELS [pattern]
    private static Reply channels(Ctx ctx, Map<ByteKey, Set<Connection>> channels) {
        if (ctx.argc() > 3) {
            return Reply.error("ERR unknown subcommand or wrong number of arguments for '"
                    + dev.cellar.core.engine.Args.text(ctx.arg(1)) + "'. Try PUBSUB HELP.");
        }
        byte[] pattern = ctx.argc() == 3 ? ctx.arg(2) : null;
        List<Reply> out = new ArrayList<>();
        for (ByteKey k : channels.keySet()) {
            if (pattern == null || Glob.matches(pattern, k.bytes(), false)) {
                out.add(Reply.bulk(k.bytes()));
            }
        }
        return Reply.array(out);
    }

    /**
     * Sends one confirmation per channel as Redis does: pushed one by one normally; inside EXEC,
     * as that command's slot of the EXEC array (a single confirmation, or an array of them).
     */
    private static Reply emit(Ctx ctx, Connection c, List<Reply> confirmations) {
        if (ctx.session().inMulti()) {
            return confirmations.size() == 1 ? confirmations.get(0) : Reply.array(confirmations);
        }
        for (Reply r : confirmations) {
            c.push(r);
        }
        return Server.NO_REPLY;
    }
}
