package dev.cellar.core.engine;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The declarative command table. Families register their rows in one place each
 * ({@code StringCommands.register}, ...); flags are written as Redis's documentation writes them,
 * space-separated: {@code "write denyoom fast"}.
 */
public final class CommandTable {
    private final Map<String, CommandSpec> commands = new LinkedHashMap<>();
    /** The same commands by raw name bytes, for the dispatcher. */
    private final CommandIndex index = new CommandIndex();

    /** Adds a command; replaces an existing one of the same name (the server may override). */
    public CommandSpec add(String name, int arity, String flags, int firstKey, int lastKey, int keyStep,
            String group, Handler handler) {
        CommandSpec spec = new CommandSpec(name, arity, parseFlags(flags), firstKey, lastKey, keyStep, group, handler);
        commands.put(spec.shortName(), spec);
        index.put(spec.shortName(), spec);
        return spec;
    }

    /** Adds a container command whose work is done by subcommands ({@code OBJECT}, {@code CONFIG}). */
    public CommandSpec container(String name, int arity, String flags, String group) {
        return add(name, arity, flags, 0, 0, 0, group, null);
    }

    /** Adds a subcommand to a container registered earlier. */
    public CommandSpec sub(String container, String name, int arity, String flags, int firstKey, int lastKey,
            int keyStep, Handler handler) {
        CommandSpec parent = commands.get(container);
        if (parent == null) {
            throw new IllegalStateException("no container command " + container);
        }
        return parent.addSubcommand(new CommandSpec(name, arity, parseFlags(flags), firstKey, lastKey, keyStep,
                parent.group(), handler));
    }

    /** The command named by a lower-case name, or null. */
    public CommandSpec get(String name) {
        return commands.get(name);
    }

    /**
     * The command a request names, from its raw name bytes in any ASCII case, or null; allocates
     * nothing (the dispatcher's lookup).
     */
    public CommandSpec lookup(byte[] name) {
        return index.get(name);
    }

    /** Every top-level command. */
    public Collection<CommandSpec> all() {
        return Collections.unmodifiableCollection(commands.values());
    }

    /** The number of top-level commands. */
    public int size() {
        return commands.size();
    }

    private static Set<CommandFlag> parseFlags(String flags) {
        Set<CommandFlag> set = EnumSet.noneOf(CommandFlag.class);
        for (String f : flags.trim().split("\\s+")) {
            if (!f.isEmpty()) {
                set.add(CommandFlag.valueOf(f.toUpperCase(Locale.ROOT).replace('-', '_')));
            }
        }
        return set;
    }
}
