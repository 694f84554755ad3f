package dev.cellar.core.policy;

import dev.cellar.spi.eviction.EvictionContext.Candidate;

/** {@code maxmemory-policy allkeys-lfu}. */
public final class AllKeysLfu extends PooledPolicy {
    @Override
    public String name() {
        return "allkeys-lfu";
    }

    @Override
    public Tracking tracking() {
        return Tracking.LFU;
    }

    @Override
    boolean volatileOnly() {
        return false;
    }

    @Override
    long score(Candidate c) {
        return 255 - c.frequency();
    }
}
