package dev.cellar.spi.eviction;

import java.util.List;
import java.util.random.RandomGenerator;

/** What an {@link EvictionPolicy} may see while choosing a victim. */
public interface EvictionContext {

    /** The number of databases. */
    int databases();

    /** The number of keys in a database ({@code expiring} true: only keys with an expiry). */
    long size(int db, boolean expiring);

    /** {@code maxmemory-samples}. */
    int samples();

    /** The engine's random source. */
    RandomGenerator random();

    /**
     * Samples up to {@code count} random keys of a database, from all keys or only from keys with an
     * expiry, with the statistics a policy ranks them by.
     */
    List<Candidate> sample(int db, int count, boolean expiring);

    /**
     * A key that could be evicted.
     *
     * @param idleMillis     time since last access (LRU), or -1 when not tracked
     * @param frequency      decayed LFU counter, or -1 when not tracked
     * @param expireAtMillis absolute expiry, or -1
     */
    record Candidate(int db, byte[] key, long idleMillis, int frequency, long expireAtMillis) {}
}
