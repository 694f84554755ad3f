package dev.cellar.core.testing;

import dev.cellar.api.CellarClock;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when told, so expiry and eviction tests never sleep. */
public final class ManualClock implements CellarClock {
    private final AtomicLong millis;
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    /** A clock at a fixed, recent-looking time. */
    public ManualClock() {
        this(1_700_000_000_000L);
    }

    /** A clock at {@code startMillis}. */
    public ManualClock(long startMillis) {
        this.millis = new AtomicLong(startMillis);
    }

    /** Moves time forward. */
    public void advance(long ms) {
        millis.addAndGet(ms);
        nanos.addAndGet(ms * 1_000_000L);
    }

    @Override
    public long currentTimeMillis() {
        return millis.get();
    }

    @Override
    public long nanoTime() {
        return nanos.get();
    }
}
