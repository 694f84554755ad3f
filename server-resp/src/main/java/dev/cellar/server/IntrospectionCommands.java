package dev.cellar.server;

import dev.cellar.api.Reply;
import dev.cellar.core.Glob;
import dev.cellar.core.engine.Args;
import dev.cellar.core.engine.CommandError;
import dev.cellar.core.engine.CommandFlag;
import dev.cellar.core.engine.CommandSpec;
import dev.cellar.core.engine.CommandTable;
import dev.cellar.core.engine.Ctx;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** COMMAND and its subcommands, answered from the engine's command table in Redis 7.0's shapes. */
final class IntrospectionCommands {
    private IntrospectionCommands() {}

    static void register(CommandTable t, Server server) {
        // COMMAND alone; with an argument the engine runs the subcommand it names (below).
        t.add("command", -1, "loading stale", 0, 0, 0, "server", ctx -> {
            List<Reply> out = new ArrayList<>();
            for (CommandSpec s : table(ctx).all()) {
                out.add(info(s));
            }
            return Reply.array(out);
        });
        // COMMAND is both a command and a container; its subcommands are dispatched here.
        CommandSpec command = t.get("command");
        command.addSubcommand(sub(t, "count", 2, ctx -> Reply.of(table(ctx).size())));
        command.addSubcommand(sub(t, "info", -2, ctx -> {
            List<Reply> out = new ArrayList<>();
            if (ctx.argc() == 2) {
                for (CommandSpec s : table(ctx).all()) {
                    out.add(info(s));
                }
            }
            for (int i = 2; i < ctx.argc(); i++) {
                CommandSpec s = find(table(ctx), Args.lower(ctx.arg(i)));
                out.add(s == null ? Reply.NULL_ARRAY : info(s));
            }
            return Reply.array(out);
        }));
        command.addSubcommand(sub(t, "docs", -2, ctx -> {
            List<Reply> out = new ArrayList<>();
            if (ctx.argc() == 2) {
                for (CommandSpec s : table(ctx).all()) {
                    out.add(Reply.bulk(s.name()));
                    out.add(docs(s));
                }
            }
            for (int i = 2; i < ctx.argc(); i++) {
                CommandSpec s = find(table(ctx), Args.lower(ctx.arg(i)));
                if (s != null) {
                    out.add(Reply.bulk(s.name()));
                    out.add(docs(s));
                }
            }
            return new Reply.MapReply(out);
        }));
        command.addSubcommand(sub(t, "list", -2, IntrospectionCommands::list));
        command.addSubcommand(sub(t, "getkeys", -4, IntrospectionCommands::getkeys));
        command.addSubcommand(sub(t, "help", 2, ctx -> ConnectionCommands.help("COMMAND", List.of(
                "(no subcommand)", "    Return details about all Redis commands.",
                "COUNT", "    Return the total number of commands in this Redis server.",
                "LIST", "    Return a list of all commands in this Redis server.",
                "INFO [<command-name> ...]", "    Return details about multiple Redis commands.",
                "    If no command names are given, documentation details for all",
                "    commands are returned.",
                "DOCS [<command-name> ...]", "    Return documentation details about multiple Redis commands.",
                "    If no command names are given, documentation details for all",
                "    commands are returned.",
                "GETKEYS <full-command>", "    Return the keys from a full Redis command."))));
    }

    private static CommandSpec sub(CommandTable t, String name, int arity, dev.cellar.core.engine.Handler h) {
        // Built through a scratch container so the spec gets the table's flag parsing.
        CommandTable scratch = new CommandTable();
        scratch.container("command", -1, "", "server");
        return scratch.sub("command", name, arity, "loading stale", 0, 0, 0, h);
    }

    private static CommandTable table(Ctx ctx) {
        return ctx.engine().commands();
    }

    private static CommandSpec find(CommandTable t, String name) {
        int bar = name.indexOf('|');
        if (bar < 0) {
            return t.get(name);
        }
        CommandSpec parent = t.get(name.substring(0, bar));
        return parent == null ? null : parent.subcommands().get(name.substring(bar + 1));
    }

    static Set<String> flags(CommandSpec s) {
        Set<String> out = new LinkedHashSet<>();
        for (CommandFlag f : s.flags()) {
            if (f != CommandFlag.PUBSUB_ALLOWED && f != CommandFlag.NONDETERMINISTIC_OUTPUT) {
                out.add(f.redisName());
            }
        }
        if (s.flags().contains(CommandFlag.BLOCKING) && !out.contains("blocking")) {
            out.add("blocking");
        }
        if (s.firstKey() > 0 && !out.contains("movablekeys") && s.lastKey() == 0) {
            out.add("movablekeys");
        }
        return out;
    }

    /**
     * ACL categories Redis's command table names for a command beyond what its flags and group imply
     * (its {@code acl_categories}); a command's subcommands ({@code command|count}) share its entry.
     */
    private static final Map<String, List<String>> NAMED_CATEGORIES = Map.ofEntries(
            Map.entry("dbsize", List.of("@keyspace")),
            Map.entry("dump", List.of("@keyspace")),
            Map.entry("flushall", List.of("@keyspace", "@dangerous")),
            Map.entry("flushdb", List.of("@keyspace", "@dangerous")),
            Map.entry("restore", List.of("@keyspace", "@dangerous")),
            Map.entry("swapdb", List.of("@keyspace", "@dangerous")),
            Map.entry("info", List.of("@dangerous")),
            Map.entry("keys", List.of("@dangerous")),
            Map.entry("lastsave", List.of("@admin", "@dangerous")),
            Map.entry("role", List.of("@admin", "@dangerous")),
            Map.entry("command", List.of("@connection")),
            Map.entry("sort", List.of("@set", "@sortedset", "@list", "@dangerous")),
            Map.entry("sort_ro", List.of("@set", "@sortedset", "@list", "@dangerous")));

    /** Commands of the generic group that Redis does not put in {@code @keyspace}. */
    private static final Set<String> NOT_KEYSPACE = Set.of("sort", "sort_ro");

    static Set<String> categories(CommandSpec s) {
        Set<String> out = new LinkedHashSet<>();
        if (s.handler() == null && s.hasSubcommands()) {
            out.add("@slow"); // a container (CLIENT, OBJECT, CONFIG): Redis names no other category
            return out;
        }
        String group = s.group();
        if (s.has(CommandFlag.WRITE)) {
            out.add("@write");
        }
        if (s.has(CommandFlag.READONLY)) {
            out.add("@read");
        }
        if (s.has(CommandFlag.ADMIN)) {
            out.add("@admin");
            out.add("@dangerous");
        }
        if (s.has(CommandFlag.PUBSUB)) {
            out.add("@pubsub");
        }
        if (s.has(CommandFlag.BLOCKING)) {
            out.add("@blocking");
        }
        out.add(s.has(CommandFlag.FAST) ? "@fast" : "@slow");
        switch (group == null ? "" : group) {
            case "string", "list", "hash", "set", "connection", "bitmap", "hyperloglog", "geo", "stream", "scripting" ->
                    out.add("@" + group);
            case "sorted_set", "sortedset", "zset" -> out.add("@sortedset");
            case "generic" -> {
                if (!NOT_KEYSPACE.contains(s.name())) {
                    out.add("@keyspace");
                }
            }
            case "transactions" -> out.add("@transaction");
            default -> { }
        }
        String base = s.parent() == null ? s.name() : s.parent().name();
        out.addAll(NAMED_CATEGORIES.getOrDefault(base, List.of()));
        return out;
    }

    static Reply info(CommandSpec s) {
        List<Reply> flags = new ArrayList<>();
        for (String f : flags(s)) {
            flags.add(new Reply.Simple(f));
        }
        List<Reply> cats = new ArrayList<>();
        for (String c : categories(s)) {
            cats.add(new Reply.Simple(c));
        }
        List<Reply> keySpecs = new ArrayList<>();
        if (s.firstKey() > 0) {
            keySpecs.add(new Reply.MapReply(List.of(
                    Reply.bulk("flags"), new Reply.SetReply(List.of()),
                    Reply.bulk("begin_search"), new Reply.MapReply(List.of(
                            Reply.bulk("type"), Reply.bulk("index"),
                            Reply.bulk("spec"), new Reply.MapReply(List.of(Reply.bulk("index"), Reply.of(s.firstKey()))))),
                    Reply.bulk("find_keys"), new Reply.MapReply(List.of(
                            Reply.bulk("type"), Reply.bulk("range"),
                            Reply.bulk("spec"), new Reply.MapReply(List.of(
                                    Reply.bulk("lastkey"), Reply.of(s.lastKey() < 0 ? s.lastKey() : s.lastKey() - s.firstKey()),
                                    Reply.bulk("keystep"), Reply.of(s.keyStep()),
                                    Reply.bulk("limit"), Reply.ZERO)))))));
        }
        List<Reply> subs = new ArrayList<>();
        for (CommandSpec sub : s.subcommands().values()) {
            subs.add(info(sub));
        }
        return Reply.array(List.of(Reply.bulk(s.name()), Reply.of(s.arity()), new Reply.SetReply(flags),
                Reply.of(s.firstKey()), Reply.of(s.lastKey()), Reply.of(s.keyStep()), new Reply.SetReply(cats),
                Reply.EMPTY_ARRAY, Reply.array(keySpecs), Reply.array(subs)));
    }

    static Reply docs(CommandSpec s) {
        List<Reply> m = new ArrayList<>(List.of(
                Reply.bulk("summary"), Reply.bulk(""),
                Reply.bulk("since"), Reply.bulk("1.0.0"),
                Reply.bulk("group"), Reply.bulk(s.group() == null ? "server" : s.group()),
                Reply.bulk("complexity"), Reply.bulk("")));
        if (!s.subcommands().isEmpty()) {
            List<Reply> subs = new ArrayList<>();
            for (CommandSpec sub : s.subcommands().values()) {
                subs.add(Reply.bulk(sub.name()));
                subs.add(docs(sub));
            }
            m.add(Reply.bulk("subcommands"));
            m.add(new Reply.MapReply(subs));
        }
        return new Reply.MapReply(m);
    }

    // COMMAND LIST [FILTERBY MODULE module-name | ACLCAT category | PATTERN pattern]
    static Reply list(Ctx ctx) {
        String by = null;
        String value = null;
        if (ctx.argc() == 5 && ctx.is(2, "filterby")) {
            by = Args.lower(ctx.arg(3));
            value = Args.text(ctx.arg(4));
            if (!by.equals("module") && !by.equals("aclcat") && !by.equals("pattern")) {
                throw new CommandError("ERR syntax error");
            }
        } else if (ctx.argc() != 2) {
            throw new CommandError("ERR syntax error");
        }
        List<Reply> out = new ArrayList<>();
        for (CommandSpec s : table(ctx).all()) {
            List<CommandSpec> all = new ArrayList<>();
            all.add(s);
            all.addAll(s.subcommands().values());
            for (CommandSpec c : all) {
                if (by == null
                        || (by.equals("aclcat") && categories(c).contains("@" + value.toLowerCase()))
                        || (by.equals("pattern") && Glob.matches(Args.bytes(value), Args.bytes(c.name()), true))) {
                    out.add(Reply.bulk(c.name()));
                }
            }
        }
        return Reply.array(out);
    }

    // COMMAND GETKEYS command [arg ...]
    static Reply getkeys(Ctx ctx) {
        byte[][] argv = Args.tail(ctx.argv(), 2);
        CommandSpec s = table(ctx).get(Args.lower(argv[0]));
        if (s == null) {
            return Reply.error("ERR Invalid command specified");
        }
        if (s.handler() == null && argv.length > 1) {
            CommandSpec sub = s.subcommands().get(Args.lower(argv[1]));
            if (sub != null) {
                s = sub;
            }
        }
        if (!s.arityAccepts(argv.length)) {
            return Reply.error("ERR Invalid number of arguments specified for command");
        }
        if (!s.hasKeys()) {
            return Reply.error("ERR The command has no key arguments");
        }
        List<Reply> keys = new ArrayList<>();
        for (int i : s.keyPositions(argv)) {
            keys.add(Reply.bulk(argv[i]));
        }
        return Reply.array(keys);
    }
}
