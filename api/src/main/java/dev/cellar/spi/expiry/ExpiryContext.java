package dev.cellar.spi.expiry;

/** What an {@link ExpiryStrategy} may see and do during one cycle. */
public interface ExpiryContext {

    /** The number of databases. */
    int databases();

    /** The number of keys with an expiry in a database. */
    long expiresSize(int db);

    /** The slot count of a database's expiry table, for deciding whether sampling is worth it. */
    long expiresCapacity(int db);

    /** The {@code hz} setting. */
    int hz();

    /** The {@code active-expire-effort} setting (1 to 10). */
    int effort();

    /** The time budget of this cycle, derived from {@code hz} and the effort as Redis does. */
    long timeBudgetNanos();

    /** A monotonic clock for checking the budget. */
    long nanoTime();

    /**
     * Looks at up to {@code count} random keys with an expiry in {@code db}, deleting (and
     * propagating as {@code DEL}) those whose time has passed.
     */
    Sample sample(int db, int count);

    /**
     * The result of one sampling step.
     *
     * @param sampled keys looked at
     * @param expired keys deleted
     */
    record Sample(int sampled, int expired) {}
}
