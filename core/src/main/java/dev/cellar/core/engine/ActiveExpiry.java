package dev.cellar.core.engine;

import dev.cellar.spi.expiry.ExpiryContext;
import dev.cellar.spi.expiry.ExpiryStrategy;

/** Runs the configured {@link ExpiryStrategy} from the engine's timer, as its {@link ExpiryContext}. */
public final class ActiveExpiry implements ExpiryContext {
    /** Redis's {@code ACTIVE_EXPIRE_CYCLE_SLOW_TIME_PERC}: at most 25% of CPU time. */
    private static final int SLOW_TIME_PERC = 25;
    private final Engine engine;
    private final ExpiryStrategy strategy;
    private boolean enabled = true;
    /** Per database, where the next walk of the expiry table starts (Redis's {@code expires_cursor}). */
    private long[] cursors = new long[0];

    /** Creates the runner for a strategy. */
    public ActiveExpiry(Engine engine, ExpiryStrategy strategy) {
        this.engine = engine;
        this.strategy = strategy;
    }

    /** {@code DEBUG SET-ACTIVE-EXPIRE 0|1}. */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** Whether the background cycle runs. */
    public boolean enabled() {
        return enabled;
    }

    /** Runs one cycle; returns the keys expired. The caller holds the engine lock. */
    public long runCycle() {
        if (!enabled || engine.loading) {
            return 0;
        }
        Stats stats = engine.stats;
        long start = System.nanoTime();
        long sampledBefore = stats.expireCycleSampled;
        long expired = strategy.cycle(this);
        engine.afterExecutionUnit();
        long elapsed = System.nanoTime() - start;
        stats.expireCycleMicros += elapsed / 1000;
        if (elapsed > timeBudgetNanos()) {
            stats.expireTimeCapReached++;
        }
        // Redis's moving average: each cycle's share of stale keys among those it looked at weighs 5%
        long sampled = stats.expireCycleSampled - sampledBefore;
        double current = sampled == 0 ? 0 : (double) expired / sampled;
        stats.expiredStalePerc = current * 0.05 + stats.expiredStalePerc * 0.95;
        for (int i = 0, n = engine.databases(); i < n; i++) {
            Db d = engine.db(i);
            if (d.expires.size() == 0) {
                d.avgTtl = 0;
            }
        }
        return expired;
    }

    @Override
    public int databases() {
        return engine.databases();
    }

    @Override
    public long expiresSize(int db) {
        return engine.db(db).expires.size();
    }

    @Override
    public long expiresCapacity(int db) {
        return engine.db(db).expires.capacity();
    }

    @Override
    public int hz() {
        return engine.settings.getInt("hz");
    }

    @Override
    public int effort() {
        return engine.settings.getInt("active-expire-effort");
    }

    @Override
    public long timeBudgetNanos() {
        int effort = effort() - 1;
        long perc = SLOW_TIME_PERC + 2L * effort;
        return 1_000_000_000L * perc / hz() / 100;
    }

    @Override
    public long nanoTime() {
        return engine.clock.nanoTime();
    }

    /**
     * Walks the expiry table from this database's cursor, as Redis 7's {@code activeExpireCycle}
     * walks its buckets: looks at up to {@code count} keys, visiting at most {@code count * 20}
     * slots so that a sparse table cannot stall the cycle, and deletes (propagating {@code DEL}) the
     * keys whose time has passed. Each deletion is its own propagated write, not wrapped in
     * MULTI/EXEC, as Redis writes them.
     */
    @Override
    public Sample sample(int db, int count) {
        Db d = engine.db(db);
        if (cursors.length != engine.databases()) {
            cursors = new long[engine.databases()];
        }
        int sampled = 0;
        int expired = 0;
        long now = engine.clock.currentTimeMillis();
        long maxSlots = (long) count * 20;
        long ttlSum = 0;
        int ttlSamples = 0;
        long cursor = cursors[db];
        for (long visited = 0; sampled < count && visited < maxSlots && d.expires.size() > 0; visited++) {
            Dict expires = d.expires;
            int slot = (int) (cursor & (expires.capacity() - 1));
            if (!expires.occupied(slot)) {
                cursor++;
                continue;
            }
            sampled++;
            long when = (Long) expires.valueAt(slot);
            if (when <= now) {
                engine.expireKey(d, expires.keyAt(slot));
                engine.afterExecutionUnit();
                expired++;
                // Backward-shift deletion may have moved a later key into this slot: look again.
            } else {
                ttlSum += when - now; // for avg_ttl
                ttlSamples++;
                cursor++;
            }
        }
        cursors[db] = cursor;
        engine.stats.expireCycleSampled += sampled;
        if (ttlSamples > 0) {
            // Redis's db->avg_ttl: the first estimate taken as it is, later ones weigh 1/50
            long avg = ttlSum / ttlSamples;
            long was = d.avgTtl == 0 ? avg : d.avgTtl;
            d.avgTtl = was / 50 * 49 + avg / 50;
        }
        return new Sample(sampled, expired);
    }
}
