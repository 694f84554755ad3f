package dev.cellar.core.commands;

import dev.cellar.core.engine.CommandTable;

/** Registers every command family in the table, like Redis's generated command table. */
public final class Commands {
    private Commands() {}

    /** Adds every family's commands to {@code table}. */
    public static void registerAll(CommandTable table) {
        KeyCommands.register(table);
        ExpireCommands.register(table);
        StringCommands.register(table);
        BitfieldCommand.register(table);
        LcsCommand.register(table);
        ListCommands.register(table);
        HashCommands.register(table);
        SetCommands.register(table);
        ZSetCommands.register(table);
        SortCommand.register(table);
        HllCommands.register(table);
        GeoCommands.register(table);
        dev.cellar.core.engine.TransactionCommands.register(table);
        ServerCommands.register(table);
        PersistenceCommands.register(table);
    }
}
