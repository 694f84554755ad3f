package dev.cellar.core.policy;

import dev.cellar.spi.eviction.EvictionContext.Candidate;

/** {@code maxmemory-policy volatile-lfu}. */
public final class VolatileLfu extends PooledPolicy {
    @Override
    public String name() {
        return "volatile-lfu";
    }

    @Override
    public Tracking tracking() {
        return Tracking.LFU;
    }

    @Override
    boolean volatileOnly() {
        return true;
    }

    @Override
    long score(Candidate c) {
        return 255 - c.frequency();
    }
}
