package dev.cellar.spi.persistence;

/**
 * A consistent point-in-time view of the whole keyspace: every write ordered before the view was
 * taken is in it, none after. Visiting may run while the engine goes on serving writes.
 */
public interface SnapshotView {

    /** The number of databases. */
    int databases();

    /** The number of keys in a database at the point in time, and how many of them expire. */
    long size(int db);

    /** The number of keys with an expiry in a database at the point in time. */
    long expiresSize(int db);

    /** Visits every key of a database at the point in time. */
    void forEach(int db, EntryVisitor visitor);

    /** Receives the entries of a snapshot. */
    @FunctionalInterface
    interface EntryVisitor {
        /**
         * One key.
         *
         * @param expireAtMillis absolute expiry in Unix milliseconds, or -1 when the key does not expire
         * @param lruIdleMillis  how long the key has been idle, or -1 when not tracked
         * @param lfuFrequency   the LFU counter (0 to 255), or -1 when not tracked
         */
        void entry(byte[] key, DataValue value, long expireAtMillis, long lruIdleMillis, int lfuFrequency);
    }
}
