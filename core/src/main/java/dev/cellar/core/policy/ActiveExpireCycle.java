package dev.cellar.core.policy;

import dev.cellar.spi.expiry.ExpiryContext;
import dev.cellar.spi.expiry.ExpiryStrategy;

/**
 * Redis's active expire cycle ({@code expire.c}, the slow cycle run from {@code serverCron}): for
 * each database, look at {@code 20 + 20/4 * (effort-1)} keys with an expiry, delete the expired
 * ones, and repeat while more than {@code 10 - (effort-1)} percent of those looked at were stale;
 * check the time budget ({@code 25 + 2 * (effort-1)} percent of a {@code 1/hz} second tick, see
 * {@link ExpiryContext#timeBudgetNanos()}) every 16 iterations. A database whose expiry table is
 * less than 1% full is skipped, as sampling it costs more than it finds. Databases are visited
 * round-robin across cycles so a large one does not starve the others.
 */
public final class ActiveExpireCycle implements ExpiryStrategy {
    private static final int KEYS_PER_LOOP = 20;
    private static final int ACCEPTABLE_STALE = 10;
    /** Redis's {@code DICT_HT_INITIAL_SIZE}: tables this small are always sampled. */
    private static final int SMALL_TABLE = 4;
    private int nextDb;

    @Override
    public String name() {
        return "default";
    }

    @Override
    public long cycle(ExpiryContext context) {
        int effort = context.effort() - 1;
        int perLoop = KEYS_PER_LOOP + KEYS_PER_LOOP / 4 * effort;
        int acceptableStale = ACCEPTABLE_STALE - effort;
        long start = context.nanoTime();
        long budget = context.timeBudgetNanos();
        long expiredTotal = 0;
        int dbs = context.databases();
        boolean timedOut = false;
        for (int n = 0; n < dbs && !timedOut; n++) {
            int db = nextDb;
            nextDb = (nextDb + 1) % dbs;
            int iteration = 0;
            while (true) {
                long size = context.expiresSize(db);
                if (size == 0) {
                    break;
                }
                long capacity = context.expiresCapacity(db);
                if (capacity > SMALL_TABLE && size * 100 / capacity < 1) {
                    break;
                }
                ExpiryContext.Sample s = context.sample(db, (int) Math.min(perLoop, size));
                expiredTotal += s.expired();
                iteration++;
                if ((iteration & 0xf) == 0 && context.nanoTime() - start > budget) {
                    timedOut = true;
                    break;
                }
                // Redis loops on while nothing was sampled; stopping is safer with a table walk
                // that found nothing in its bounded number of slots.
                if (s.sampled() == 0 || s.expired() * 100 / s.sampled() <= acceptableStale) {
                    break;
                }
            }
        }
        return expiredTotal;
    }
}
