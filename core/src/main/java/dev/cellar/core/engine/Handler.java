package dev.cellar.core.engine;

import dev.cellar.api.Reply;

/** A command implementation: reads its arguments from the context and returns its reply. */
@FunctionalInterface
public interface Handler {

    /**
     * Runs the command. Arity and the other checks of the dispatcher have already passed; an
     * error may be returned or thrown as {@link CommandError}.
     */
    Reply run(Ctx ctx);
}
