package dev.cellar.core.commands;

import dev.cellar.core.engine.CommandTable;

/** The set command family. */
public final class SetCommands {
    private SetCommands() {}

    /** Registers the family's commands. */
    public static void register(CommandTable t) {
    }
}
