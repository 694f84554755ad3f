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
        long start = System.nanoTime();
        long expired = strategy.cycle(this);
        engine.afterExecutionUnit();
        engine.stats.expireCycleMicros += (System.nanoTime() - start) / 1000;
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

    @Override
    public Sample sample(int db, int count) {
        Db d = engine.db(db);
        int sampled = 0;
        int expired = 0;
        long now = engine.clock.currentTimeMillis();
        for (int i = 0; i < count && d.expires.size() > 0; i++) {
            int slot = d.expires.randomSlot(engine.random);
            sampled++;
            long when = (Long) d.expires.valueAt(slot);
            if (when <= now) {
                engine.expireKey(d, d.expires.keyAt(slot));
                expired++;
            }
        }
        engine.stats.expireCycleSampled += sampled;
        return new Sample(sampled, expired);
    }
}
