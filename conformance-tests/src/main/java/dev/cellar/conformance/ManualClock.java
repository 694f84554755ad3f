package dev.cellar.conformance;

import dev.cellar.api.CellarClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves only when told to, so that expiry tests never read the wall clock and never
 * sleep. Thread-safe; {@link #nanoTime()} advances together with the milliseconds.
 */
public final class ManualClock implements CellarClock {
    /** 2023-11-14T22:13:20.123Z: an arbitrary start with a non-zero millisecond part. */
    public static final long DEFAULT_START_MILLIS = 1_700_000_000_123L;

    private final AtomicLong millis;
    private final long nanoBase = 1_000_000_000_000L;

    /** A clock at {@link #DEFAULT_START_MILLIS}. */
    public ManualClock() {
        this(DEFAULT_START_MILLIS);
    }

    /** A clock at {@code startMillis} (Unix milliseconds). */
    public ManualClock(long startMillis) {
        this.millis = new AtomicLong(startMillis);
    }

    @Override
    public long currentTimeMillis() {
        return millis.get();
    }

    @Override
    public long nanoTime() {
        return nanoBase + millis.get() * 1_000_000L;
    }

    /** Moves the clock forward (or back, for a negative amount) by {@code delta}. */
    public ManualClock advance(Duration delta) {
        millis.addAndGet(delta.toMillis());
        return this;
    }

    /** Moves the clock forward by {@code deltaMillis} milliseconds. */
    public ManualClock advanceMillis(long deltaMillis) {
        millis.addAndGet(deltaMillis);
        return this;
    }

    /** Sets the clock to {@code unixMillis}. */
    public ManualClock setMillis(long unixMillis) {
        millis.set(unixMillis);
        return this;
    }

    @Override
    public String toString() {
        return "ManualClock[" + java.time.Instant.ofEpochMilli(millis.get()) + "]";
    }
}
