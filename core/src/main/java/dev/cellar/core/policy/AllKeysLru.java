package dev.cellar.core.policy;

import dev.cellar.spi.eviction.EvictionContext.Candidate;

/** {@code maxmemory-policy allkeys-lru}. */
public final class AllKeysLru extends PooledPolicy {
    @Override
    public String name() {
        return "allkeys-lru";
    }

    @Override
    public Tracking tracking() {
        return Tracking.LRU;
    }

    @Override
    boolean volatileOnly() {
        return false;
    }

    @Override
    long score(Candidate c) {
        return c.idleMillis();
    }
}
