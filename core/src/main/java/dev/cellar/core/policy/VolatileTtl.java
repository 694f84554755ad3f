package dev.cellar.core.policy;

import dev.cellar.spi.eviction.EvictionContext.Candidate;

/** {@code maxmemory-policy volatile-ttl}. */
public final class VolatileTtl extends PooledPolicy {
    @Override
    public String name() {
        return "volatile-ttl";
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
        return Long.MAX_VALUE - c.expireAtMillis();
    }
}
