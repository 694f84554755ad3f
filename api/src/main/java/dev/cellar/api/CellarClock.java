package dev.cellar.api;

/**
 * The source of time for expiry, eviction and statistics. Tests inject a manual clock so that
 * nothing sleeps.
 */
public interface CellarClock {

    /** Wall-clock time in milliseconds since the epoch (what absolute expiries compare against). */
    long currentTimeMillis();

    /** A monotonic time in nanoseconds, for durations and budgets. */
    long nanoTime();

    /** The system clock. */
    CellarClock SYSTEM = new CellarClock() {
        @Override
        public long currentTimeMillis() {
            return System.currentTimeMillis();
        }

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }
    };
}
