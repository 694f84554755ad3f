package dev.cellar.core.engine;

/**
 * Receives keyspace events as Redis's {@code notifyKeyspaceEvent} raises them; the server turns
 * them into Pub/Sub messages according to {@code notify-keyspace-events}.
 */
@FunctionalInterface
public interface KeyspaceListener {
    /** Generic commands (DEL, EXPIRE, RENAME, ...). */
    char GENERIC = 'g';
    /** String commands. */
    char STRING = '$';
    /** List commands. */
    char LIST = 'l';
    /** Set commands. */
    char SET = 's';
    /** Hash commands. */
    char HASH = 'h';
    /** Sorted set commands. */
    char ZSET = 'z';
    /** Keys expired. */
    char EXPIRED = 'x';
    /** Keys evicted. */
    char EVICTED = 'e';
    /** New keys ('n'). */
    char NEW = 'n';

    /** A listener that ignores everything. */
    KeyspaceListener NONE = (type, event, db, key) -> {};

    /** One event of a class ({@link #STRING}, ...) named like Redis's ({@code set}, {@code lpush}, ...). */
    void event(char type, String event, int db, byte[] key);
}
