package dev.cellar.core.policy;

import dev.cellar.spi.eviction.EvictionContext;
import dev.cellar.spi.eviction.EvictionPolicy;

/** {@code maxmemory-policy noeviction}: never evicts; commands that grow memory are refused. */
public final class NoEviction implements EvictionPolicy {
    @Override
    public String name() {
        return "noeviction";
    }

    @Override
    public EvictionContext.Candidate selectVictim(EvictionContext context) {
        return null;
    }
}
