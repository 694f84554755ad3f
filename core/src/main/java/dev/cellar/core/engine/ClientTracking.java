package dev.cellar.core.engine;

/**
 * Server-assisted client-side caching (Redis's {@code tracking.c}), as the engine sees it: the
 * server keeps who cached what and tells clients; the engine reports what they need to know.
 * Called under the engine lock.
 */
public interface ClientTracking {
    /** A read-only command ran for a session with tracking on: the keys it read may now be cached. */
    void readCommand(Session session, CommandSpec spec, byte[][] argv);

    /** A key changed or went (written, deleted, expired, evicted); {@code by} ran the change, or null. */
    void keyModified(byte[] key, Session by);

    /** FLUSHDB or FLUSHALL ran ({@code by} ran it, or null): every tracking client drops everything. */
    void flushed(Session by);
}
