package dev.cellar.core.commands;

import dev.cellar.core.engine.CommandTable;

/** The list command family. */
public final class ListCommands {
    private ListCommands() {}

    /** Registers the family's commands. */
    public static void register(CommandTable t) {
    }
}
