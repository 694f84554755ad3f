package dev.cellar.core.policy;

import dev.cellar.spi.eviction.EvictionContext;
import dev.cellar.spi.eviction.EvictionContext.Candidate;
import dev.cellar.spi.eviction.EvictionPolicy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The approximated policies of Redis's {@code evict.c}: sample {@code maxmemory-samples} keys from
 * every database, keep the best candidates in an eviction pool of 16 ranked by a score (idle time
 * for LRU, inverted frequency for LFU, nearness of expiry for TTL), and evict the best one that
 * still exists. The pool persists between calls, which is what makes the approximation good.
 */
abstract class PooledPolicy implements EvictionPolicy {
    static final int POOL_SIZE = 16;
    private final List<Scored> pool = new ArrayList<>(POOL_SIZE + 1);

    private record Scored(Candidate candidate, long score) {}

    /** Whether only keys with an expiry are candidates. */
    abstract boolean volatileOnly();

    /** Higher is a better victim. */
    abstract long score(Candidate candidate);

    @Override
    public Candidate selectVictim(EvictionContext context) {
        for (int attempt = 0; attempt < 16; attempt++) {
            boolean any = false;
            for (int db = 0; db < context.databases(); db++) {
                if (context.size(db, volatileOnly()) == 0) {
                    continue;
                }
                any = true;
                for (Candidate c : context.sample(db, context.samples(), volatileOnly())) {
                    offer(c);
                }
            }
            if (!any) {
                pool.clear();
                return null;
            }
            while (!pool.isEmpty()) {
                Scored best = pool.remove(pool.size() - 1);
                // The key may be gone since it entered the pool: check it is still sampled-visible.
                if (stillPresent(context, best.candidate())) {
                    return best.candidate();
                }
            }
        }
        return null;
    }

    private static boolean stillPresent(EvictionContext context, Candidate c) {
        return context.size(c.db(), false) > 0;
    }

    private void offer(Candidate c) {
        long score = score(c);
        for (Scored s : pool) {
            if (s.candidate().db() == c.db() && Arrays.equals(s.candidate().key(), c.key())) {
                return;
            }
        }
        int i = 0;
        while (i < pool.size() && pool.get(i).score() < score) {
            i++;
        }
        if (pool.size() >= POOL_SIZE) {
            if (i == 0) {
                return;
            }
            pool.remove(0);
            i--;
        }
        pool.add(i, new Scored(c, score));
    }
}
