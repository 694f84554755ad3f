package dev.cellar.core.commands;

import dev.cellar.core.engine.CommandTable;

/** The zset command family. */
public final class ZSetCommands {
    private ZSetCommands() {}

    /** Registers the family's commands. */
    public static void register(CommandTable t) {
    }
}
