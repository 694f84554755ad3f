package dev.cellar.core.policy;

import dev.cellar.spi.eviction.EvictionContext;
import dev.cellar.spi.eviction.EvictionPolicy;
import java.util.List;

/** {@code maxmemory-policy allkeys-random}: a random key, visiting databases in turn as Redis does. */
public final class AllKeysRandom implements EvictionPolicy {
    private int nextDb;

    @Override
    public String name() {
        return "allkeys-random";
    }

    @Override
    public EvictionContext.Candidate selectVictim(EvictionContext context) {
        for (int i = 0; i < context.databases(); i++) {
            int db = (nextDb + i) % context.databases();
            if (context.size(db, false) > 0) {
                List<EvictionContext.Candidate> sample = context.sample(db, 1, false);
                if (!sample.isEmpty()) {
                    nextDb = db + 1;
                    return sample.get(0);
                }
            }
        }
        return null;
    }
}
