package dev.cellar.core.commands;

import dev.cellar.core.engine.CommandTable;

/** The hash command family. */
public final class HashCommands {
    private HashCommands() {}

    /** Registers the family's commands. */
    public static void register(CommandTable t) {
    }
}
