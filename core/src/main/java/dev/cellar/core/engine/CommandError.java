package dev.cellar.core.engine;

/**
 * Thrown by command code to answer with an error reply; the dispatcher turns it into
 * {@code Reply.Error}. The message is Redis's full error text, code first. No stack trace is
 * filled in: these are ordinary replies, not failures.
 */
public final class CommandError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An error with Redis's full message ({@code ERR ...}, {@code WRONGTYPE ...}). */
    public CommandError(String message) {
        super(message, null, false, false);
    }
}
