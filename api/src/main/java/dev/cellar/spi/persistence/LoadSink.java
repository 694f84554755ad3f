package dev.cellar.spi.persistence;

/**
 * Where a persistence engine puts what it loads at start-up. Data goes either as whole values
 * (snapshot formats) or as commands replayed through the engine (log formats).
 */
public interface LoadSink {

    /** Adds a key with its value; {@code expireAtMillis} is -1 for no expiry. Replaces an existing key. */
    void put(int db, byte[] key, DataValue value, long expireAtMillis);

    /**
     * Adds a key with its value and access statistics as a snapshot recorded them ({@code -1} when
     * not recorded).
     */
    default void put(int db, byte[] key, DataValue value, long expireAtMillis, long lruIdleMillis, int lfuFrequency) {
        put(db, key, value, expireAtMillis);
    }

    /**
     * Replays one logged command; returns an error message when the command failed, else null.
     * Replay skips the checks that only make sense for clients (memory limit, authentication).
     */
    String replay(int db, byte[][] argv);

    /**
     * A hint from a snapshot's {@code RESIZEDB}: about {@code keys} keys, {@code expires} of them with
     * an expiry, are about to be put into database {@code db}, so its tables may grow once now rather
     * than step by step. The numbers come from the file and may be wrong; a sink may ignore the hint,
     * and one that follows it should bound what it allocates. The default ignores it.
     */
    default void reserve(int db, long keys, long expires) {}

    /** Reports progress for INFO {@code loading_loaded_perc}. */
    default void progress(long loadedBytes, long totalBytes) {}

    /**
     * A field of the header of the snapshot being loaded, as read (RDB's AUX fields:
     * {@code redis-ver}, {@code ctime}, {@code used-mem}, {@code aof-base}, ...). The server logs
     * what Redis logs of them and shows {@code used-mem} as INFO {@code loading_rdb_used_mem}.
     * The default ignores it.
     */
    default void snapshotField(String name, String value) {}

    /**
     * The snapshot's keys have all been read (and its checksum checked): {@code keysLoaded} were put,
     * {@code keysExpired} were dropped as already expired, {@code emptyKeysSkipped} were empty
     * collections. The server logs Redis's "Done loading RDB" line. The default ignores it.
     */
    default void snapshotLoaded(long keysLoaded, long keysExpired, long emptyKeysSkipped) {}
}
