package dev.cellar.core.policy;

import dev.cellar.spi.eviction.EvictionContext.Candidate;

/** {@code maxmemory-policy volatile-lru}. */
public final class VolatileLru extends PooledPolicy {
    @Override
    public String name() {
        return "volatile-lru";
    }

    @Override
    public Tracking tracking() {
        return Tracking.LRU;
    }

    @Override
    boolean volatileOnly() {
        return true;
    }

    @Override
    long score(Candidate c) {
        return c.idleMillis();
    }
}
