package dev.cellar.persistence.rdb;

import java.io.IOException;

/**
 * Malformed RDB data: a corrupt or truncated file or payload. The message names the byte offset
 * and what was expected there, plus the key and value type being read when there was one.
 */
public final class RdbFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long offset;
    private final String problem;
    private final String context;

    /** A problem at {@code offset} (bytes from the start of the file or payload). */
    public RdbFormatException(long offset, String problem) {
        this(offset, problem, null, null);
    }

    RdbFormatException(long offset, String problem, String context, Throwable cause) {
        super("at offset " + offset + ": " + problem + (context == null ? "" : " (" + context + ")"), cause);
        this.offset = offset;
        this.problem = problem;
        this.context = context;
    }

    /** The byte offset where the problem was found. */
    public long offset() {
        return offset;
    }

    /** What was wrong, without offset or context. */
    public String problem() {
        return problem;
    }

    /** What was being read (key and type), or null. */
    public String context() {
        return context;
    }

    /** This problem with a description of what was being read. */
    RdbFormatException withContext(String what) {
        return context != null ? this : new RdbFormatException(offset, problem, what, this.getCause());
    }
}
