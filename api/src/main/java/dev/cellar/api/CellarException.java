package dev.cellar.api;

/**
 * A command failed; the message is Redis's error text, code included ({@code WRONGTYPE ...}).
 */
public class CellarException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception carrying an error reply's message. */
    public CellarException(String message) {
        super(message);
    }

    /** Creates an exception with a cause. */
    public CellarException(String message, Throwable cause) {
        super(message, cause);
    }
}
