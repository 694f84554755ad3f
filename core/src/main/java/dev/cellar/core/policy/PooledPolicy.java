package dev.cellar.core.policy;

import dev.cellar.core.engine.Eviction;
import dev.cellar.spi.eviction.EvictionContext;
import dev.cellar.spi.eviction.EvictionContext.Candidate;
import dev.cellar.spi.eviction.EvictionPolicy;
import java.util.Arrays;

/**
 * The approximated policies of Redis's {@code evict.c}: sample {@code maxmemory-samples} keys from
 * every database, keep the best candidates in an eviction pool of 16 ranked by a score (idle time
 * for LRU, inverted frequency for LFU, nearness of expiry for TTL), and evict the best one that
 * still exists.
 *
 * <p>Eviction pool: as Redis's {@code evictionPoolPopulate}, the pool is sorted by ascending score
 * and persists between calls, which is what makes the approximation good: a key sampled once keeps
 * its place until something better is sampled. A sampled key no better than the worst of a full
 * pool is dropped; otherwise the worst entry makes room. A key already in the pool is not added
 * twice (its fresher score replaces the old one). The best entry is taken from the right end;
 * one whose key is gone (deleted, expired, evicted, or for a volatile policy persisted) since it
 * was sampled is skipped, as Redis skips "ghost" entries, and sampling starts again when the whole
 * pool was ghosts.
 */
abstract class PooledPolicy implements EvictionPolicy {
    static final int POOL_SIZE = 16;
    private final Candidate[] keys = new Candidate[POOL_SIZE];
    private final long[] scores = new long[POOL_SIZE];
    private int size;

    /** Whether only keys with an expiry are candidates. */
    abstract boolean volatileOnly();

    /** Higher is a better victim. */
    abstract long score(Candidate candidate);

    @Override
    public Candidate selectVictim(EvictionContext context) {
        boolean expiring = volatileOnly();
        // Bounded only against a context whose samples are always empty or gone.
        for (int round = 0; round < 1000; round++) {
            long total = 0;
            for (int db = 0; db < context.databases(); db++) {
                if (context.size(db, expiring) == 0) {
                    continue;
                }
                total += context.size(db, expiring);
                for (Candidate c : context.sample(db, context.samples(), expiring)) {
                    offer(c);
                }
            }
            if (total == 0) {
                return null;
            }
            while (size > 0) {
                Candidate best = keys[--size];
                keys[size] = null;
                if (stillPresent(context, best, expiring)) {
                    return best;
                }
            }
        }
        return null;
    }

    private static boolean stillPresent(EvictionContext context, Candidate c, boolean expiring) {
        // Cellar's own context can answer exactly; another context's policies trust the sample.
        return !(context instanceof Eviction e) || e.contains(c.db(), c.key(), expiring);
    }

    /** Inserts a sampled key at its place by score, as {@code evictionPoolPopulate} does. */
    void offer(Candidate c) {
        for (int i = 0; i < size; i++) {
            if (keys[i].db() == c.db() && Arrays.equals(keys[i].key(), c.key())) {
                remove(i);
                break;
            }
        }
        long score = score(c);
        int k = 0;
        while (k < size && scores[k] < score) {
            k++;
        }
        if (size == POOL_SIZE) {
            if (k == 0) {
                return;
            }
            // Drop the worst (leftmost) entry and insert at k - 1.
            System.arraycopy(keys, 1, keys, 0, k - 1);
            System.arraycopy(scores, 1, scores, 0, k - 1);
            keys[k - 1] = c;
            scores[k - 1] = score;
            return;
        }
        System.arraycopy(keys, k, keys, k + 1, size - k);
        System.arraycopy(scores, k, scores, k + 1, size - k);
        keys[k] = c;
        scores[k] = score;
        size++;
    }

    private void remove(int i) {
        System.arraycopy(keys, i + 1, keys, i, size - i - 1);
        System.arraycopy(scores, i + 1, scores, i, size - i - 1);
        keys[--size] = null;
    }

    /** The pool's keys, worst first (for tests). */
    Candidate[] pool() {
        return Arrays.copyOf(keys, size);
    }
}
